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
