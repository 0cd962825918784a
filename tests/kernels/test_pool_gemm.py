"""Product blocks posted to the pool threads' polling loops (`pool_gemm.py`, `threads.matmul`):
the numbers are numpy's, each block runs exactly once (by the polling thread, or by the caller
when no thread claims it), and the pool falls back to Python jobs when it is busy or asleep."""

import threading
import time

import numpy as np
import pytest

from minikeras.kernels import blas, threads
from minikeras.kernels import pool_gemm as pg


def _operands(layout, dtype, m=37, k=19, n=23, seed=0):
    r = np.random.default_rng(seed)
    a = r.standard_normal((k, m) if "ta" in layout else (m, k)).astype(dtype)
    a = a.T if "ta" in layout else a
    b = r.standard_normal((n, k) if "tb" in layout else (k, n + 5)).astype(dtype)
    b = b.T if "tb" in layout else b[:, 2 : 2 + n]  # a transposed view, or strided columns
    return a, b


@pytest.mark.parametrize("layout", ["", "ta", "tb", "ta tb"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_block_nobody_claims_is_run_by_the_caller(layout, dtype):
    a, b = _operands(layout, dtype)
    out = np.full((a.shape[0], b.shape[1]), np.nan, dtype)
    posts = np.zeros((1, pg.FIELDS), np.int64)
    address = blas.gemm_address(dtype)
    for r0, r1 in [(0, 10), (10, 37), (5, 5)]:  # an empty block too
        seq = pg.post(posts, 0, pg.fields(address, a, b, out, r0, r1))
        pg.finish(posts, 0, seq, 10)  # no thread polls: the caller claims and runs it
        assert posts[0, pg.CLAIMED] == posts[0, pg.DONE] == seq
    np.testing.assert_allclose(out, pg.gemm_ref(a, b), rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_a_polling_thread_runs_the_posted_block_and_still_sees_its_next_job():
    a, b = _operands("ta", np.float32, m=300, k=64, n=200)
    out = np.zeros((300, 200), np.float32)
    posts, flags = np.zeros((1, pg.FIELDS), np.int64), np.zeros(1, np.int64)
    result = []
    server = threading.Thread(target=lambda: result.append(pg.serve(flags, 1, 10**12, posts, 0)))
    server.start()
    seq = pg.post(posts, 0, pg.fields(blas.gemm_address(np.float32), a, b, out, 0, 300))
    deadline = time.monotonic() + 30
    while posts[0, pg.CLAIMED] < seq and time.monotonic() < deadline:
        time.sleep(0.001)
    assert posts[0, pg.CLAIMED] == seq  # claimed by the polling thread, not by this one
    pg.finish(posts, 0, seq, 10)
    np.testing.assert_allclose(out, a @ b, rtol=1e-5, atol=1e-5)
    flags[0] = 1  # the next Python job ends the poll
    server.join(timeout=30)
    assert result == [True]
    assert not pg.serve(flags, 2, 100, posts, 0)  # nothing to do: False after the reads


def test_operand_layouts():
    x = np.zeros((4, 6), np.float32)
    assert pg.operand(x) == (111, 6)
    assert pg.operand(x.T) == (112, 6)
    assert pg.operand(x[:, 1:4]) == (111, 6)
    assert pg.operand(x[::2, ::2]) is None  # neither rows nor columns contiguous


@pytest.mark.parametrize("n_threads", [2, 3])
@pytest.mark.parametrize("layout", ["", "ta", "tb"])
def test_threads_matmul_posts_blocks_with_numpys_numbers(monkeypatch, n_threads, layout):
    monkeypatch.setattr(threads, "num_threads", lambda: n_threads)
    monkeypatch.setattr(threads, "GEMM_PARALLEL_MIN", 1)
    a, b = _operands(layout, np.float32, m=200, k=30, n=40, seed=n_threads)
    for _ in range(3):
        # whether the pool threads poll depends on the machine's load: each posted block is run
        # by its thread (woken if it slept) or, unclaimed, by the caller; the numbers are numpy's
        out = np.full((200, 40), np.nan, np.float32)
        assert threads._posted_rows(a, b, out, n_threads)
        np.testing.assert_allclose(out, a @ b, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(threads.matmul(a, b), a @ b, rtol=1e-5, atol=1e-5)


def test_busy_or_sleeping_pool_takes_the_python_path(monkeypatch):
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    monkeypatch.setattr(threads, "GEMM_PARALLEL_MIN", 1)
    a, b = _operands("", np.float64, m=128, k=20, n=30)
    want = a @ b
    # inside a pool job the pool is busy: the product splits alone, with the same numbers
    outs = threads.run_blocks(lambda i0, i1: threads.matmul(a, b), 2, threads=2, per_thread=1)
    for got in outs:
        np.testing.assert_allclose(got, want, rtol=1e-12)
    # a pool that never polls (MINIKERAS_SPIN_US=0) takes Python jobs: nothing is posted
    monkeypatch.setattr(threads, "SPIN_SECONDS", 0.0)
    monkeypatch.setattr(threads, "_pool", None)
    assert not threads._posted_rows(a, b, np.empty_like(want), 2)
    np.testing.assert_allclose(threads.matmul(a, b), want, rtol=1e-12)
    monkeypatch.setattr(threads, "_pool", None)  # the next test gets a polling pool again


def test_a_sleeping_pool_thread_is_woken_to_claim_its_block(monkeypatch):
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    monkeypatch.setattr(threads, "GEMM_PARALLEL_MIN", 1)
    a, b = _operands("", np.float32, m=2048, k=256, n=256)  # the caller's half: ~0.7 ms
    pool = threads._get_pool(1)
    ran = []
    real = pg.finish
    monkeypatch.setattr(pg, "finish", lambda *args: ran.append(real(*args)) or ran[-1])
    for _ in range(5):
        deadline = time.monotonic() + 30
        while pool.sleepers < pool.size and time.monotonic() < deadline:  # polls time out
            time.sleep(0.002)
        assert pool.sleepers == pool.size
        out = np.full((2048, 256), np.nan, np.float32)
        assert threads._posted_rows(a, b, out, 2)  # posted all the same, and the thread woken
        np.testing.assert_allclose(out, a @ b, rtol=1e-4, atol=1e-4)
    assert ran.count(0) >= 1  # the woken thread claimed blocks (1: the caller, when it lagged)
