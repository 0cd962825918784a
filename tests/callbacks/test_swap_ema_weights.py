"""SwapEMAWeights and fit's final EMA copy, against values observed with Keras 3.15.1 (torch
backend; Dense(1) from fixed weights, SGD(0.1, use_ema=True,
ema_momentum=0.5), batch_size=2, 2 epochs, no shuffle, validation on the training data)."""

import numpy as np
import pytest

import minikeras as keras

X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]], "float32")
Y = np.array([[1.0], [0.0], [2.0], [-1.0]], "float32")
# Keras 3.15.1: the kernel after fit (the moving average, copied in by finalize_variable_values)
FINAL_KERNEL = [0.25841814279556274, 0.2068331390619278]
FINAL_BIAS = [0.0730612501502037]
VAL_LOSS = [1.1243503093719482, 0.9823511838912964]  # computed on the moving averages


def _model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[0.5], [-0.3]], "float32"), np.array([0.1], "float32")])
    model.compile(keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5), "mse")
    return model


def _fit(model, callbacks):
    seen = []
    rec = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda e, logs: seen.append(
            (logs["val_loss"], model.get_weights()[0].ravel().tolist())
        )
    )
    model.fit(
        X,
        Y,
        batch_size=2,
        epochs=2,
        shuffle=False,
        validation_data=(X, Y),
        verbose=0,
        callbacks=[*callbacks, rec],
    )
    return seen


def test_fit_ends_with_the_moving_averages_without_the_callback():
    """Keras 3's fit calls optimizer.finalize_variable_values at the end."""
    model = _model()
    model.fit(X, Y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(model.get_weights()[0].ravel(), FINAL_KERNEL, rtol=1e-6)


@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_matches_keras(swap_on_epoch):
    model = _model()
    seen = _fit(model, [keras.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch)])
    np.testing.assert_allclose([s[0] for s in seen], VAL_LOSS, rtol=1e-6)
    # what a later callback sees at each epoch end: the trained weights, or with
    # swap_on_epoch the averages (Keras 3.15.1 observed)
    expected = (
        [[0.1822500079870224, 0.08625000715255737], FINAL_KERNEL]
        if swap_on_epoch
        else [[0.3345000147819519, 0.08250000327825546], [0.3913862705230713, 0.238141268491745]]
    )
    np.testing.assert_allclose([s[1] for s in seen], expected, rtol=1e-6)
    np.testing.assert_allclose(model.get_weights()[0].ravel(), FINAL_KERNEL, rtol=1e-6)
    np.testing.assert_allclose(model.get_weights()[1], FINAL_BIAS, rtol=1e-6)


def test_evaluate_swaps_in_and_back():
    model = _model()
    model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    model.optimizer._ema[0].data[...] = 0.0  # a recognisable average
    weights = model.get_weights()
    kernel_zero = model.evaluate(X, Y, verbose=0, callbacks=[keras.callbacks.SwapEMAWeights()])
    model2 = _model()
    model2.set_weights([np.zeros((2, 1), "float32"), model.optimizer._ema[1].numpy()])
    assert kernel_zero == pytest.approx(model2.evaluate(X, Y, verbose=0), rel=1e-6)
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, want)


def test_without_use_ema_it_says_so():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="use_ema=True.*use_ema=False"):
        model.fit(
            X,
            Y,
            epochs=1,
            verbose=0,
            validation_data=(X, Y),
            callbacks=[keras.callbacks.SwapEMAWeights()],
        )
