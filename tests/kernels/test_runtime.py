"""The thread default: the CPUs this process may use (affinity mask, capped by a cgroup quota).

PyTorch and Keras use every core they may run on; minikeras does the same so that a user's 16-core
machine is used. The quota files are those of Linux cgroup v1 (`cpu.cfs_quota_us`,
`cpu.cfs_period_us`) and v2 (`cpu.max`, "<quota|max> <period>"), laid out here in a temporary
tree shaped as the kernel mounts them.
"""

import os
import subprocess
import sys

import pytest

from minikeras.kernels import runtime


def _tree(tmp_path, cgroup_lines, files):
    proc = tmp_path / "cgroup"
    proc.write_text("".join(line + "\n" for line in cgroup_lines))
    for rel, text in files.items():
        path = tmp_path / "fs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(proc), str(tmp_path / "fs")


def test_cgroup_v2_quota_of_the_process_cgroup(tmp_path):
    proc, root = _tree(tmp_path, ["0::/docker/abc"], {"docker/abc/cpu.max": "150000 100000\n"})
    assert runtime._cgroup_quota(proc, root) == pytest.approx(1.5)


def test_cgroup_v2_unlimited_is_no_quota(tmp_path):
    proc, root = _tree(tmp_path, ["0::/"], {"cpu.max": "max 100000\n"})
    assert runtime._cgroup_quota(proc, root) is None


def test_cgroup_v2_parent_quota_caps_the_child(tmp_path):
    files = {"a/cpu.max": "200000 100000\n", "a/b/cpu.max": "max 100000\n"}
    proc, root = _tree(tmp_path, ["0::/a/b"], files)
    assert runtime._cgroup_quota(proc, root) == pytest.approx(2.0)


def test_cgroup_v1_cfs_quota(tmp_path):
    files = {
        "cpu,cpuacct/job/cpu.cfs_quota_us": "300000\n",
        "cpu,cpuacct/job/cpu.cfs_period_us": "100000\n",
    }
    proc, root = _tree(tmp_path, ["4:memory:/job", "3:cpu,cpuacct:/job"], files)
    assert runtime._cgroup_quota(proc, root) == pytest.approx(3.0)


def test_cgroup_v1_no_limit(tmp_path):
    files = {"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}
    proc, root = _tree(tmp_path, ["1:cpu:/"], files)
    assert runtime._cgroup_quota(proc, root) is None


def test_unreadable_cgroup_is_no_quota(tmp_path):
    assert runtime._cgroup_quota(str(tmp_path / "missing"), str(tmp_path)) is None


def test_available_cpus_is_affinity_capped_by_quota_rounded_up(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5, 6, 7})
    monkeypatch.setattr(runtime, "_cgroup_quota", lambda: None)
    assert runtime.available_cpus() == 8
    monkeypatch.setattr(runtime, "_cgroup_quota", lambda: 1.5)  # docker run --cpus=1.5
    assert runtime.available_cpus() == 2
    monkeypatch.setattr(runtime, "_cgroup_quota", lambda: 0.2)
    assert runtime.available_cpus() == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})  # taskset -c 3
    monkeypatch.setattr(runtime, "_cgroup_quota", lambda: 4.0)
    assert runtime.available_cpus() == 1


_REPORT = "import minikeras; print(minikeras.config.get_num_threads())"


def _threads_in_child(**env):
    env = {k: v for k, v in os.environ.items() if k != "MINIKERAS_NUM_THREADS"} | env
    out = subprocess.run([sys.executable, "-c", _REPORT], env=env, capture_output=True, text=True)
    return out


def test_default_is_the_available_cpus_and_the_variable_overrides_it():
    expected = runtime.available_cpus()
    assert _threads_in_child().stdout.split() == [str(expected)]
    assert _threads_in_child(MINIKERAS_NUM_THREADS="1").stdout.split() == ["1"]
    assert _threads_in_child(MINIKERAS_NUM_THREADS="0").stdout.split() == ["None"]


def test_a_bad_variable_is_an_error_naming_it():
    out = _threads_in_child(MINIKERAS_NUM_THREADS="two")
    assert out.returncode != 0 and "MINIKERAS_NUM_THREADS" in out.stderr and "'two'" in out.stderr
