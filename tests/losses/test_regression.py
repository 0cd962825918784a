"""Regression losses (minikeras/losses/regression.py) against numpy versions of Keras 3's formulas
and the values printed in Keras's docstrings."""

import numpy as np
import pytest
from helpers import check_grad, randn
from loss_cases import EPS, P_POS, P_REG, Y_POS, Y_REG, assert_per_sample, normalize

from minikeras import losses

CASES = [
    (losses.mean_squared_error, Y_REG, P_REG, lambda t, p: ((t - p) ** 2).mean(-1)),
    (losses.mean_absolute_error, Y_REG, P_REG, lambda t, p: np.abs(t - p).mean(-1)),
    (
        losses.mean_absolute_percentage_error,
        Y_REG,
        P_REG,
        lambda t, p: 100 * np.abs((t - p) / np.maximum(np.abs(t), EPS)).mean(-1),
    ),
    (
        losses.mean_squared_logarithmic_error,
        Y_POS,
        P_POS,
        lambda t, p: ((np.log1p(p) - np.log1p(t)) ** 2).mean(-1),
    ),
    (losses.cosine_similarity, Y_REG, P_REG, lambda t, p: -(normalize(t) * normalize(p)).sum(-1)),
    (
        losses.huber,
        Y_REG,
        P_REG,
        lambda t, p: np.where(np.abs(p - t) <= 1, 0.5 * (p - t) ** 2, np.abs(p - t) - 0.5).mean(-1),
    ),
    (losses.log_cosh, Y_REG, P_REG, lambda t, p: np.log(np.cosh(p - t)).mean(-1)),
]


@pytest.mark.parametrize("fn,y_true,y_pred,ref", CASES, ids=[c[0].__name__ for c in CASES])
def test_function_matches_formula(fn, y_true, y_pred, ref):
    assert_per_sample(fn, y_true, y_pred, ref)


def test_huber_documented_value():
    """The value printed in Keras's `Huber` docstring."""
    assert float(losses.Huber()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])) == pytest.approx(0.155)


@pytest.mark.parametrize(
    "loss",
    [
        losses.MeanSquaredError(dtype="float64"),
        losses.Huber(delta=0.5, dtype="float64"),
        losses.LogCosh(dtype="float64"),
        losses.CosineSimilarity(dtype="float64"),
    ],
    ids=lambda loss: type(loss).__name__,
)
def test_gradient_reaches_predictions(loss):
    check_grad(lambda t, p: loss(t, p), randn(3, 4, seed=5), (3, 4), wrt=[1])
