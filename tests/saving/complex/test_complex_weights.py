"""A complex64 weight (`add_weight(dtype="complex64")`) is saved and loaded in every format, and
a `.keras` file that Keras 3.15.1 wrote with one loads with its values and prediction
(`make_complex_weight_fixture.py`); the loaders' safety checks refused complex datasets."""

import os

import numpy as np
import pytest

import complex_weight_layer as L
import minikeras as keras

HERE = os.path.dirname(os.path.abspath(__file__))
ComplexScale = L.define(keras)


def _model():
    x = keras.Input((3,), name="x")
    return keras.Model(x, ComplexScale(name="scale")(x))


@pytest.mark.parametrize("fname", ["m.keras", "m.h5", "m.weights.h5"])
def test_complex_weight_round_trips(fname, tmp_path):
    model = _model()
    model.layers[1].w.assign(np.array(L.WEIGHT, "complex64"))
    path = tmp_path / fname
    if fname.endswith(".weights.h5"):
        model.save_weights(path)
        loaded = _model()
        loaded.load_weights(path)
    else:
        model.save(path)
        loaded = keras.models.load_model(path)
    w = loaded.layers[1].w.numpy()
    assert w.dtype == np.complex64
    np.testing.assert_array_equal(w, np.array(L.WEIGHT, "complex64"))


def test_keras_file_with_a_complex_weight_loads():
    data = np.load(os.path.join(HERE, "complex_weight_k3.npz"))
    model = keras.models.load_model(os.path.join(HERE, "complex_weight_k3.keras"))
    np.testing.assert_array_equal(model.layers[1].w.numpy(), np.array(L.WEIGHT, "complex64"))
    np.testing.assert_allclose(model(data["x"]).numpy(), data["y"], rtol=1e-6, atol=1e-6)


# Keras 3.15.1 on torch, the same model and data (3 epochs of one batch): losses and final weight.
# Keras on JAX moves the imaginary parts the other way (JAX's gradient of a real loss is the
# conjugate of torch's); minikeras follows torch's convention.
KERAS_TORCH = {
    "sgd": (
        [1.153333, 1.143445, 1.133705],
        [0.997055 + 0.00574j, 0.980166 - 0.009917j, 0.98883 + 0.014894j],
    ),
    "adam": ([1.153333, 1.152194, 1.151057], [0.997 + 0j, 0.997 + 0j, 0.997 + 0j]),
    "rmsprop": (
        [1.153333, 1.149737, 1.147139],
        [0.992626 + 6e-06j, 0.992631 - 4e-06j, 0.992628 + 7e-06j],
    ),
}


@pytest.mark.parametrize("optimizer", sorted(KERAS_TORCH))
def test_training_a_complex_weight_matches_keras_on_torch(optimizer):
    model = _model()
    model.compile(keras.optimizers.get(optimizer), "mse")
    xs = np.array([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]], "float32")
    ys = np.array([[0.5, 1, 0, 1, -1, 2], [0, 1, 1, 0.5, 0, 1]], "float32")
    losses = model.fit(xs, ys, epochs=3, verbose=0, shuffle=False, batch_size=2).history["loss"]
    want_losses, want_w = KERAS_TORCH[optimizer]
    np.testing.assert_allclose(losses, want_losses, atol=2e-6)
    np.testing.assert_allclose(model.layers[1].w.numpy(), want_w, atol=2e-6)
