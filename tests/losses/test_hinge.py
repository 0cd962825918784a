"""Hinge losses (minikeras/losses/hinge.py) against numpy versions of Keras 3's formulas (0/1
labels become -1/1, as in Keras)."""

import numpy as np
import pytest
from helpers import check_grad
from loss_cases import ONE_HOT, Y_BIN, Y_REG, assert_per_sample, hinge_labels

from minikeras import losses

CASES = [
    (losses.hinge, Y_BIN, Y_REG, lambda t, p: np.maximum(1 - hinge_labels(t) * p, 0).mean(-1)),
    (
        losses.squared_hinge,
        Y_BIN,
        Y_REG,
        lambda t, p: (np.maximum(1 - hinge_labels(t) * p, 0) ** 2).mean(-1),
    ),
    (
        losses.categorical_hinge,
        ONE_HOT,
        Y_REG,
        lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0),
    ),
]


@pytest.mark.parametrize("fn,y_true,y_pred,ref", CASES, ids=[c[0].__name__ for c in CASES])
def test_function_matches_formula(fn, y_true, y_pred, ref):
    assert_per_sample(fn, y_true, y_pred, ref)


def test_categorical_hinge_gradient_reaches_predictions():
    loss = losses.CategoricalHinge(dtype="float64")
    check_grad(lambda t, p: loss(t, p), np.eye(4)[[0, 3, 1]], (3, 4), wrt=[1])
