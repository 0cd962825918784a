"""Tests for minikeras/core/ops/fused_rnn.py: the whole-sequence SimpleRNN/LSTM/GRU ops.

Forward values are held to the plain-numpy recurrences of tests/layers/rnn/rnn_reference.py
(Keras's documented formulas and masking rule, one step at a time); gradients to float64
central differences of the op's own forward.
"""

import numpy as np
import pytest

from helpers import check_grad, randn
from minikeras.core.ops import fused_rnn
from minikeras.core.tensor import Tensor
from tests.layers.rnn.rnn_reference import gru_step, lstm_step, run, simple_step

pytestmark = pytest.mark.filterwarnings("error")

B, T, F, U = 2, 4, 3, 2
MASK = np.array([[1, 1, 0, 1], [1, 0, 0, 1]], bool)


def _weights(kind, reset_after=True):
    gates = {"simple": 1, "lstm": 4, "gru": 3}[kind]
    bias = (
        randn(2, gates * U, seed=3) if kind == "gru" and reset_after else randn(gates * U, seed=3)
    )
    return randn(F, gates * U, seed=1), randn(U, gates * U, seed=2), bias


def _op(kind, reset_after=True):
    if kind == "simple":
        return fused_rnn.simple_rnn, {}
    if kind == "lstm":
        return fused_rnn.lstm, {}
    return fused_rnn.gru, {"reset_after": reset_after}


CASES = [("simple", True), ("lstm", True), ("gru", True), ("gru", False)]


@pytest.mark.parametrize("kind, reset_after", CASES)
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_forward_matches_numpy_recurrence(kind, reset_after, go_backwards, zero_output):
    x = randn(B, T, F)
    w = _weights(kind, reset_after)
    n_states = 2 if kind == "lstm" else 1
    h0 = [randn(B, U, seed=5 + k) for k in range(n_states)]
    op, kw = _op(kind, reset_after)
    tensors = [Tensor(a) for a in (x, *w)]
    states0 = [Tensor(h) for h in h0]
    last, seq, states = op(*tensors, states0, MASK, go_backwards, zero_output, True, **kw)
    steps = {"simple": simple_step, "lstm": lstm_step}
    step = steps.get(kind) or (lambda x, s, w: gru_step(x, s, w, reset_after))
    ref_seq, ref_last, ref_states = run(step, x, w, h0, MASK, go_backwards, zero_output)
    np.testing.assert_allclose(seq.numpy(), ref_seq, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(last.numpy(), ref_last, rtol=1e-10, atol=1e-12)
    for s, r in zip(states, ref_states):
        np.testing.assert_allclose(s.numpy(), r, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kind, reset_after", CASES)
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gradients(kind, reset_after, go_backwards):
    """d(sequence and final states) / d(x, kernel, recurrent_kernel, bias, initial states)."""
    op, kw = _op(kind, reset_after)
    n_states = 2 if kind == "lstm" else 1
    shapes = [np.shape(a) for a in _weights(kind, reset_after)]

    def fn(x, kernel, rec, bias, *h0):
        _, seq, states = op(x, kernel, rec, bias, list(h0), MASK, go_backwards, False, True, **kw)
        return seq + sum(s.reshape((B, 1, U)) for s in states)

    check_grad(fn, (B, T, F), *shapes, *[(B, U)] * n_states, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_lstm_without_gradient_runs_the_inference_kernel(
    monkeypatch, go_backwards, return_sequences
):
    """Under no_grad (predict) the LSTM op keeps nothing for a backward pass: it runs
    `kernels.lstm_infer` and gives the recording path's outputs and states."""
    from minikeras.core.autodiff import no_grad

    w = [Tensor(a, requires_grad=True) for a in _weights("lstm")]
    x = Tensor(randn(B, T, F), requires_grad=True)
    h0 = [Tensor(randn(B, U, seed=5 + k)) for k in range(2)]
    args = (h0, MASK, go_backwards, False, return_sequences)
    last, seq, states = fused_rnn.lstm(x, *w, *args)
    assert last.requires_grad
    calls = []
    infer = fused_rnn.kernels.lstm_infer
    monkeypatch.setattr(
        fused_rnn.kernels.__class__,
        "__getattr__",
        lambda self, name: (
            (lambda *a: calls.append(1) or infer(*a))
            if name == "lstm_infer"
            else pytest.fail(f"no_grad LSTM called kernels.{name}")
        ),
    )
    with no_grad():
        last2, seq2, states2 = fused_rnn.lstm(x, *w, *args)
    assert calls == [1] and not last2.requires_grad
    np.testing.assert_allclose(last2.numpy(), last.numpy(), rtol=1e-12, atol=1e-12)
    assert (seq2 is None) == (seq is None)
    if seq is not None:
        np.testing.assert_allclose(seq2.numpy(), seq.numpy(), rtol=1e-12, atol=1e-12)
    for s2, s in zip(states2, states):
        np.testing.assert_allclose(s2.numpy(), s.numpy(), rtol=1e-12, atol=1e-12)


def test_lstm_without_gradient_or_blas_keeps_the_recording_kernels(monkeypatch):
    """Without numpy's gemm (`blas.gemm_address` 0) the no_grad LSTM runs the recording kernels,
    which are faster than the inference kernel's own loop product: same outputs."""
    from minikeras.core.autodiff import no_grad
    from minikeras.kernels import blas

    w = [Tensor(a) for a in _weights("lstm")]
    x = Tensor(randn(B, T, F))
    states = [Tensor(randn(B, U, seed=5 + k)) for k in range(2)]
    with no_grad():
        want = fused_rnn.lstm(x, *w, states, MASK, False, False, True)
        monkeypatch.setattr(blas, "gemm_address", lambda dtype: 0)
        monkeypatch.setattr(
            fused_rnn.kernels.__class__,
            "__getattr__",
            lambda self, name: (
                pytest.fail("lstm_infer without BLAS")
                if name == "lstm_infer"
                else getattr(fused_rnn.load_kernels("rnn"), name)
            ),
        )
        got = fused_rnn.lstm(x, *w, states, MASK, False, False, True)
    np.testing.assert_allclose(got[0].numpy(), want[0].numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got[1].numpy(), want[1].numpy(), rtol=1e-12, atol=1e-12)
