"""`ctc_loss` and `ctc_decode` against real Keras 3 (jax backend) values from
`tests/data/keras/make_metric_loss_fixtures.py`, a brute-force enumeration of alignments, and
float64 central differences for the gradient."""

import itertools
import json
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras.core.autodiff import gradients
from minikeras.core.ops.ctc import ctc_forward_backward, ctc_loss_exact
from minikeras.core.tensor import Tensor
from tests.helpers import check_grad

HERE = os.path.dirname(__file__)
DATA = os.path.join(HERE, "..", "..", "data", "keras", "metrics_losses2_k3.npz")
FIX = np.load(DATA)


def _brute_force_nll(logits, labels, blank=0):
    """-log p(labels): sums the probabilities of every frame path that collapses to `labels`."""
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    total = 0.0
    for path in itertools.product(range(logits.shape[-1]), repeat=logits.shape[0]):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
        if collapsed == list(labels):
            total += np.exp(sum(logp[t, c] for t, c in enumerate(path)))
    return -np.log(total)


@pytest.mark.parametrize("i", range(3))
def test_ctc_loss_and_gradient_match_keras3(i):
    case = json.loads(str(FIX[f"ctc{i}"]))
    args = {k: FIX["x_" + v] for k, v in case["names"].items()}
    z = Tensor(args.pop("output"), requires_grad=True)
    loss = keras.ops.ctc_loss(output=z, **args, **case["kwargs"])
    assert loss.dtype == np.float32 and loss.shape == (4,)
    np.testing.assert_allclose(loss.numpy(), FIX[f"ctc{i}_loss"], rtol=1e-5, atol=1e-5)
    (grad,) = gradients(keras.ops.sum(loss), [z])
    np.testing.assert_allclose(grad, FIX[f"ctc{i}_grad"], rtol=1e-5, atol=1e-5)


def test_ctc_loss_matches_enumerated_alignments():
    """The definition: the sum over alignments, repeats needing a blank between them."""
    rng = np.random.default_rng(3)
    z = rng.normal(size=(3, 5, 3))
    labels = np.array([[1, 2, 0], [2, 2, 0], [1, 0, 0]])
    loss = ctc_loss_exact(labels, z, np.array([2, 2, 1]), np.array([5, 4, 3])).numpy()  # float64
    expected = [
        _brute_force_nll(z[0], [1, 2]),
        _brute_force_nll(z[1, :4], [2, 2]),
        _brute_force_nll(z[2, :3], [1]),
    ]
    np.testing.assert_allclose(loss, expected, rtol=1e-10)


def test_ctc_loss_gradient_finite_differences_float64():
    labels = np.array([[1, 3, 3], [2, 1, 0]])
    lengths, frames = np.array([3, 2]), np.array([6, 4])

    def fn(z):
        return ctc_loss_exact(labels, z, lengths, frames)  # in float64

    check_grad(fn, (2, 6, 4), rtol=1e-5, atol=1e-7)


def test_ctc_loss_impossible_target_is_inf_with_zero_gradient():
    """Two equal labels need three frames: with two, no alignment exists (TF/torch give inf)."""
    z = Tensor(np.zeros((1, 2, 3)), requires_grad=True)
    loss = keras.ops.ctc_loss(np.array([[1, 1]]), z, np.array([2]), np.array([2]))
    assert np.isinf(loss.numpy()[0])
    (grad,) = gradients(keras.ops.sum(loss), [z])
    assert np.all(grad == 0)


def test_forward_backward_reference_padding_frames_get_no_gradient():
    z = np.random.default_rng(0).normal(size=(1, 6, 3))
    _, grad = ctc_forward_backward(z, np.array([[1, 2]]), np.array([2]), np.array([4]), 0)
    assert np.all(grad[0, 4:] == 0) and np.abs(grad[0, :4]).sum() > 0


@pytest.mark.parametrize("i", range(9))
def test_ctc_decode_matches_keras3(i):
    """Greedy and beam search paths and scores, as Keras 3.15.1's jax backend gives them."""
    kwargs = json.loads(str(FIX[f"dec{i}"]))
    x, lengths = FIX["x_" + kwargs.pop("x", "dec_x")], FIX["x_" + kwargs.pop("len", "dec_len")]
    paths, scores = keras.ops.ctc_decode(x, lengths, **kwargs)
    assert paths.dtype == np.int32
    np.testing.assert_array_equal(paths.numpy(), FIX[f"dec{i}_paths"])
    np.testing.assert_allclose(scores.numpy(), FIX[f"dec{i}_scores"], rtol=1e-5, atol=1e-5)


def test_ctc_decode_rejects_unknown_strategy():
    with pytest.raises(ValueError, match="strategy"):
        keras.ops.ctc_decode(FIX["x_dec_x"], FIX["x_dec_len"], strategy="best")


def test_float64_logits_give_keras_float32_losses_and_scores():
    # Keras 3.15.1 (torch): result_type(float64, "float32") is float32 for both ops
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((2, 6, 4))
    labels, lengths, frames = np.array([[1, 2, 0], [3, 1, 1]]), np.array([2, 3]), np.array([6, 5])
    loss = keras.ops.ctc_loss(labels, logits, lengths, frames)
    assert loss.dtype == np.float32
    np.testing.assert_allclose(
        loss.numpy(), ctc_loss_exact(labels, logits, lengths, frames).numpy(), rtol=1e-5
    )
    _, scores = keras.ops.ctc_decode(logits, frames, strategy="greedy")
    assert scores.dtype == np.float32
    x = keras.Variable(logits.astype("float64"))  # the gradient reaches a float64 variable
    from minikeras.core.autodiff import GradientTape

    with GradientTape() as tape:
        total = keras.ops.sum(keras.ops.ctc_loss(labels, x, lengths, frames))
    (g,) = tape.gradient(total, [x])
    assert g is not None and np.asarray(g).shape == logits.shape
