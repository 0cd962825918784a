import threading
import time

import numpy as np
import pytest

from minikeras.kernels import runtime
from minikeras.kernels import threads


@pytest.mark.parametrize(
    "n, blocks, multiple", [(10, 3, 1), (37, 12, 4), (3, 8, 1), (8, 4, 4), (1, 2, 1), (64, 4, 4)]
)
def test_bounds_cover_the_range_in_aligned_pieces(n, blocks, multiple):
    cuts = threads.bounds(n, blocks, multiple)
    assert cuts[0] == 0 and cuts[-1] == n
    assert all(a < b for a, b in zip(cuts, cuts[1:]))
    assert len(cuts) - 1 <= blocks
    assert all(c % multiple == 0 for c in cuts[:-1])


def test_run_blocks_calls_every_block_once_on_several_threads():
    seen, names = [], set()
    lock = threading.Lock()

    def fn(i0, i1):
        with lock:
            seen.extend(range(i0, i1))
            names.add(threading.current_thread().name)
        time.sleep(0.02)  # long enough that the pool thread takes blocks too
        return i0

    results = threads.run_blocks(fn, 50, threads=2, per_thread=3)
    assert sorted(seen) == list(range(50))
    assert results == sorted(results) and results[0] == 0
    assert len(names) == 2  # the caller's thread and a pool thread
    assert threads.run_blocks(fn, 5, threads=1) == [0]


def test_run_blocks_propagates_a_block_error():
    def fn(i0, i1):
        if i0 > 0:
            raise RuntimeError("block failed")

    with pytest.raises(RuntimeError, match="block failed"):
        threads.run_blocks(fn, 10, threads=2)


def test_blas_toggles_only_when_left_at_the_library_default(monkeypatch):
    calls = []
    monkeypatch.setattr(runtime, "set_blas_threads", calls.append)
    monkeypatch.setattr(runtime, "get_num_threads", lambda: 2)  # minikeras holds BLAS at 1
    with threads.blas_single_thread():
        pass
    assert calls == []
    monkeypatch.setattr(runtime, "get_num_threads", lambda: None)  # MINIKERAS_NUM_THREADS=0
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    with threads.blas_single_thread():
        with threads.blas_single_thread():  # nested: no change
            pass
        assert calls == [1]
    assert calls == [1, 2]
    a = np.arange(6.0)
    assert threads.run_blocks(lambda i0, i1: a[i0:i1].sum(), 6, threads=2, per_thread=1) == [3, 12]
    assert calls == [1, 2, 1, 2]


@pytest.mark.parametrize("shape", [(200, 30, 40), (20, 30, 400), (7, 5, 3), (64, 1, 64)])
@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_matmul_split_by_rows_or_columns_matches_numpy(monkeypatch, shape, n_threads):
    monkeypatch.setattr(threads, "num_threads", lambda: n_threads)
    monkeypatch.setattr(threads, "GEMM_PARALLEL_MIN", 1)
    m, k, n = shape
    r = np.random.default_rng(5)
    a = r.standard_normal((m, k)).astype(np.float32)
    b = r.standard_normal((n, k)).astype(np.float32).T  # a transposed view, as in the backward
    want = a @ b
    np.testing.assert_allclose(threads.matmul(a, b), want, rtol=1e-5, atol=1e-5)
    out = np.full((m, n), np.nan, np.float32)
    assert threads.matmul(a, b, out=out) is out
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)


# -- the kernels that split their work over threads give the one-thread results ----------------

from minikeras.kernels import bias_act as kba  # noqa: E402
from minikeras.kernels import conv as kconv  # noqa: E402
from minikeras.kernels import pool as kpool  # noqa: E402


@pytest.fixture
def two_threads(monkeypatch):
    """Runs the split path (2 threads, small inputs) after computing a one-thread baseline."""

    def use(n, small):
        monkeypatch.setattr(threads, "num_threads", lambda: n)
        for module in (kconv, kba, kpool):
            monkeypatch.setattr(module, "PARALLEL_MIN", 1 if small else 1 << 60)
        for module in (kba, kpool):
            monkeypatch.setattr(module, "GRAD_PARALLEL_MIN", 1 if small else 1 << 60)

    return use


@pytest.mark.parametrize("groups, keep", [(1, True), (1, False), (2, False), (2, True)])
def test_conv_kernels_split_over_images_match_one_thread(two_threads, monkeypatch, groups, keep):
    r = np.random.default_rng(3)
    x = r.standard_normal((7, 1, 9, 8, 4)).astype(np.float32)
    w = r.standard_normal((1, 3, 3, 4 // groups, 6)).astype(np.float32)
    geom = ((1, 1, 2), (1, 1, 1), (0, 1, 1), (1, 9, 4))
    if not keep:
        monkeypatch.setattr(kconv, "KEEP_BYTES", 0)
        monkeypatch.setattr(kconv, "CHUNK_BYTES", 600)  # a few images per chunk
    results = []
    for n, small in ((1, False), (2, True), (3, True)):
        two_threads(n, small)
        out, cols = kconv.conv(x, w, *geom, groups=groups, keep_cols=True)
        d = np.cos(out)
        results.append(
            (
                out,
                kconv.conv_grad_kernel(x, d, w.shape, *geom[:3], groups, cols=cols),
                kconv.conv_grad_input(d, w, x.shape, *geom[:3], groups),
                *kconv.conv_grads(x, d, w, *geom[:3], groups),
            )
        )
    ref = kconv.conv_ref(x, w, *geom, groups)
    np.testing.assert_allclose(results[0][0], ref, rtol=1e-5, atol=1e-5)
    for split in results[1:]:
        np.testing.assert_array_equal(split[0], results[0][0])
        np.testing.assert_allclose(split[1], results[0][1], rtol=1e-5, atol=1e-5)
        np.testing.assert_array_equal(split[2], results[0][2])
        np.testing.assert_array_equal(split[3], results[0][2])  # dx, one pass
        np.testing.assert_allclose(split[4], results[0][1], rtol=1e-5, atol=1e-5)


def test_bias_act_and_pooling_split_match_one_thread(two_threads):
    r = np.random.default_rng(4)
    x = r.standard_normal((6, 1, 8, 8, 5)).astype(np.float32)
    bias = r.standard_normal(5).astype(np.float32)
    results = []
    for n, small in ((1, False), (2, True)):
        two_threads(n, small)
        rows = x.reshape(-1, 5)
        y = kba.bias_act(rows, bias, True)
        dx, db = kba.bias_act_grad(np.sin(rows), y, True)
        fast, fast_arg = kpool.max_pool(x, (1, 2, 2), (1, 2, 2), (0, 0, 0), (1, 4, 4))
        gen, gen_arg = kpool.max_pool(x, (1, 3, 3), (1, 2, 2), (0, 1, 1), (1, 4, 4))
        grad = kpool.max_pool_grad(np.cos(gen), gen_arg, x.shape)
        results.append((y, dx, db, fast, fast_arg, gen, gen_arg, grad))
    np.testing.assert_array_equal(results[0][0], kba.bias_act_ref(x.reshape(-1, 5), bias, True))
    np.testing.assert_array_equal(
        results[0][5], kpool.max_pool_ref(x, (1, 3, 3), (1, 2, 2), (0, 1, 1), (1, 4, 4))
    )
    for a, b in zip(results[1], results[0]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


# -- the pool: polling waits, one job at a time ------------------------------------------------

from minikeras.kernels import spin  # noqa: E402


@pytest.mark.parametrize(
    "values, first, last, at_least, spins",
    [
        ([3, 5, 7], 1, 3, 5, 4),
        ([3, 5, 7], 1, 3, 6, 4),
        ([3, 5, 7], 0, 3, 0, 1),
        ([0], 0, 1, 1, 0),
        ([9, 9], 0, 2, 9, 1),
        ([9, 8], 0, 2, 9, 50),
        ([1], 1, 1, 5, 2),
    ],
)
def test_wait_at_least_matches_reference(values, first, last, at_least, spins):
    flags = np.array(values, np.int64)
    want = spin.wait_at_least_ref(flags, first, last, at_least, spins)
    assert spin.wait_at_least(flags, first, last, at_least, spins) == want


def test_wait_at_least_sees_a_value_another_thread_stores():
    flags = np.zeros(2, np.int64)
    timer = threading.Timer(0.05, lambda: flags.__setitem__(1, 4))
    timer.start()
    start = time.perf_counter()
    assert spin.wait_at_least(flags, 1, 2, 4, spin.spins_for(5.0))  # polls, GIL released
    assert time.perf_counter() - start < 2.0
    timer.join()
    assert not spin.wait_at_least(flags, 0, 2, 1, 1000)  # flags[0] never reaches 1


def test_spin_seconds_follows_the_environment(monkeypatch):
    monkeypatch.setenv("MINIKERAS_SPIN_US", "250")
    assert threads._spin_seconds() == pytest.approx(250e-6)
    monkeypatch.setenv("MINIKERAS_SPIN_US", "0")
    assert threads._spin_seconds() == 0
    monkeypatch.setenv("MINIKERAS_SPIN_US", "lots")
    assert threads._spin_seconds() == 1e-3


@pytest.mark.parametrize("spin_seconds", [0.0, 1e-3])
def test_concurrent_and_nested_callers_each_get_every_block(monkeypatch, spin_seconds):
    """Two caller threads share the pool (one runs its blocks alone while the other holds it),
    and a block that itself splits work runs the inner split alone instead of waiting on a pool
    that is busy with the outer job."""
    monkeypatch.setattr(threads, "SPIN_SECONDS", spin_seconds)
    monkeypatch.setattr(threads, "_pool", None)  # a fresh pool with this polling time

    def inner(i0, i1):
        return sum(threads.run_blocks(lambda a, b: b - a, i1 - i0, threads=2))

    def outer(out, key):
        for _ in range(20):
            out[key] = threads.run_blocks(inner, 40, threads=2, per_thread=2)

    out = {}
    callers = [threading.Thread(target=outer, args=(out, k)) for k in range(3)]
    for t in callers:
        t.start()
    for t in callers:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in callers)
    assert out == {k: [10, 10, 10, 10] for k in range(3)}
    pool = threads._pool[0]
    assert (pool.spins == 0) == (spin_seconds == 0)  # polls only when asked to
    assert pool.job is None  # the finished job is not kept alive


def test_no_polling_without_the_jit_or_when_asked_for_none(monkeypatch):
    assert spin.spins_for(1e-3) > 0
    assert spin.spins_for(0) == 0
    monkeypatch.setattr(spin.numba.config, "DISABLE_JIT", True)  # the atomic loads need numba
    assert spin.spins_for(1e-3) == 0


def test_a_model_trains_the_same_on_two_threads(monkeypatch):
    """Conv, pooling, bias+ReLU, LSTM and Dense layers with every split path forced on (tiny
    thresholds): three Adam steps on two threads give the one-thread weights."""
    import minikeras as keras

    def train(n):
        keras.config.set_num_threads(n)
        keras.utils.set_random_seed(3)
        frames = keras.Input((4, 10, 10, 3))
        layers = keras.layers
        cnn = keras.Sequential(
            [
                keras.Input((10, 10, 3)),
                layers.Conv2D(6, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(8, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
            ]
        )
        h = layers.LSTM(8)(layers.TimeDistributed(cnn)(frames))
        model = keras.Model(frames, layers.Dense(3)(h))
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        model.compile(optimizer="adam", loss=loss)
        r = np.random.default_rng(0)
        x = r.random((16, 4, 10, 10, 3), dtype=np.float32)
        y = r.integers(0, 3, 16)
        losses = [model.train_on_batch(x, y) for _ in range(3)]
        return losses, model.get_weights()

    for module in (kconv, kba, kpool):
        monkeypatch.setattr(module, "PARALLEL_MIN", 1)
    for module in (kba, kpool):
        monkeypatch.setattr(module, "GRAD_PARALLEL_MIN", 1)
    monkeypatch.setattr(threads, "GEMM_PARALLEL_MIN", 1)
    monkeypatch.setattr(threads, "_pool", None)
    try:
        one = train(1)
        assert threads._pool is None  # one thread never starts the pool
        two = train(2)
    finally:
        keras.config.set_num_threads(1)
    pool = threads._pool[0]  # the split paths ran as pool jobs, the products as posted blocks
    assert pool.flags[0] + pool.posts[:, 0].sum() > 50
    np.testing.assert_allclose(two[0], one[0], rtol=1e-5)
    for a, b in zip(two[1], one[1]):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize(
    "sa, sb",
    [
        ((8, 64, 96), (8, 96, 80)),  # attention scores: stacks of the same length
        ((2, 4, 64, 96), (2, 4, 96, 80)),  # two leading axes
        ((4, 128, 64), (64, 256)),  # a stack times a matrix (Dense on a sequence)
        ((1, 64, 96), (3, 96, 80)),  # a broadcast: left to np.matmul
        ((3, 5, 7), (3, 7, 2)),  # below the threshold
    ],
)
def test_batched_matmul_matches_numpy_on_two_threads(monkeypatch, sa, sb):
    """Split by rows (stack @ matrix) or by stack entries, each block one BLAS call: the same
    numbers as np.matmul, float32 and float64."""
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    monkeypatch.setattr(threads, "GEMM_PARALLEL_MIN", 1000)
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        a, b = rng.standard_normal(sa).astype(dtype), rng.standard_normal(sb).astype(dtype)
        got = threads.batched_matmul(a, b)
        assert got.dtype == dtype and got.shape == np.matmul(a, b).shape
        np.testing.assert_allclose(got, np.matmul(a, b), rtol=1e-5, atol=1e-5)


@pytest.fixture
def block_counts(monkeypatch):
    """Two threads, a low split threshold, and the list of the `n` each run_blocks call got."""
    calls = []
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    monkeypatch.setattr(threads, "GEMM_PARALLEL_MIN", 1000)
    real = threads.run_blocks
    monkeypatch.setattr(
        threads, "run_blocks", lambda fn, n, *a, **k: calls.append(n) or real(fn, n, *a, **k)
    )
    return calls


def test_batched_matmul_uses_the_threads_for_stacks(block_counts):
    calls = block_counts
    a, b = np.ones((6, 32, 16), np.float32), np.ones((6, 16, 8), np.float32)
    np.testing.assert_array_equal(threads.batched_matmul(a, b), np.full((6, 32, 8), 16.0))
    assert calls == [6]  # split over the six stack entries


def test_batched_matmul_splits_strided_4d_stacks_on_their_first_axis(block_counts):
    """Attention's stacks (batch, heads, m, k) arrive transposed (strided): they are split on
    the batch axis as they are (a reshape to (batch * heads, m, k) would copy them whole), with
    np.matmul's numbers."""
    calls = block_counts
    rng = np.random.default_rng(3)
    a = rng.standard_normal((5, 12, 3, 8)).astype(np.float32).transpose(0, 2, 1, 3)
    b = rng.standard_normal((5, 3, 8, 12)).astype(np.float32)
    got = threads.batched_matmul(a, b)
    assert calls == [5]
    np.testing.assert_allclose(got, np.matmul(a, b), rtol=1e-5, atol=1e-5)
