"""SpectralNormalization against Keras 3.15.1 (fixture `tests/data/keras/layers2_k3.npz`, written by
`make_layers2_fixtures.py` with real Keras on the jax backend): one `training=True` call updates
`vector_u` and normalises the wrapped kernel in place."""

import pathlib

import numpy as np
import pytest
from helpers import _weight_grad_check, check_grad, randn, run_layer_test

import minikeras as keras

FIXTURE = pathlib.Path(__file__).parents[2] / "data" / "keras" / "layers2_k3.npz"
INNER = {
    "sn_dense": (lambda: keras.layers.Dense(3), 1),
    "sn_conv": (lambda: keras.layers.Conv2D(3, 2), 2),
    "sn_embedding": (lambda: keras.layers.Embedding(6, 3), 3),
}


@pytest.fixture(scope="module")
def k3():
    return dict(np.load(FIXTURE))


@pytest.mark.parametrize("case", sorted(INNER))
def test_training_call_matches_keras(k3, case):
    make, iters = INNER[case]
    layer = keras.layers.SpectralNormalization(make(), power_iterations=iters)
    x = k3[f"{case}/x"]
    layer.build(x.shape)
    n = len([k for k in k3 if k.startswith(f"{case}/w")])
    layer.set_weights([k3[f"{case}/w{i:03d}"] for i in range(n)])
    y = layer(x, training=True)
    for got, want in zip(layer.get_weights(), [k3[f"{case}/after{i:03d}"] for i in range(n)]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    if case != "sn_embedding":  # Keras casts the output to the inputs' dtype: int32 zeros there
        np.testing.assert_allclose(y.numpy(), k3[f"{case}/y"], rtol=1e-5, atol=1e-5)
        y_infer = layer(x, training=False).numpy()
        np.testing.assert_allclose(y_infer, k3[f"{case}/y_infer"], rtol=1e-5, atol=1e-5)


def test_weights_and_config_as_keras():
    """Keras 3.15.1 observed: the wrapper tracks the wrapped kernel as its own first weight, so
    `weights` is [dense/kernel, vector_u, dense/bias]; `vector_u` is (1, units), non-trainable."""
    layer, _ = run_layer_test(
        keras.layers.SpectralNormalization,
        {"layer": keras.layers.Dense(3)},
        input_shape=(2, 4),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=1,
        check_gradients=False,
    )
    assert [(w.path, w.shape, w.trainable) for w in layer.weights] == [
        ("spectral_normalization/dense/kernel", (4, 3), True),
        ("spectral_normalization/vector_u", (1, 3), False),
        ("spectral_normalization/dense/bias", (3,), True),
    ]
    config = layer.get_config()
    assert config["power_iterations"] == 1 and config["layer"]["class_name"] == "Dense"


def test_gradients_reach_input_and_wrapped_weights():
    """run_layer_test's float64 copy would share the wrapped instance, so the check is here."""
    layer = keras.layers.SpectralNormalization(
        keras.layers.Dense(3, dtype="float64"), dtype="float64"
    )
    x = randn(2, 4, seed=1)
    layer(x, training=True)
    check_grad(lambda t: layer(t), x)
    _weight_grad_check(layer, x, 1e-5, 1e-7, {})


def test_inference_leaves_the_kernel_alone_and_training_converges_to_unit_norm():
    layer = keras.layers.SpectralNormalization(keras.layers.Dense(5), power_iterations=5)
    x = np.ones((1, 4), "float32")
    layer(x)
    kernel = layer.layer.kernel.numpy().copy()
    layer(x, training=False)
    np.testing.assert_array_equal(layer.layer.kernel.numpy(), kernel)
    for _ in range(5):
        layer(x, training=True)
    assert abs(np.linalg.norm(layer.layer.kernel.numpy(), 2) - 1.0) < 1e-4


def test_errors_name_what_was_received():
    with pytest.raises(ValueError, match="power_iterations=0"):
        keras.layers.SpectralNormalization(keras.layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="nor 'embeddings'"):
        keras.layers.SpectralNormalization(keras.layers.Flatten())(np.ones((2, 3), "float32"))


def test_fit_and_saving_roundtrip(tmp_path):
    layer = keras.layers.SpectralNormalization(keras.layers.Dense(2))
    model = keras.Sequential([keras.Input((4,)), layer])
    model.compile("sgd", "mse")
    x = np.random.default_rng(0).standard_normal((8, 4)).astype("float32")
    u0 = model.layers[0].vector_u.numpy().copy()
    model.fit(x, x[:, :2], epochs=1, verbose=0)
    assert not np.allclose(model.layers[0].vector_u.numpy(), u0)  # fit calls with training=True
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    np.testing.assert_allclose(loaded.layers[0].vector_u.numpy(), model.layers[0].vector_u.numpy())
