"""Probabilistic losses (minikeras/losses/probabilistic.py): crossentropies, focal crossentropies,
KL divergence and Poisson against numpy versions of Keras 3's formulas (the 1e-7 clip, logits,
label smoothing, class balancing, sparse label shapes) and the values in Keras's docstrings."""

import os

import numpy as np
import pytest
from helpers import check_grad
from loss_cases import (
    EPS,
    LABELS,
    LOGITS,
    ONE_HOT,
    P_POS,
    P_PROB,
    RNG,
    SOFT,
    Y_BIN,
    Y_POS,
    assert_per_sample,
    bce_np,
    cce_np,
)

from minikeras import losses

CASES = [
    (
        losses.kl_divergence,
        SOFT,
        P_PROB,
        lambda t, p: (np.clip(t, EPS, 1) * np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1))).sum(-1),
    ),
    (losses.poisson, Y_POS, P_POS, lambda t, p: (p - t * np.log(p + EPS)).mean(-1)),
    (losses.binary_crossentropy, Y_BIN, P_PROB, lambda t, p: bce_np(t, p).mean(-1)),
    (
        losses.binary_focal_crossentropy,
        Y_BIN,
        P_PROB,
        lambda t, p: ((1 - (t * p + (1 - t) * (1 - p))) ** 2 * bce_np(t, p)).mean(-1),
    ),
    (losses.categorical_crossentropy, ONE_HOT, SOFT, cce_np),
    (
        losses.sparse_categorical_crossentropy,
        LABELS,
        SOFT,
        lambda t, p: -np.log(p[np.arange(5), t.astype(int)]),
    ),
]


@pytest.mark.parametrize("fn,y_true,y_pred,ref", CASES, ids=[c[0].__name__ for c in CASES])
def test_function_matches_formula(fn, y_true, y_pred, ref):
    assert_per_sample(fn, y_true, y_pred, ref)


def test_keras_documented_values():
    """Values printed in Keras's docstrings."""
    yt, yp = np.array([[0, 1], [0, 0]]), np.array([[-18.6, 0.51], [2.94, -12.8]])
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert float(bce(yt, yp)) == pytest.approx(0.8654, abs=1e-4)
    assert float(bce(yt, yp, sample_weight=[0.8, 0.2])) == pytest.approx(0.243, abs=1e-3)
    assert float(
        losses.BinaryCrossentropy(from_logits=True, reduction="sum")(yt, yp)
    ) == pytest.approx(1.730, abs=1e-3)
    focal = losses.BinaryFocalCrossentropy(gamma=5, from_logits=True, reduction=None)(yt, yp)
    np.testing.assert_allclose(focal.numpy(), [0.0017, 1.1561], atol=1e-4)
    yt, yp = np.array([[0, 1, 0], [0, 0, 1]]), np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    assert float(losses.CategoricalCrossentropy()(yt, yp)) == pytest.approx(1.177, abs=1e-3)
    assert float(
        losses.CategoricalCrossentropy()(yt, yp, sample_weight=np.array([0.3, 0.7]))
    ) == pytest.approx(0.814, abs=1e-3)
    assert float(losses.SparseCategoricalCrossentropy()([1, 2], yp)) == pytest.approx(
        1.177, abs=1e-3
    )
    np.testing.assert_allclose(
        losses.CategoricalFocalCrossentropy(reduction=None)(yt, yp).numpy(),
        [3.2058331e-05, 4.6627346e-01],
        rtol=1e-4,
    )


def test_probability_edge_values_follow_the_1e7_clip():
    """p = 0 on the true class costs -log(1e-7); p = 1 with t = 0 costs -log(1 - (1 - 1e-7))."""
    assert float(losses.categorical_crossentropy([[1.0, 0.0]], [[0.0, 1.0]])[0]) == pytest.approx(
        16.118, abs=1e-3
    )
    assert float(losses.binary_crossentropy([[0.0]], [[1.0]])[0]) == pytest.approx(15.942, abs=1e-3)


def test_from_logits_equals_probabilities():
    np.testing.assert_allclose(
        losses.categorical_crossentropy(ONE_HOT, LOGITS, from_logits=True).numpy(),
        cce_np(ONE_HOT, SOFT),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.sparse_categorical_crossentropy(LABELS, LOGITS, from_logits=True).numpy(),
        -np.log(SOFT[np.arange(5), LABELS]),
        rtol=1e-5,
    )
    z = RNG.standard_normal((5, 3)).astype("float32")
    sig = 1 / (1 + np.exp(-z.astype("float64")))
    np.testing.assert_allclose(
        losses.binary_crossentropy(Y_BIN, z, from_logits=True).numpy(),
        bce_np(Y_BIN, sig).mean(-1),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.binary_focal_crossentropy(Y_BIN, z, gamma=1.5, from_logits=True).numpy(),
        ((1 - (Y_BIN * sig + (1 - Y_BIN) * (1 - sig))) ** 1.5 * bce_np(Y_BIN, sig)).mean(-1),
        rtol=1e-5,
    )


def test_label_smoothing():
    ls = 0.2
    np.testing.assert_allclose(
        losses.BinaryCrossentropy(label_smoothing=ls, reduction=None)(Y_BIN, P_PROB).numpy(),
        bce_np(Y_BIN * (1 - ls) + 0.5 * ls, P_PROB).mean(-1),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.CategoricalCrossentropy(label_smoothing=ls, reduction=None)(ONE_HOT, SOFT).numpy(),
        cce_np(ONE_HOT * (1 - ls) + ls / 3, SOFT),
        rtol=1e-5,
    )


def test_focal_class_balancing():
    alpha = 0.3
    out = losses.binary_focal_crossentropy(Y_BIN, P_PROB, apply_class_balancing=True, alpha=alpha)
    p_t = Y_BIN * P_PROB + (1 - Y_BIN) * (1 - P_PROB)
    w = Y_BIN * alpha + (1 - Y_BIN) * (1 - alpha)
    np.testing.assert_allclose(
        out.numpy(), (w * (1 - p_t) ** 2 * bce_np(Y_BIN, P_PROB)).mean(-1), rtol=1e-5
    )


def test_sparse_label_shapes_and_ignore_class():
    col = LABELS[:, None]
    np.testing.assert_allclose(
        losses.SparseCategoricalCrossentropy(reduction=None)(col, SOFT).numpy(),
        -np.log(SOFT[np.arange(5), LABELS]),
        rtol=1e-5,
    )
    labels = np.array([0, 2, -1, 2, -1])
    out = losses.SparseCategoricalCrossentropy(ignore_class=-1)(labels, SOFT)
    keep = labels != -1
    assert float(out) == pytest.approx(
        -np.log(SOFT[np.arange(5)[keep], labels[keep]]).mean(), rel=1e-5
    )


def test_binary_labels_of_shape_batch_with_column_predictions():
    t, p = Y_BIN[:, 0], P_PROB[:, :1]
    np.testing.assert_allclose(
        float(losses.BinaryCrossentropy()(t, p)), bce_np(t, p[:, 0]).mean(), rtol=1e-5
    )


@pytest.mark.parametrize(
    "loss,y_true,shape",
    [
        (
            losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, dtype="float64"),
            np.eye(4)[[0, 3, 1]],
            (3, 4),
        ),
        (
            losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64"),
            np.array([0, 3, 1]),
            (3, 4),
        ),
        (
            losses.BinaryCrossentropy(from_logits=True, dtype="float64"),
            np.array([[0.0, 1], [1, 1], [0, 0]]),
            (3, 2),
        ),
    ],
)
def test_gradient_reaches_predictions(loss, y_true, shape):
    check_grad(lambda t, p: loss(t, p), y_true, shape, wrt=[1])


def test_gradient_through_probabilities():
    probs = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])
    loss = losses.CategoricalCrossentropy(dtype="float64")
    check_grad(lambda t, p: loss(t, p), np.eye(3)[[1, 2]], probs, wrt=[1])
    bce = losses.BinaryFocalCrossentropy(dtype="float64")
    check_grad(
        lambda t, p: bce(t, p), np.array([[1.0, 0, 1]]), np.array([[0.3, 0.6, 0.9]]), wrt=[1]
    )


# -- CategoricalGeneralizedCrossEntropy: Keras 3.15.1 jax numbers (api16a_misc_k3.npz) --------
_GCE = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "keras", "api16a_misc_k3.npz"))


@pytest.mark.parametrize("q", [0.2, 0.5, 0.9])
def test_generalized_cross_entropy_function_matches_keras3(q):
    out = losses.categorical_generalized_cross_entropy(_GCE["gce_labels"], _GCE["gce_probs"], q)
    np.testing.assert_allclose(out.numpy(), _GCE[f"gce_fn_q{q}"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "reduction", ["sum_over_batch_size", "sum", "none", "mean_with_sample_weight"]
)
def test_generalized_cross_entropy_class_matches_keras3(reduction):
    loss = losses.CategoricalGeneralizedCrossEntropy(q=0.7, reduction=reduction)
    out = loss(_GCE["gce_labels"], _GCE["gce_probs"], sample_weight=_GCE["gce_weights"])
    np.testing.assert_allclose(np.asarray(out), _GCE[f"gce_cls_{reduction}"], rtol=1e-5, atol=1e-6)


def test_generalized_cross_entropy_gradient_and_config():
    """Gradient wrt y_pred equals Keras's (jax.grad); config, positional q and the (0, 1)
    check as Keras 3.15.1; float64 finite differences."""
    from minikeras.core.autodiff import gradients
    from minikeras.core.tensor import Tensor

    p = Tensor(_GCE["gce_probs"].copy(), requires_grad=True)
    total = losses.CategoricalGeneralizedCrossEntropy(q=0.4)(_GCE["gce_labels"], p)
    (grad,) = gradients(total, [p])
    np.testing.assert_allclose(grad, _GCE["gce_grad_q0.4"], rtol=1e-5, atol=1e-6)
    labels = np.array([1, 0, 2])
    check_grad(
        lambda t: losses.categorical_generalized_cross_entropy(labels, t, 0.3),
        np.random.default_rng(0).uniform(0.1, 1.0, size=(3, 3)),
    )
    loss = losses.CategoricalGeneralizedCrossEntropy(0.2, "sum")
    assert loss.get_config() == {
        "name": "categorical_generalized_cross_entropy",
        "reduction": "sum",
        "q": 0.2,
    }
    again = losses.deserialize(losses.serialize(loss))
    assert type(again).__name__ == "CategoricalGeneralizedCrossEntropy" and again.q == 0.2
    with pytest.raises(ValueError, match="q must be in the interval \\(0, 1\\). Received: q=1.0"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.0)
