"""The cold-start plumbing of `minikeras/kernels/warmup.py` and `warmup_claims.py`: the claims
that keep two processes from compiling one kernel, the background process's plan, where the
numba cache is, the early start, and that the warm-up compiles the very signatures a training
step uses. minikeras's own first-run machinery: no Keras behaviour is involved."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import minikeras.kernels as kernels
from minikeras.kernels import runtime, warmup, warmup_claims

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class _Cache:
    """Stands in for numba's Cache: the attributes the claims read."""

    def __init__(self, folder, name="k.f-12.py311.nbi"):
        self._cache_path = str(folder)
        self._cache_file = type("F", (), {"_index_path": os.path.join(str(folder), name)})()


def _loader(results):
    """numba's cache load, answering from `results` (one per call, then the last again)."""
    calls = []

    def load(cache, sig, ctx):
        calls.append(sig)
        return results[min(len(calls), len(results)) - 1]

    return load, calls


@pytest.fixture
def claims(tmp_path, monkeypatch):
    monkeypatch.setitem(warmup_claims._config, "dir", str(tmp_path))
    monkeypatch.setitem(warmup_claims._config, "background", False)
    monkeypatch.setattr(warmup_claims, "POLL", 0.001)
    monkeypatch.setattr(warmup_claims._local, "held", [], raising=False)
    monkeypatch.setattr(warmup_claims._local, "depth", 1, raising=False)
    os.makedirs(tmp_path / warmup_claims.CLAIMS)
    return tmp_path


def _claim_file(folder, sig="(float32,)"):
    return warmup_claims._claim_path(_Cache(folder), sig)


def _other_process():
    """A live process that is not this one (the claims' other owner)."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_a_free_kernel_is_claimed_and_compiled_here(claims):
    load, calls = _loader([None])
    assert warmup_claims._load_or_claim(load, _Cache(claims), "(float32,)", None) is None
    path = _claim_file(claims)
    assert open(path).read() == str(os.getpid())
    assert warmup_claims._held() == [path]


def test_a_cached_kernel_is_loaded_without_a_claim(claims):
    load, _ = _loader(["compiled"])
    assert warmup_claims._load_or_claim(load, _Cache(claims), "(float32,)", None) == "compiled"
    assert not os.path.exists(_claim_file(claims))


def test_the_main_process_waits_for_the_other_and_loads_its_kernel(claims):
    other = _other_process()
    try:
        with open(_claim_file(claims), "w") as f:
            f.write(str(other.pid))
        load, calls = _loader([None, None, None, "saved by the other"])
        got = warmup_claims._load_or_claim(load, _Cache(claims), "(float32,)", None)
        assert got == "saved by the other" and len(calls) == 4
        assert warmup_claims._held() == []  # nothing compiled here
    finally:
        other.kill()
        other.wait()


def test_the_background_process_skips_a_kernel_the_main_one_compiles(claims, monkeypatch):
    monkeypatch.setitem(warmup_claims._config, "background", True)
    other = _other_process()
    try:
        with open(_claim_file(claims), "w") as f:
            f.write(str(other.pid))
        load, _ = _loader([None])
        with pytest.raises(warmup_claims.Skip):
            warmup_claims._load_or_claim(load, _Cache(claims), "(float32,)", None)
        # a helper inside one of its own kernels (depth 2): it waits instead
        monkeypatch.setattr(warmup_claims._local, "depth", 2)
        load, calls = _loader([None, "saved"])
        assert warmup_claims._load_or_claim(load, _Cache(claims), "(float32,)", None) == "saved"
    finally:
        other.kill()
        other.wait()


def test_a_dead_owners_claim_is_taken_over(claims):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path = _claim_file(claims)
    with open(path, "w") as f:
        f.write(str(dead.pid))
    load, _ = _loader([None])
    assert warmup_claims._load_or_claim(load, _Cache(claims), "(float32,)", None) is None
    assert open(path).read() == str(os.getpid())


def test_other_cache_directories_are_not_claimed(claims, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    load, _ = _loader([None])
    assert warmup_claims._load_or_claim(load, _Cache(elsewhere), "(float32,)", None) is None
    assert warmup_claims._held() == []


def test_plan_follows_a_training_step_and_the_background_takes_it_from_the_end():
    recipes = warmup._recipes()
    steps = warmup.plan(["softmax_ce", "adam", "conv", "pool", "rnn"], {}, recipes)
    assert steps == [
        ("conv", "fwd"),
        ("pool", "fwd"),
        ("rnn", "fwd"),
        ("softmax_ce", "fwd"),
        ("softmax_ce", "bwd"),
        ("rnn", "bwd"),
        ("pool", "bwd"),
        ("conv", "bwd"),
        ("adam", "bwd"),
        ("conv", "extra"),
        ("pool", "extra"),
        ("rnn", "extra"),
    ]
    done, order = set(), []
    while item := warmup._next(["conv", "rnn", "adam"], {}, recipes, done, kernels.load):
        done.add(item[0])
        order.append(item[0])
    assert order[:5] == [
        ("rnn", "bwd", "lstm_bwd"),  # an `early` module's backward: the largest, first
        ("adam", "bwd", "update"),
        ("conv", "bwd", "col2im"),
        ("rnn", "fwd", "lstm_fwd"),
        ("conv", "fwd", "im2col"),
    ]
    assert ("rnn", "extra", "gru_fwd") in order[5:]


def test_rnn_recipe_compiles_the_cells_the_model_uses():
    rnn = kernels.load("rnn")
    recipe = warmup._recipes()["rnn"][0]
    names = lambda part, entries: [n for n, _ in recipe(rnn, part, frozenset(entries))]  # noqa: E731
    assert names("fwd", {"gru_forward"}) == ["gru_fwd"]
    assert names("bwd", {"lstm_infer"}) == ["lstm_bwd"]
    assert names("fwd", set()) == ["lstm_fwd"]
    assert "lstm_fwd" not in names("extra", {"lstm_forward"})


def test_cache_dir_is_where_numba_caches_the_kernels(tmp_path):
    code = textwrap.dedent(
        """
        import os
        from minikeras.kernels import load, warmup
        index = warmup._index_paths(load("adam"), ["adam_update"])[0]
        print(os.path.dirname(index) == warmup.cache_dir())
        """
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "MINIKERAS_PREWARM": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert out.stdout.decode().split() == ["True"]


@pytest.mark.skipif(runtime.available_cpus() < 2, reason="prewarm needs a second CPU")
def test_early_start_on_an_empty_cache_only(tmp_path):
    """Importing the package starts the background process when nothing is cached; with a
    compiled kernel in the cache, it waits for a cold module instead."""
    code = "import minikeras.kernels\nfrom minikeras.kernels import warmup\n"
    code += "print(warmup.background_pid())"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "MINIKERAS_PREWARM": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert out.stdout.decode().strip() != "None"
    folder = subprocess.run(
        [sys.executable, "-c", "from minikeras.kernels import warmup; print(warmup.cache_dir())"],
        env=env,
        capture_output=True,
        check=True,
    )
    with open(os.path.join(folder.stdout.decode().strip(), "x.f-1.py311.nbi"), "w"):
        pass
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert out.stdout.decode().strip() == "None"


def test_an_embedding_lookup_plans_its_backward_kernel(monkeypatch):
    """`ops.take` along axis 0 of a table runs no kernel forward, and its gradient is the row
    scatter-add: inside the build's `references()` it asks the warm-up for that module."""
    from minikeras.core import ops

    asked = []
    monkeypatch.setattr(warmup, "request", lambda name, module, entry=None: asked.append(name))
    monkeypatch.delitem(kernels._loaded, "scatter", raising=False)
    table, ids = np.ones((5, 3), np.float32), np.array([[0, 4]])
    ops.take(table, ids, axis=0)
    assert asked == []  # outside the build's placeholder runs: nothing
    with kernels.references():
        ops.take(table, ids, axis=0)
    assert asked == ["scatter"]
