"""Tests for minikeras/layers/preprocessing/pipeline.py: a model file written by Keras 3.15.1
holding a Pipeline loads with Keras's weights layout (layers/pipeline/layers/<name>) and predicts
Keras's numbers; config, masks, the training default and run_layer_test's round trips."""

import os

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad
from helpers_saving import check_saving_roundtrip

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras")
DATA = np.load(os.path.join(HERE, "api16a_misc_k3.npz"))


def test_loads_a_keras_written_pipeline(tmp_path):
    model = keras.saving.load_model(os.path.join(HERE, "pipeline_k3.keras"))
    np.testing.assert_allclose(
        model.predict(DATA["pipe_x"], verbose=0), DATA["pipe_out"], rtol=1e-5, atol=1e-6
    )
    assert [w.path for w in model.weights] == ["pipe/dense/kernel", "pipe/dense/bias"]
    model.save(tmp_path / "again.keras")
    again = keras.saving.load_model(tmp_path / "again.keras")
    np.testing.assert_allclose(
        again.predict(DATA["pipe_x"], verbose=0), DATA["pipe_out"], rtol=1e-6
    )


def test_gradients_float64_and_formats():
    """Input and weight gradients through the pipeline's layers (float64 finite differences);
    .keras/.h5/.weights.h5 round trips (helpers_saving, as tests/saving/test_all_layers.py)."""
    pipe = keras.layers.Pipeline(
        [keras.layers.Rescaling(0.5, dtype="float64"), keras.layers.Dense(3, dtype="float64")]
    )
    check_grad(pipe, (2, 4))
    kernel = pipe.layers[1].kernel

    def of_kernel(k):
        return keras.ops.matmul(keras.ops.ones((2, 4), dtype="float64") * 0.5, k)

    check_grad(of_kernel, kernel.numpy().copy())
    check_saving_roundtrip(
        keras.layers.Pipeline,
        {"layers": [keras.layers.Rescaling(0.5), keras.layers.Dense(3)]},
        np.random.default_rng(0).normal(size=(2, 4)).astype("float32"),
        {},
    )


def test_config_training_default_and_masks():
    """Keras 3.15.1: config is {layers, name}; call's training defaults to True (augmentation
    layers augment); each layer gets the previous one's mask."""
    pipe = keras.layers.Pipeline([keras.layers.Rescaling(2.0)], name="p")
    config = pipe.get_config()
    assert set(config) == {"layers", "name"} and config["layers"][0]["class_name"] == "Rescaling"
    flip = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal", seed=1)])
    x = np.arange(2 * 4 * 4 * 1, dtype="float32").reshape(2, 4, 4, 1)
    outs = [flip(x).numpy() for _ in range(4)]
    assert any(not np.array_equal(o, x) for o in outs)
    np.testing.assert_array_equal(flip(x, training=False).numpy(), x)
    masked = keras.layers.Pipeline([keras.layers.Masking(0.0), keras.layers.LSTM(2)])
    seq = np.ones((2, 3, 1), "float32")
    seq[0, 2] = 0.0
    expected = keras.layers.LSTM(2)
    out = masked(seq)
    expected.build((None, 3, 1))
    expected.set_weights(masked.layers[1].get_weights())
    np.testing.assert_allclose(out.numpy(), expected(seq, mask=seq[..., 0] != 0).numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="`Pipeline` config must contain a `layers` key"):
        keras.layers.Pipeline.from_config({"name": "p"})
