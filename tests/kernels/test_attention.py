"""kernels/attention.py: multi-head attention per (batch, head) in cache, against its float64
reference, on one thread and two, with and without BLAS."""

import numpy as np
import pytest

from minikeras.kernels import attention as at, blas, threads

# (batch, target time, source time, heads, key depth, value depth)
SHAPES = [
    (2, 7, 7, 1, 4, 4),
    (3, 5, 9, 4, 8, 6),  # target and source lengths and depths differ
    (4, 33, 40, 2, 16, 16),  # rows longer than 16 with a tail (the maximum's lanes)
    (32, 128, 128, 4, 16, 16),  # the keras.io block
]


def _operands(shape, seed, spread=1.0):
    b, t, s, h, k, v = shape
    rng = np.random.default_rng(seed)
    q = (rng.normal(size=(b, t, h, k)) * spread / np.sqrt(k)).astype(np.float32)
    key = rng.normal(size=(b, s, h, k)).astype(np.float32)
    val = rng.normal(size=(b, s, h, v)).astype(np.float32)
    return q, key, val


@pytest.mark.parametrize("n_threads", [1, 2])
@pytest.mark.parametrize("shape", SHAPES)
def test_matches_float64_reference(monkeypatch, shape, n_threads):
    """Measured max |kernel - reference| / max |reference|: 2e-7 to 4e-7 (float32 GEMMs and
    the polynomial exp)."""
    monkeypatch.setattr(threads, "num_threads", lambda: n_threads)
    q, k, v = _operands(shape, sum(shape))
    got = at.attention(q, k, v)
    ref = at.attention_ref(q, k, v)
    assert got.dtype == np.float32 and got.shape == ref.shape
    assert np.abs(got - ref).max() <= 2e-6 * np.abs(ref).max()


def test_large_logits_stay_finite():
    """Scores of magnitude ~1e3 (a peaked softmax): exp of the shifted scores never overflows."""
    q, k, v = _operands((2, 9, 11, 2, 8, 5), 3, spread=300.0)
    got = at.attention(q, k, v)
    ref = at.attention_ref(q, k, v)
    assert np.isfinite(got).all()
    assert np.abs(got - ref).max() <= 1e-5 * np.abs(ref).max()


def test_split_over_threads_gives_the_same_bits(monkeypatch):
    q, k, v = _operands((8, 20, 20, 3, 8, 8), 5)
    monkeypatch.setattr(threads, "num_threads", lambda: 1)
    one = at.attention(q, k, v)
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    np.testing.assert_array_equal(at.attention(q, k, v), one)


def test_without_blas_the_loops_give_the_same_answer(monkeypatch):
    q, k, v = _operands((2, 6, 10, 2, 4, 3), 7)
    with_blas = at.attention(q, k, v)
    monkeypatch.setattr(blas, "gemm_address", lambda dtype: 0)
    without = at.attention(q, k, v)
    np.testing.assert_allclose(without, with_blas, rtol=1e-5, atol=1e-6)


def test_nan_rows_are_nan_as_numpy():
    q, k, v = _operands((1, 4, 5, 1, 2, 2), 9)
    q[0, 2, 0, 0] = np.nan
    got = at.attention(q, k, v)
    assert np.isnan(got[0, 2]).all() and np.isfinite(np.delete(got[0], 2, axis=0)).all()


@pytest.mark.parametrize("batch_of_mask", [1, 4])
def test_masks_as_the_softmax_layer(batch_of_mask):
    """Masked scores become MASKED before the softmax and 0 after it; a fully masked query row
    gives a zero output; a mask with a batch axis of 1 serves every batch entry."""
    q, k, v = _operands((4, 6, 20, 2, 8, 5), 11)
    mask = np.random.default_rng(2).random((batch_of_mask, 6, 20)) > 0.5
    mask[0, 3] = False
    got = at.attention(q, k, v, mask)
    ref = at.attention_ref(q, k, v, mask)
    assert np.abs(got - ref).max() <= 2e-6 * np.abs(ref).max()
    assert (got[:, 3] == 0).all() if batch_of_mask == 1 else (got[0, 3] == 0).all()
    unmasked = at.attention(q, k, v, np.ones((1, 6, 20), bool))
    np.testing.assert_array_equal(unmasked, at.attention(q, k, v))


def test_rejects_other_operands():
    q, k, v = _operands((1, 4, 4, 2, 4, 4), 0)
    with pytest.raises(TypeError, match="float32 4-D"):
        at.attention(q.astype(np.float64), k, v)
    with pytest.raises(ValueError, match="do not fit"):
        at.attention(q, k[:, :, :1], v)
    with pytest.raises(ValueError, match="the mask must be"):
        at.attention(q, k, v, np.ones((2, 4, 4), bool))
