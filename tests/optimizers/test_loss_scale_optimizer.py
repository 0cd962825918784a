"""LossScaleOptimizer: Keras 3's dynamic loss scaling (loss_scale_optimizer.py) and its use in
`fit`, where the trainer multiplies the loss by `optimizer.scale_loss` before the backward pass
(Keras 3's backend trainers do the same). Step-by-step parity with real Keras is in
`test_keras_parity.py`."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import optimizers


def test_scale_halves_and_step_is_skipped_on_non_finite_gradients():
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(1.0), initial_scale=8.0)
    w = keras.Variable([1.0, 2.0])
    opt.apply([np.array([8.0, np.nan])], [w])
    assert w.numpy().tolist() == [1.0, 2.0]
    assert float(opt.dynamic_scale.numpy()) == 4.0
    assert int(opt.iterations) == 0  # the inner optimizer did not step


def test_scale_doubles_after_dynamic_growth_steps_finite_steps():
    opt = optimizers.LossScaleOptimizer(
        optimizers.SGD(0.1), initial_scale=2.0, dynamic_growth_steps=3
    )
    w = keras.Variable([0.0])
    scales = []
    for _ in range(7):
        opt.apply([np.array([1.0]) * float(opt.scale_loss(1.0))], [w])
        scales.append(float(opt.dynamic_scale.numpy()))
    assert scales == [2.0, 2.0, 4.0, 4.0, 4.0, 8.0, 8.0]
    np.testing.assert_allclose(w.numpy(), [-0.7], rtol=1e-6)  # every gradient unscaled to 1
    assert int(opt.iterations) == 7


def test_scale_loss_before_build_uses_initial_scale():
    opt = optimizers.LossScaleOptimizer(optimizers.Adam())
    assert opt.scale_loss(3.0) == 3.0 * 2**15
    assert opt.initial_scale == 2**15 and opt.dynamic_growth_steps == 2000


def test_inner_loss_scale_factor_is_cleared_and_base_args_rejected():
    inner = optimizers.SGD(loss_scale_factor=4.0)
    optimizers.LossScaleOptimizer(inner)
    assert inner.loss_scale_factor is None
    with pytest.raises(ValueError, match="clipnorm"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(ValueError, match="dynamic=False"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), dynamic=False)
    optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=None, use_ema=False)  # old configs


def test_learning_rate_and_iterations_are_the_inner_optimizers():
    inner = optimizers.SGD(0.25)
    opt = optimizers.LossScaleOptimizer(inner)
    assert float(opt.learning_rate.numpy()) == 0.25
    opt.learning_rate = 0.5
    assert float(inner.learning_rate.numpy()) == 0.5


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 3)).astype("float32")
    return x, x @ np.array([[1.0], [-2.0], [0.5]], "float32")


def _model(seed_weights=None):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    if seed_weights is not None:
        model.set_weights(seed_weights)
    return model


def test_fit_with_loss_scale_optimizer_matches_plain_adam():
    """The scaled loss's gradients, unscaled, are the plain gradients: the same training."""
    x, y = _data()
    plain = _model()
    start = plain.get_weights()
    scaled = _model(start)
    plain.compile(optimizer=optimizers.Adam(0.05), loss="mse")
    scaled.compile(optimizer=optimizers.LossScaleOptimizer(optimizers.Adam(0.05)), loss="mse")
    h1 = plain.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    h2 = scaled.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(h2.history["loss"], h1.history["loss"], rtol=1e-5)
    for a, b in zip(scaled.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(scaled.optimizer.iterations) == 8
    assert int(scaled.optimizer.step_counter.numpy()) == 8


def test_fit_scales_the_loss_with_loss_scale_factor():
    """Keras 3 scales the loss by `loss_scale_factor` and divides the gradients by it: training
    is unchanged (before, minikeras only divided, shrinking every step by the factor)."""
    x, y = _data()
    plain = _model()
    start = plain.get_weights()
    scaled = _model(start)
    plain.compile(optimizer=optimizers.SGD(0.1), loss="mse")
    scaled.compile(optimizer=optimizers.SGD(0.1, loss_scale_factor=128.0), loss="mse")
    plain.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    scaled.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(scaled.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_saved_model_restores_wrapper_and_state(tmp_path):
    x, y = _data()
    model = _model()
    model.compile(
        optimizer=optimizers.LossScaleOptimizer(optimizers.Adam(0.01), initial_scale=64.0),
        loss="mse",
    )
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    opt = loaded.optimizer
    assert type(opt).__name__ == "LossScaleOptimizer"
    assert type(opt.inner_optimizer).__name__ == "Adam"
    assert opt.initial_scale == 64.0
    assert len(opt.variables) == len(model.optimizer.variables)
    for a, b in zip(opt.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
