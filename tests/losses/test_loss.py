"""The `Loss` base class and the reductions (minikeras/losses/loss.py): Keras 3's reduction names,
sample-weight shapes, masks carried by `y_pred`, custom subclasses, gradients in a tape."""

import numpy as np
import pytest
from loss_cases import P_REG, RNG, Y_REG

import minikeras as keras
from minikeras import losses
from minikeras.core.tensor import Tensor


@pytest.mark.parametrize(
    "reduction", ["sum_over_batch_size", "sum", "mean", None, "none", "mean_with_sample_weight"]
)
def test_reductions_with_sample_weight(reduction):
    sw = np.array([1.0, 0.0, 2.0, 0.5, 1.0])
    per = ((Y_REG - P_REG).astype("float64") ** 2).mean(-1) * sw
    out = losses.MeanSquaredError(reduction=reduction)(Y_REG, P_REG, sample_weight=sw).numpy()
    expected = {
        "sum_over_batch_size": per.sum() / 5,
        "mean": per.sum() / 5,
        "sum": per.sum(),
        None: per,
        "none": per,
        "mean_with_sample_weight": per.sum() / sw.sum(),
    }[reduction]
    np.testing.assert_allclose(out, expected, rtol=1e-5)


def test_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")


def test_sample_weight_shapes():
    per = ((Y_REG - P_REG).astype("float64") ** 2).mean(-1)
    mse = losses.MeanSquaredError()
    col = np.arange(5.0)[:, None]  # (batch, 1) weights
    np.testing.assert_allclose(
        float(mse(Y_REG, P_REG, sample_weight=col)), (per * col[:, 0]).mean(), rtol=1e-5
    )
    np.testing.assert_allclose(
        float(mse(Y_REG, P_REG, sample_weight=2.0)), 2 * per.mean(), rtol=1e-5
    )
    # temporal values (batch, time): (batch, time) weights elementwise, (batch,) weights per row
    yt, yp = RNG.standard_normal((4, 6, 2)), RNG.standard_normal((4, 6, 2))
    per_t = ((yt - yp) ** 2).mean(-1)
    sw_t = RNG.uniform(size=(4, 6))
    np.testing.assert_allclose(
        float(mse(yt, yp, sample_weight=sw_t)), (per_t * sw_t).sum() / 24, rtol=1e-5
    )
    sw_b = np.array([1.0, 0.0, 2.0, 1.0])
    np.testing.assert_allclose(
        float(mse(yt, yp, sample_weight=sw_b)), (per_t * sw_b[:, None]).sum() / 24, rtol=1e-5
    )


def test_mask_on_predictions_averages_valid_entries_only():
    yt, yp = RNG.standard_normal((2, 4, 3)), RNG.standard_normal((2, 4, 3)).astype("float32")
    mask = np.array([[True, True, False, False], [True, True, True, False]])
    pred = Tensor(yp)
    pred._keras_mask = Tensor(mask)
    per = ((yt - yp) ** 2).mean(-1)
    np.testing.assert_allclose(
        float(losses.MeanSquaredError()(yt, pred)), per[mask].mean(), rtol=1e-5
    )


def test_loss_in_a_tape_gives_variable_gradients():
    w = keras.Variable(np.array([[0.5], [-0.5]], "float32"))
    x = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    with keras.GradientTape() as tape:
        loss = losses.MeanSquaredError()(np.array([[1.0], [0.0]]), keras.ops.matmul(x, w))
    (grad,) = tape.gradient(loss, [w])
    residual = x @ w.numpy() - np.array([[1.0], [0.0]])
    np.testing.assert_allclose(grad.numpy(), 2 * x.T @ residual / 2, rtol=1e-5)


def test_custom_loss_subclass():
    class Scaled(losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.mean(keras.ops.square(y_pred - y_true), axis=-1) * 2.0

    loss = Scaled(name="scaled")
    assert float(loss(Y_REG, P_REG)) == pytest.approx(2 * ((Y_REG - P_REG) ** 2).mean(), rel=1e-5)
    assert loss.get_config() == {"name": "scaled", "reduction": "sum_over_batch_size"}


def test_built_in_classes_take_keras3_positional_arguments():
    """Keras 3.15.1's constructors take every argument positionally, in their signature's order:
    `(fn args..., reduction, name, dtype)`, except `SparseCategoricalCrossentropy(from_logits,
    ignore_class, reduction, axis, ...)`, `Dice(reduction, name, axis, dtype)` and
    `Tversky(alpha, beta, reduction, name, axis, dtype)` (observed with `inspect.signature`)."""
    mse = losses.MeanSquaredError("sum", "m", "float64")
    assert (mse.reduction, mse.name, mse.dtype) == ("sum", "m", "float64")
    huber = losses.Huber(2.0, "sum", "h")
    assert (huber.delta, huber.reduction, huber.name) == (2.0, "sum", "h")
    sparse = losses.SparseCategoricalCrossentropy(True, -1, "sum", 0, "s")
    assert (sparse.from_logits, sparse.ignore_class, sparse.reduction, sparse.axis) == (
        True,
        -1,
        "sum",
        0,
    )
    dice = losses.Dice("sum", "d", (1, 2))
    assert (dice.reduction, dice.name, dice.axis) == ("sum", "d", (1, 2))
    tversky = losses.Tversky(0.3, 0.7, "none", "t", (1,))
    assert (tversky.alpha, tversky.beta, tversky.reduction, tversky.axis) == (
        0.3,
        0.7,
        "none",
        (1,),
    )
    assert losses.CTC("sum").reduction == "sum"
    circle = losses.Circle(4.0, 0.2, False, "sum")
    assert (circle.gamma, circle.margin, circle.remove_diagonal, circle.reduction) == (
        4.0,
        0.2,
        False,
        "sum",
    )
    with pytest.raises(TypeError, match="MeanSquaredError"):
        losses.MeanSquaredError("sum", "m", None, 1)
    with pytest.raises(TypeError, match="reduction"):
        losses.MeanSquaredError("sum", reduction="sum")


def test_circle_config_keeps_keras3_float_gamma():
    """Keras 3.15.1: `Circle().get_config()` holds `gamma: 80.0` (the class default, a float)."""
    config = losses.Circle().get_config()
    assert config == {
        "name": "circle",
        "reduction": "sum_over_batch_size",
        "gamma": 80.0,
        "margin": 0.4,
        "remove_diagonal": True,
    }
    assert isinstance(config["gamma"], float)
