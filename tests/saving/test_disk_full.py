"""A full disk makes every save raise `OSError` (ENOSPC) naming the path; the process lives on.

Before the fix, `.h5` / `.weights.h5` saves on a full disk died with SIGSEGV inside h5py's
close (libhdf5 meeting ENOSPC while flushing). Keras 3 surfaces write errors as Python
exceptions (its `.keras` writer also builds the HDF5 member in memory); minikeras now builds every
HDF5 file in memory and writes the bytes with plain file writes, so the disk error reaches the
caller as `OSError(errno.ENOSPC, ...)` and the atomic writer removes its temp file.

The disk is a 256 KB tmpfs the test mounts, so these tests need root (they skip otherwise, saying
so). Every save runs in a subprocess so that a crash shows as its exit code.
"""

import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pytest

import minikeras as keras

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _mount_small_tmpfs(directory):
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root (os.geteuid() != 0)")
    if shutil.which("mount") is None:
        pytest.skip("no `mount` command to create a small tmpfs")
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(directory)],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (containers without CAP_SYS_ADMIN): {r.stderr}")


@pytest.fixture
def small_disk():
    directory = tempfile.mkdtemp(prefix="mk_full_disk_")
    _mount_small_tmpfs(directory)
    try:
        yield directory
    finally:
        subprocess.run(["umount", directory], capture_output=True)
        with contextlib.suppress(OSError):
            os.rmdir(directory)


COMMON = r"""
import errno, json, os, sys
sys.path.insert(0, {repo!r})
import numpy as np
import minikeras as keras

disk = {disk!r}
filler = os.path.join(disk, "filler")


def fill(free_kb):
    with open(filler, "wb"):
        pass
    st = os.statvfs(disk)
    left = st.f_bavail * st.f_frsize - free_kb * 1024
    with open(filler, "wb") as f:
        while left > 0:  # in chunks: the last one may hit ENOSPC already
            try:
                left -= f.write(b"x" * min(left, 65536))
            except OSError:
                break


def unfill():
    os.unlink(filler)


def model():
    keras.utils.set_random_seed(3)
    m = keras.Sequential([keras.Input((16,)), keras.layers.Dense(200, name="a"),
                          keras.layers.Dense(4, name="b")])
    m.compile(optimizer="adam", loss="mse")
    return m
"""

SAVE_CHILD = (
    COMMON
    + r"""
kind = sys.argv[1]
path = os.path.join(disk, {{"h5": "m.h5", "keras": "m.keras", "weights": "w.weights.h5",
                           "legacy_weights": "w.h5"}}[kind])
expected_file = sys.argv[2]


def save(m):
    if kind in ("h5", "keras"):
        m.save(path)
    else:
        m.save_weights(path)


m = model()
m.fit(np.ones((8, 16), "float32"), np.zeros((8, 4), "float32"), epochs=1, verbose=0)
save(m)  # the previous file, which must survive
np.savez(expected_file, *[v.data for v in m.weights])
for v in m.weights:
    v.data[...] = 7.0  # what a later save would hold
size_kb = os.path.getsize(path) // 1024
# space left before the second save: none, a few pages, and fractions of the file's size
levels = sorted({{0, 4, 8, size_kb // 4, size_kb // 2, 3 * size_kb // 4, size_kb - 4}})
results = []
for free_kb in levels:
    fill(free_kb)
    try:
        save(m)
        results.append({{"free_kb": free_kb, "outcome": "saved"}})
    except OSError as e:
        results.append({{"free_kb": free_kb, "outcome": "oserror", "errno": e.errno,
                         "message": str(e)}})
    unfill()
    results[-1]["files"] = sorted(os.listdir(disk))
    if results[-1]["outcome"] == "saved":
        break
print(json.dumps(results))
"""
)


def _run(code, *args):
    r = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300
    )
    how = f"killed by signal {-r.returncode}" if r.returncode < 0 else f"exit code {r.returncode}"
    assert r.returncode == 0, f"the saving process ended ({how}); stderr: {r.stderr[-2000:]}"
    return r.stdout.strip().splitlines()[-1]


def _load_weights(path, kind):
    if kind in ("h5", "keras"):
        return [v.data for v in keras.models.load_model(path).weights]
    m = keras.Sequential(
        [keras.Input((16,)), keras.layers.Dense(200, name="a"), keras.layers.Dense(4, name="b")]
    )
    m.load_weights(path)
    return [v.data for v in m.weights]


@pytest.mark.parametrize("kind", ["h5", "weights", "legacy_weights", "keras"])
def test_save_on_full_disk_raises_enospc_and_keeps_old_file(small_disk, tmp_path, kind):
    """Every format: OSError errno ENOSPC naming the path at each free-space level, exit code 0,
    no temp file left behind, and the previous file loads with its weights."""
    expected = tmp_path / "expected.npz"
    code = SAVE_CHILD.format(repo=REPO, disk=small_disk)
    results = json.loads(_run(code, kind, str(expected)))
    name = {"h5": "m.h5", "keras": "m.keras", "weights": "w.weights.h5", "legacy_weights": "w.h5"}[
        kind
    ]
    path = os.path.join(small_disk, name)
    assert len(results) >= 6, results
    for r in results:
        assert r["outcome"] == "oserror", r
        assert r["errno"] == errno.ENOSPC, r
        assert path in r["message"], r
        assert r["files"] == [name], r  # the temp file is gone, the old file is there
    old = np.load(expected)
    for got, want in zip(_load_weights(path, kind), [old[k] for k in old.files]):
        np.testing.assert_array_equal(got, want)


FIT_CHILD = (
    COMMON
    + r"""
which = sys.argv[1]
x, y = np.ones((8, 16), "float32"), np.zeros((8, 4), "float32")
m = model()
ckpt = os.path.join(disk, "ckpt.weights.h5")
if which == "checkpoint":
    def callback():
        return keras.callbacks.ModelCheckpoint(ckpt, save_weights_only=True)
else:
    def callback():
        return keras.callbacks.BackupAndRestore(os.path.join(disk, "backup"),
                                                delete_checkpoint=False)
m.fit(x, y, epochs=1, verbose=0, callbacks=[callback()])  # a first, complete save
before = sorted(os.listdir(disk))
free_kb = 8  # libhdf5 met ENOSPC part way through the file, which crashed
if which == "backup":  # leave room for the copy of the previous backup it makes first
    backup = os.path.join(disk, "backup")
    free_kb += sum(os.path.getsize(os.path.join(backup, f)) for f in os.listdir(backup)) // 1024
fill(free_kb)
out = {{"before": before}}
try:
    m.fit(x, y, epochs=2, verbose=0, callbacks=[callback()])
    out["outcome"] = "finished"
except OSError as e:
    out.update(outcome="oserror", errno=e.errno, message=str(e))
unfill()
out["finite"] = all(bool(np.isfinite(v.data).all()) for v in m.weights)
h = m.fit(x, y, epochs=1, verbose=0)  # the model in memory trains on
out["loss_after"] = float(h.history["loss"][-1])
out["files"] = sorted(os.listdir(disk))
if which == "checkpoint":
    keras.models.clone_model(m)
    c = model()
    c.load_weights(ckpt)  # the earlier checkpoint is intact
    out["checkpoint_loads"] = True
print(json.dumps(out))
"""
)


@pytest.mark.parametrize("which", ["checkpoint", "backup"])
def test_fit_with_checkpoint_on_full_disk_raises_enospc(small_disk, which):
    """ModelCheckpoint / BackupAndRestore on a full disk: the OSError (ENOSPC) propagates out of
    `fit` (as Keras 3 lets a failing save propagate), the process lives, the model in memory
    keeps finite weights and trains on, and the earlier checkpoint still loads."""
    out = json.loads(_run(FIT_CHILD.format(repo=REPO, disk=small_disk), which))
    assert out["outcome"] == "oserror", out
    assert out["errno"] == errno.ENOSPC, out
    assert out["finite"] and np.isfinite(out["loss_after"]), out
    assert not [f for f in out["files"] if f.endswith(".tmp")], out
    if which == "checkpoint":
        assert "ckpt.weights.h5" in out["message"], out
        assert out["checkpoint_loads"]
