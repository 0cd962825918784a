"""Dice and Tversky losses (minikeras/losses/segmentation.py) against Keras 3.15.1.

The expected numbers were printed by Keras 3.15.1 (torch backend) for the arrays below:
`keras.losses.dice(T, P)`, `dice(T, P, axis=(1, 2))`, `tversky(T, P, alpha=0.3, beta=0.7)` (and
with `axis=(1, 2)`), `Dice(axis=(1, 2))`, `Tversky(alpha=0.3, beta=0.7, axis=(1, 2))` and their
`get_config()`, `Dice(axis=(1, 2), reduction="sum")`.
"""

import numpy as np
import pytest
from helpers import check_grad

from minikeras import losses

T = np.array([[[1, 0, 1], [0, 1, 1]], [[0, 0, 1], [1, 1, 0]]], "float32")
P = np.array([[[0.9, 0.2, 0.6], [0.1, 0.7, 0.4]], [[0.3, 0.1, 0.8], [0.5, 0.9, 0.2]]], "float32")


def test_dice_matches_keras3():
    assert float(losses.dice(T, P)) == pytest.approx(0.24409455, rel=1e-5)
    np.testing.assert_allclose(
        losses.dice(T, P, axis=(1, 2)).numpy(), [0.24637681, 0.24137932], rtol=1e-5
    )
    loss = losses.Dice(axis=(1, 2))
    assert float(loss(T, P)) == pytest.approx(0.24387807, rel=1e-5)
    assert loss.get_config() == {"name": "dice", "reduction": "sum_over_batch_size", "axis": (1, 2)}
    assert float(losses.Dice(axis=(1, 2), reduction="sum")(T, P)) == pytest.approx(
        0.48775613, rel=1e-5
    )


def test_tversky_matches_keras3():
    assert float(losses.tversky(T, P, alpha=0.3, beta=0.7)) == pytest.approx(0.21182269, rel=1e-5)
    np.testing.assert_allclose(
        losses.tversky(T, P, alpha=0.3, beta=0.7, axis=(1, 2)).numpy(),
        [0.19504648, 0.23076928],
        rtol=1e-5,
    )
    loss = losses.Tversky(alpha=0.3, beta=0.7, axis=(1, 2))
    assert float(loss(T, P)) == pytest.approx(0.21290788, rel=1e-5)
    assert loss.get_config() == {
        "name": "tversky",
        "reduction": "sum_over_batch_size",
        "alpha": 0.3,
        "beta": 0.7,
        "axis": (1, 2),
    }


@pytest.mark.parametrize("fn", [losses.dice, losses.tversky])
def test_gradient_reaches_predictions(fn):
    t = T.astype("float64")
    check_grad(lambda p: fn(t, p, axis=(1, 2)), P.astype("float64"))
