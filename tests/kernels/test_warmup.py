"""The background kernel warm-up (`minikeras/kernels/warmup.py`) and the placeholder runs'
numpy references (`kernels.references`). No Keras behaviour is involved: these are minikeras's
own first-run optimisations, checked for what they promise (a filled cache, one process per
cache directory, nothing left running)."""

import ast
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import minikeras.kernels as kernels
from minikeras.kernels import runtime, warmup

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _env(cache, **extra):
    return {**os.environ, "NUMBA_CACHE_DIR": str(cache), "MINIKERAS_NUM_THREADS": "1", **extra}


def test_background_process_fills_a_fresh_cache(tmp_path):
    """`python warmup.py <package> <cache dir> --drain` compiles the requested module's kernels
    (and the common ones: the softmax cross-entropy and Adam) into an empty cache directory."""
    cache = tmp_path / "cache"
    cache.mkdir()
    script = os.path.join(ROOT, "minikeras", "kernels", "warmup.py")
    subprocess.run(
        [sys.executable, script, ROOT, str(cache), "--drain"],
        input=b"scatter\n",
        env=_env(cache, MINIKERAS_PREWARM="0"),
        timeout=300,
        check=True,
    )
    names = {f for _, _, files in os.walk(cache) for f in files}
    for kernel in ("scatter.scatter_add_rows", "adam.adam_update", "softmax_ce._sparse_ce_grad"):
        assert any(n.startswith(kernel) and n.endswith(".nbi") for n in names), (kernel, names)


def test_lock_admits_one_owner_and_takes_over_a_dead_one(tmp_path):
    lock = str(tmp_path / warmup.LOCK_NAME)
    assert warmup._take_lock(lock)
    assert not warmup._take_lock(lock)  # held by a live process (this one)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with open(lock, "w") as f:
        f.write(str(dead.pid))
    assert warmup._take_lock(lock)


@pytest.mark.skipif(runtime.available_cpus() < 2, reason="prewarm needs a second CPU")
def test_cold_load_starts_one_background_process_that_ends_with_the_parent(tmp_path):
    """The first cold `kernels.load` starts the background process and takes the lock; a second
    process on the same cache finds the lock taken; nothing survives the parent."""
    cache = tmp_path / "cache"
    cache.mkdir()
    code = textwrap.dedent(
        """
        import os, sys
        import minikeras.kernels as kernels
        from minikeras.kernels import warmup
        kernels.load("adam")
        pid = warmup.background_pid()
        lock = os.path.join(os.path.dirname(
            warmup._index_paths(kernels.load("adam"), ["adam_update"])[0]), warmup.LOCK_NAME)
        print(pid, os.path.exists(lock), warmup._take_lock(lock), flush=True)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(cache, MINIKERAS_PREWARM="1"),
        capture_output=True,
        timeout=300,
        check=True,
    )
    pid, locked, second = out.stdout.decode().split()
    assert pid != "None" and locked == "True" and second == "False"
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid), 0)  # terminated at the parent's exit
    assert not any(f == warmup.LOCK_NAME for _, _, fs in os.walk(cache) for f in fs)


def test_prewarm_off_starts_nothing(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    code = "import minikeras.kernels as k\nfrom minikeras.kernels import warmup\n"
    code += "k.load('adam')\nprint(warmup.background_pid())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(cache, MINIKERAS_PREWARM="0"),
        capture_output=True,
        timeout=300,
        check=True,
    )
    assert out.stdout.decode().strip() == "None"


def test_references_on_a_cold_module(monkeypatch):
    """Inside `references()` a cold module's listed functions are its numpy references (same
    results); outside, and for warm modules, the kernels themselves."""
    conv = kernels.load("conv")
    monkeypatch.setitem(kernels._cold, "conv", True)
    rng = np.random.default_rng(0)
    x, w = rng.random((2, 1, 6, 6, 3), np.float32), rng.random((1, 3, 3, 3, 4), np.float32) - 0.5
    bias = rng.random(4, dtype=np.float32) - 0.5
    geometry = ((1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 4, 4), 1)
    with kernels.references():
        ref = kernels.load("conv")
        assert ref.im2col is conv.im2col
        out = ref.conv(x, w, *geometry)
        plain, none = ref.conv(x, w, *geometry, keep_cols=True)
        fused = ref.conv(x, w, *geometry, epilogue=(bias, True))  # the inference path's
    np.testing.assert_allclose(out, conv.conv(x, w, *geometry), rtol=1e-5, atol=1e-6)
    assert none is None and np.array_equal(plain, out)
    expected = conv.conv(x, w, *geometry, epilogue=(bias, True))
    np.testing.assert_allclose(fused, expected, rtol=1e-5, atol=1e-6)
    assert (expected == 0).any()  # the ReLU cut something
    assert kernels.load("conv") is conv
    pool = kernels.load("pool")
    monkeypatch.setitem(kernels._cold, "pool", True)
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4, 1)
    geometry = ((1, 2, 2), (1, 2, 2), (0, 0, 0), (1, 2, 2))
    with kernels.references():
        out, arg = kernels.load("pool").max_pool(x, *geometry)
    assert arg is None
    np.testing.assert_array_equal(out, pool.max_pool(x, *geometry)[0])
    monkeypatch.setitem(kernels._cold, "pool", False)
    with kernels.references():
        assert kernels.load("pool") is pool


_MODEL = """
import hashlib
import ast
import json
import numpy as np
from numba.core import event
compiled = []
class Listener(event.Listener):
    def on_start(self, ev):
        compiled.append(ev.data["dispatcher"].py_func.__qualname__)
    def on_end(self, ev):
        pass
event.register("numba:compile", Listener())
import minikeras as keras
keras.utils.set_random_seed(0)
layers = keras.layers
frame = keras.Input(shape=(12, 12, 3))
f = layers.Conv2D(4, 3, activation="relu")(frame)
f = layers.MaxPooling2D(2)(f)
f = layers.Conv2D(4, 3, activation="relu")(f)
encoder = keras.Model(frame, layers.GlobalAveragePooling2D()(f))
video = keras.Input(shape=(3, 12, 12, 3))
v = layers.LSTM(6)(layers.TimeDistributed(encoder)(video))
question = keras.Input(shape=(5,), dtype="int32")
q = layers.LSTM(4)(layers.Embedding(20, 4, mask_zero=True)(question))
h = layers.Dense(8, activation="relu")(layers.Concatenate()([v, q]))
model = keras.Model([video, question], layers.Dense(3)(h))
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
rng = np.random.default_rng(0)
x = [rng.random((4, 3, 12, 12, 3), np.float32), rng.integers(0, 20, (4, 5)).astype(np.int32)]
for _ in range(2):
    model.train_on_batch(x, np.array([0, 1, 2, 1], np.int32))
digest = hashlib.sha1(b"".join(np.ascontiguousarray(w).tobytes() for w in model.get_weights()))
print(json.dumps({"compiled": sorted(set(compiled)), "weights": digest.hexdigest()}))
"""


@pytest.mark.slow
def test_a_warmed_cache_compiles_nothing_in_the_first_step(tmp_path):
    """The background process, drained with the lines a video-QA-like model sends (conv, pool,
    Dense + ReLU, LSTM, embedding, loss, Adam), leaves nothing for the training step to compile:
    its recipes compile the very signatures the ops call."""
    env = {
        **os.environ,
        "NUMBA_CACHE_DIR": str(tmp_path),
        "MINIKERAS_PREWARM": "0",
        "MINIKERAS_NUM_THREADS": "1",
    }
    lines = ["conv", "conv:conv", "bias_act", "bias_act:bias_act", "pool", "pool:max_pool"]
    lines += ["rnn", "rnn:lstm_infer", "scatter"]
    script = os.path.join(ROOT, "minikeras", "kernels", "warmup.py")
    drain = [sys.executable, script, ROOT, warmup_cache_dir(env), "--drain"]
    subprocess.run(drain, input="\n".join(lines).encode(), env=env, timeout=600, check=True)
    assert _train(env)["compiled"] == []


def _train(env):
    out = subprocess.run(
        [sys.executable, "-c", _MODEL], env=env, capture_output=True, timeout=600, check=True
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.skipif(runtime.available_cpus() < 2, reason="prewarm needs a second CPU")
def test_cold_and_warm_runs_train_to_the_same_bits(tmp_path):
    """A first run (the background process and the main one share the compiling) and a second
    run on the filled cache give bit-identical weights after two steps, and so does a first run
    without the background process."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "a"), "MINIKERAS_PREWARM": "1"}
    cold = _train(env)
    warm = _train(env)
    alone = _train({**env, "NUMBA_CACHE_DIR": str(tmp_path / "b"), "MINIKERAS_PREWARM": "0"})
    assert cold["compiled"] and warm["compiled"] == []
    assert cold["weights"] == warm["weights"] == alone["weights"]


def warmup_cache_dir(env):
    out = subprocess.run(
        [sys.executable, "-c", "from minikeras.kernels import warmup; print(warmup.cache_dir())"],
        env=env,
        capture_output=True,
        check=True,
    )
    folder = out.stdout.decode().strip()
    os.makedirs(folder, exist_ok=True)
    return folder


# numba's array functions that call SciPy's BLAS (or choose their loops by whether it is there)
_NUMBA_BLAS = {"dot", "vdot", "inner", "outer", "matmul", "correlate", "convolve", "kron", "linalg"}


def _jitted_bodies(tree):
    """The functions of a module that numba compiles: decorated with njit/jit/overload/
    intrinsic, and everything defined inside them (an overload's implementations)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
            name in ast.unparse(d) for d in node.decorator_list for name in ("jit", "overload")
        ):
            yield node


def test_no_kernel_calls_numbas_blas():
    """The background process runs without SciPy (`warmup._main`: numba would import it only to
    offer np.dot through SciPy's BLAS), so that no kernel may compile differently there than in
    the main process, no kernel may use the numba functions that depend on it."""
    folder = os.path.dirname(kernels.__file__)
    found = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(folder, name)) as f:
            tree = ast.parse(f.read())
        for fn in _jitted_bodies(tree):
            for node in ast.walk(fn):
                if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
                    found.append(f"{name}:{node.lineno} @")
                if isinstance(node, ast.Attribute) and node.attr in _NUMBA_BLAS:
                    found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def test_background_process_runs_without_scipy(tmp_path):
    """`_main` keeps SciPy out of the background process before numba is imported."""
    code = textwrap.dedent(
        f"""
        import sys
        sys.argv = ["warmup.py", {ROOT!r}, {str(tmp_path)!r}, "--drain"]
        sys.stdin = open("/dev/null")
        from minikeras.kernels import warmup
        warmup._main(sys.argv)
        print(sys.modules.get("scipy", "absent"), "numba" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(tmp_path), capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["None", "True"]
