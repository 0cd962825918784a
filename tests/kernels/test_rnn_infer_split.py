"""The unit-split inference LSTM (`rnn_infer_split`, n threads meeting once per step) against
the reference (`lstm_infer_ref`) and the one-thread kernel: Keras's masking rule, both output
modes, float32 and float64, 2-4 threads, units that do not divide evenly."""

import numpy as np
import pytest

from minikeras.kernels import rnn_infer
from minikeras.kernels import rnn_infer_split as rs

TOL = {"float64": 1e-11, "float32": 3e-5}


def _data(dtype, batch, steps, features, units, seed):
    rng = np.random.default_rng(seed)

    def r(*shape, scale=1.0):
        return (scale * rng.standard_normal(shape)).astype(dtype)

    mask = rng.random((batch, steps)) > 0.3
    mask[0] = True
    mask[1, :2] = False  # pre-padding
    mask[2] = False  # a fully masked row
    for b in range(3, batch, 2):  # post-padded rows of mixed lengths
        mask[b] = np.arange(steps) < (b % steps) + 1
    wu = r(features + units, 4 * units, scale=0.6)
    return r(batch, steps, features), wu, r(4 * units), r(batch, units), r(batch, units), mask


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("zero_output", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("shape,n", [((6, 5, 3, 4), 2), ((11, 9, 7, 10), 3), ((8, 3, 2, 5), 4)])
def test_matches_reference_and_one_thread_kernel(dtype, zero_output, return_sequences, shape, n):
    args = _data(dtype, *shape, seed=sum(shape) + n)
    got = rs.lstm_infer_split(*args, zero_output, return_sequences, n)
    want = rnn_infer.lstm_infer_ref(*args, zero_output, return_sequences)
    one = rnn_infer.lstm_infer(*args, zero_output, return_sequences)
    for g, w, o in zip(got, want, one):
        assert g.dtype == np.dtype(dtype) and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=TOL[dtype], atol=TOL[dtype])
        np.testing.assert_allclose(g, o, rtol=TOL[dtype], atol=TOL[dtype])


def test_refuses_bad_arguments():
    x, wu, bias, h0, c0, mask = _data("float32", 4, 3, 2, 3, seed=1)
    with pytest.raises(ValueError, match=r"n_threads must be in \[2, 3\]"):
        rs.lstm_infer_split(x, wu, bias, h0, c0, mask, False, False, 4)
    with pytest.raises(ValueError, match="inconsistent shapes"):
        rs.lstm_infer_split(x, wu[:-1], bias, h0, c0, mask, False, False, 2)


def test_runs_on_the_pool_or_on_its_own_threads_when_the_pool_is_busy(monkeypatch):
    import threading

    from minikeras.kernels import threads

    args = _data("float64", 9, 6, 3, 8, seed=5)
    want = rnn_infer.lstm_infer_ref(*args, False, True)
    started = []
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda t: (started.append(t), real_start(t)))
    got = rs.lstm_infer_split(*args, False, True, 2)  # the pool (made before, or now) runs it
    np.testing.assert_allclose(got[0], want[0], rtol=1e-11, atol=1e-11)
    assert not [t for t in started if not t.name.startswith("minikeras-")]
    # inside a pool job the pool is busy: the kernel starts its own helper (one for 2 parts)
    out = threads.run_blocks(lambda i0, i1: rs.lstm_infer_split(*args, False, True, 2), 2, 2, 1)
    for got in out:
        np.testing.assert_allclose(got[0], want[0], rtol=1e-11, atol=1e-11)
    assert len([t for t in started if not t.name.startswith("minikeras-")]) >= 1
