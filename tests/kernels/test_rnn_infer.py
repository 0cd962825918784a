"""The inference-only LSTM kernel against its numpy reference, and that reference against the
training kernels' reference (`lstm_forward_ref`): same outputs and final states, Keras's masking
rule (a masked step keeps the states and repeats the previous output, or zeros)."""

import numpy as np
import pytest

from minikeras.kernels import rnn as K
from minikeras.kernels import rnn_infer

TOL = {"float64": 1e-11, "float32": 3e-5}


def _data(dtype, batch, steps, features, units, seed=0):
    rng = np.random.default_rng(seed)

    def r(*shape, scale=1.0):
        return (scale * rng.standard_normal(shape)).astype(dtype)

    mask = rng.random((batch, steps)) > 0.35
    mask[0] = True
    if batch > 1:
        mask[1, :2] = False  # pre-padding and a trailing hole
        mask[1, -1] = False
    if batch > 2:
        mask[2] = False  # a fully masked row
    if batch > 4:  # post-padded rows of mixed lengths, as pad_sequences leaves them
        for b in range(3, batch, 2):
            mask[b] = np.arange(steps) < (b % steps) + 1
    wu = r(features + units, 4 * units, scale=0.6)
    return r(batch, steps, features), wu, r(4 * units), r(batch, units), r(batch, units), mask


SHAPES = [(1, 1, 1, 1), (3, 4, 2, 2), (19, 9, 5, 6)]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("zero_output", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_infer_matches_reference(dtype, zero_output, return_sequences, shape):
    args = _data(dtype, *shape)
    got = K.lstm_infer(*args, zero_output, return_sequences)
    want = K.lstm_infer_ref(*args, zero_output, return_sequences)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_lstm_infer_threads_split_rows(monkeypatch, threads):
    monkeypatch.setattr(K.threads, "num_threads", lambda: threads)
    args = _data("float64", 27, 7, 4, 3, seed=4)
    got = K.lstm_infer(*args, False, True)
    want = K.lstm_infer_ref(*args, False, True)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-11, atol=1e-11)


@pytest.mark.parametrize("zero_output", [False, True])
def test_lstm_infer_ref_agrees_with_training_reference(zero_output):
    x, wu, bias, h0, c0, mask = _data("float64", 6, 5, 3, 4, seed=2)
    features = x.shape[2]
    xw = x @ wu[:features] + bias
    ut = np.ascontiguousarray(wu[features:].T)
    y, *_, h, c = K.lstm_forward_ref(xw, ut, h0, c0, mask, zero_output)
    got_y, got_h, got_c = K.lstm_infer_ref(x, wu, bias, h0, c0, mask, zero_output, True)
    for g, w in ((got_y, y), (got_h, h), (got_c, c)):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)


def test_lstm_infer_bad_shapes_raise():
    x, wu, bias, h0, c0, mask = _data("float64", 3, 4, 2, 2)
    with pytest.raises(ValueError, match="lstm_infer: inconsistent shapes"):
        K.lstm_infer(x, wu[1:], bias, h0, c0, mask, False, False)


def test_lstm_infer_without_blas_runs_its_own_product(monkeypatch):
    """With no gemm found (address 0) the kernel multiplies in its own loop: same answers."""
    monkeypatch.setattr(rnn_infer.blas, "gemm_address", lambda dtype: 0)
    args = _data("float32", 9, 5, 3, 4, seed=7)
    got = K.lstm_infer(*args, False, True)
    want = K.lstm_infer_ref(*args, False, True)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=3e-5, atol=3e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("nb, F, u", [(64, 128, 128), (3, 5, 7), (16, 300, 100)])
def test_work_arrays_start_at_their_page_offsets(dtype, nb, F, u):
    """The kernel's hx, c, prev and z: the shapes asked for, C-contiguous, disjoint, each at its
    `_PAGE_OFFSETS` byte offset within a 4 KB page (the layout that avoids 4K aliasing between
    the gate loop's loads and stores; see `_work_arrays`)."""
    from minikeras.kernels import rnn_infer

    x = np.zeros((1, 1, 1), dtype)
    arrays = rnn_infer._work_arrays(x, nb, F, u)
    shapes = [(nb, F + u), (nb, u), (nb, u), (nb, 4 * u)]
    spans = []
    for a, shape, offset in zip(arrays, shapes, rnn_infer._PAGE_OFFSETS):
        assert a.shape == shape and a.dtype == np.dtype(dtype) and a.flags.c_contiguous
        start = a.ctypes.data
        assert start % 4096 == offset
        spans.append((start, start + a.nbytes))
    spans.sort()
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))


def test_page_placed_honours_an_anchor():
    """rnn_common.page_placed: each array at `anchor + offset` modulo 4 KB, whatever the anchor
    (the split kernel anchors its arrays to the shared hx buffer), sizes kept, disjoint."""
    import numba

    from minikeras.kernels.rnn_common import page_placed

    call = numba.njit(lambda x, anchor, offsets, sizes: page_placed(x, anchor, offsets, sizes))
    x = np.zeros(1, np.float32)
    offsets = np.array([2048, 1024, 3072, 0], np.int64)
    sizes = np.array([100, 7, 300, 0], np.int64)
    for anchor in (0, 4, 1000, 123456789 * 4):
        arrays = call(x, anchor, offsets, sizes)
        for a, offset, size in zip(arrays, offsets, sizes):
            assert a.size == size and a.dtype == np.float32
            if size:
                assert (a.ctypes.data - anchor - offset) % 4096 == 0
        ends = sorted((a.ctypes.data, a.ctypes.data + a.nbytes) for a in arrays if a.size)
        assert all(e <= s for (_, e), (s, _) in zip(ends, ends[1:]))
