"""The recurrent kernels (forward and BPTT) against their numpy references."""

import numpy as np
import pytest

from minikeras.kernels import rnn as K

C = np.ascontiguousarray
TOL = {"float64": 1e-11, "float32": 3e-5}


def _data(dtype, batch, steps, units, gates, seed=0):
    rng = np.random.default_rng(seed)

    def r(*shape, scale=1.0):
        return (scale * rng.standard_normal(shape)).astype(dtype)

    mask = rng.random((batch, steps)) > 0.35
    mask[0] = True  # a full row
    if batch > 1:
        mask[1, :2] = False  # pre-padding, then a hole in the middle
        mask[1, -1] = False
    if batch > 2:
        mask[2] = False  # a fully masked row
    return {
        "xw": r(batch, steps, gates * units),
        "u": r(units, gates * units, scale=0.6),
        "h0": r(batch, units),
        "c0": r(batch, units),
        "brec": r(gates * units),
        "dy": r(batch, steps, units),
        "dh": r(batch, units),
        "dc": r(batch, units),
        "mask": mask,
    }


def _close(got, want, dtype):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype == np.dtype(dtype)
        np.testing.assert_allclose(g, w, rtol=TOL[dtype], atol=TOL[dtype])


SHAPES = [(1, 1, 1), (3, 4, 2), (18, 6, 5)]  # 18 rows: two threads and a partial group of 4


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("zero_output", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
def test_simple_rnn_kernels(dtype, zero_output, shape):
    d = _data(dtype, *shape, gates=1)
    args = (d["xw"], C(d["u"].T), d["h0"], d["mask"], zero_output)
    want = K.simple_rnn_forward_ref(*args)
    _close(K.simple_rnn_forward(*args), want, dtype)
    back = (d["dy"], d["dh"], d["u"], want[0], d["mask"], zero_output)
    _close(K.simple_rnn_backward(*back), K.simple_rnn_backward_ref(*back), dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("zero_output", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_kernels(dtype, zero_output, shape):
    d = _data(dtype, *shape, gates=4)
    args = (d["xw"], C(d["u"].T), d["h0"], d["c0"], d["mask"], zero_output)
    want = K.lstm_forward_ref(*args)
    _close(K.lstm_forward(*args), want, dtype)
    _, _, cprev, act, tc, _, _ = want
    back = (d["dy"], d["dh"], d["dc"], d["u"], cprev, act, tc, d["mask"], zero_output)
    _close(K.lstm_backward(*back), K.lstm_backward_ref(*back), dtype)


# post-padded lengths of 19 sequences of 9 steps, in shuffled order, with a group of short ones
LENGTHS = np.array([9, 1, 2, 9, 1, 1, 5, 9, 0, 2, 1, 7, 9, 3, 1, 2, 8, 1, 4])


def _mixed_lengths(monkeypatch, threads, gates, seed):
    """float64 data for 19 rows of 9 steps, the mask of LENGTHS, and `threads` kernel threads."""
    monkeypatch.setattr(K.threads, "num_threads", lambda: threads)
    return _data("float64", 19, 9, 5, gates=gates, seed=seed), np.arange(9) < LENGTHS[:, None]


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("zero_output", [False, True])
def test_lstm_kernels_with_padded_batches_of_mixed_lengths(monkeypatch, threads, zero_output):
    """Rows run longest first, and groups of rows whose steps are all masked skip the recurrent
    product: post-padded sequences of very different lengths (a whole group of short rows), in
    shuffled batch order, still match the reference."""
    d, mask = _mixed_lengths(monkeypatch, threads, gates=4, seed=7)
    args = (d["xw"], C(d["u"].T), d["h0"], d["c0"], mask, zero_output)
    want = K.lstm_forward_ref(*args)
    _close(K.lstm_forward(*args), want, "float64")
    _, _, cprev, act, tc, _, _ = want
    back = (d["dy"], d["dh"], d["dc"], d["u"], cprev, act, tc, mask, zero_output)
    _close(K.lstm_backward(*back), K.lstm_backward_ref(*back), "float64")
    order = K._by_length(mask)
    assert list(LENGTHS[order]) == sorted(LENGTHS, reverse=True)


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("zero_output", [False, True])
def test_simple_rnn_kernels_with_padded_batches_of_mixed_lengths(monkeypatch, threads, zero_output):
    """The SimpleRNN kernels' longest-first order and skipped products, as for the LSTM above."""
    d, mask = _mixed_lengths(monkeypatch, threads, gates=1, seed=9)
    args = (d["xw"], C(d["u"].T), d["h0"], mask, zero_output)
    want = K.simple_rnn_forward_ref(*args)
    _close(K.simple_rnn_forward(*args), want, "float64")
    back = (d["dy"], d["dh"], d["u"], want[0], mask, zero_output)
    _close(K.simple_rnn_backward(*back), K.simple_rnn_backward_ref(*back), "float64")


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("zero_output", [False, True])
def test_gru_kernels_with_padded_batches_of_mixed_lengths(monkeypatch, threads, zero_output):
    """The GRU kernels' longest-first order and skipped products, as for the LSTM above."""
    d, mask = _mixed_lengths(monkeypatch, threads, gates=3, seed=8)
    args = (d["xw"], C(d["u"].T), d["brec"], d["h0"], mask, zero_output)
    want = K.gru_forward_ref(*args)
    _close(K.gru_forward(*args), want, "float64")
    _, hprev, act, hn, _ = want
    back = (d["dy"], d["dh"], d["u"], hprev, act, hn, mask, zero_output)
    _close(K.gru_backward(*back), K.gru_backward_ref(*back), "float64")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("zero_output", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
def test_gru_kernels(dtype, zero_output, shape):
    d = _data(dtype, *shape, gates=3)
    args = (d["xw"], C(d["u"].T), d["brec"], d["h0"], d["mask"], zero_output)
    want = K.gru_forward_ref(*args)
    _close(K.gru_forward(*args), want, dtype)
    _, hprev, act, hn, _ = want
    back = (d["dy"], d["dh"], d["u"], hprev, act, hn, d["mask"], zero_output)
    _close(K.gru_backward(*back), K.gru_backward_ref(*back), dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("zero_output", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
def test_gru_reset_before_kernels(dtype, zero_output, shape):
    d = _data(dtype, *shape, gates=3)
    units = shape[2]
    u_zr, u_h = C(d["u"][:, : 2 * units]), C(d["u"][:, 2 * units :])
    args = (d["xw"], C(u_zr.T), C(u_h.T), d["h0"], d["mask"], zero_output)
    want = K.gru_v1_forward_ref(*args)
    _close(K.gru_v1_forward(*args), want, dtype)
    _, hprev, act, _ = want
    back = (d["dy"], d["dh"], u_zr, u_h, hprev, act, d["mask"], zero_output)
    _close(K.gru_v1_backward(*back), K.gru_v1_backward_ref(*back), dtype)


def test_masked_steps_keep_states_and_repeat_outputs():
    d = _data("float64", 3, 5, 2, gates=4)
    mask = np.array([[0, 1, 0, 1, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]], bool)
    y, hprev, _, _, _, h, c = K.lstm_forward(d["xw"], C(d["u"].T), d["h0"], d["c0"], mask, False)
    np.testing.assert_array_equal(y[0, 0], 0)  # nothing to repeat yet
    np.testing.assert_array_equal(y[0, 2], y[0, 1])
    np.testing.assert_array_equal(y[0, 4], y[0, 3])
    np.testing.assert_array_equal(hprev[0, 2], hprev[0, 3])  # the state skipped step 2
    np.testing.assert_array_equal(h[2], d["h0"][2])  # a fully masked row keeps its state
    np.testing.assert_array_equal(c[2], d["c0"][2])
    np.testing.assert_array_equal(y[2], 0)


def test_threaded_blocks_match_one_block(monkeypatch):
    d = _data("float32", 37, 4, 3, gates=4)
    args = (d["xw"], C(d["u"].T), d["h0"], d["c0"], d["mask"], False)
    monkeypatch.setattr(K.threads, "num_threads", lambda: 1)
    one = K.lstm_forward(*args)
    monkeypatch.setattr(K.threads, "num_threads", lambda: 3)
    for a, b in zip(K.lstm_forward(*args), one):
        np.testing.assert_array_equal(a, b)


def test_bad_shapes_raise_before_the_kernel_runs():
    d = _data("float64", 3, 4, 2, gates=4)
    with pytest.raises(ValueError, match="inconsistent shapes"):
        K.lstm_forward(d["xw"], C(d["u"].T), d["h0"][:2], d["c0"], d["mask"], False)
    with pytest.raises(ValueError, match="inconsistent shapes"):
        K.lstm_forward(d["xw"], C(d["u"].T), d["h0"], d["c0"], d["mask"][:, :2], False)


def test_float32_gate_activations():
    x = np.concatenate(
        [np.linspace(-100, 100, 40001), [0.0, 1e-30, -1e-30, 0.2499, 0.2501, 88.9, -89.0]]
    ).astype("float32")
    s, t = K.gate_activations(x)
    rs, rt = K.gate_activations_ref(x.astype("float64"))
    np.testing.assert_allclose(s, rs, rtol=5e-7, atol=1e-7)
    np.testing.assert_allclose(t, rt, rtol=5e-7, atol=1e-7)
    s, t = K.gate_activations(np.array([np.nan, np.inf, -np.inf], "float32"))
    assert np.isnan(s[0]) and np.isnan(t[0])  # NaN is not hidden by the range clamp
    np.testing.assert_allclose(s[1:], [1, 0], atol=1e-30)
    np.testing.assert_array_equal(t[1:], [1, -1])
