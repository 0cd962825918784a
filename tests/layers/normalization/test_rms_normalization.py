"""RMSNormalization against Keras 3.15.1 (fixture `tests/data/keras/layers2_k3.npz`, written by
`make_layers2_fixtures.py` with real Keras on the jax backend) and its definition."""

import pathlib

import numpy as np
import pytest
from helpers import check_grad, run_layer_test

import minikeras as keras

FIXTURE = pathlib.Path(__file__).parents[2] / "data" / "keras" / "layers2_k3.npz"


@pytest.fixture(scope="module")
def k3():
    return dict(np.load(FIXTURE))


def test_rms_normalization_layer_test():
    layer, _ = run_layer_test(
        keras.layers.RMSNormalization,
        {"axis": -1},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
    )
    assert [w.path for w in layer.weights] == ["rms_normalization/scale"]


def test_rms_normalization_definition():
    """`x * rsqrt(mean(x**2) + epsilon) * scale`: the mean is not subtracted (Keras docstring)."""
    x = np.array([[1.0, 2.0, 3.0, 6.0]], "float32")
    y = keras.layers.RMSNormalization(epsilon=0.0)(x).numpy()
    np.testing.assert_allclose(y, x / np.sqrt(np.mean(x**2)), rtol=1e-6)


def test_config_axis_becomes_sorted_list_after_build():
    """Keras 3.15.1 observed: `axis=-1` reports -1 before build and [-1] after; [2, 1] -> [1, 2]."""
    layer = keras.layers.RMSNormalization()
    assert layer.get_config()["axis"] == -1 and layer.get_config()["epsilon"] == 1e-6
    layer(np.ones((2, 3), "float32"))
    assert layer.get_config()["axis"] == [-1]
    layer = keras.layers.RMSNormalization(axis=[2, 1])
    layer(np.ones((2, 3, 4), "float32"))
    assert layer.get_config()["axis"] == [1, 2] and layer.scale.shape == (3, 4)


def test_out_of_range_axis_names_the_layer():
    with pytest.raises(ValueError, match="RMSNormalization.*axis 3 is out of bounds"):
        keras.layers.RMSNormalization(axis=3)(np.ones((2, 3), "float32"))


@pytest.mark.parametrize("case", ["rms_last", "rms_axes", "rms_eps"])
def test_matches_keras(k3, case):
    kwargs = {"rms_last": {}, "rms_axes": {"axis": [2, 1]}, "rms_eps": {"axis": 1, "epsilon": 0.5}}[
        case
    ]
    x = k3[f"{case}/x"]
    layer = keras.layers.RMSNormalization(**kwargs)
    layer.build(x.shape)
    layer.set_weights([k3[f"{case}/w000"]])
    np.testing.assert_allclose(layer(x).numpy(), k3[f"{case}/y"], rtol=1e-5, atol=1e-5)


def test_ops_match_keras(k3):
    """keras.ops.rms_normalization / layer_normalization, default epsilon 1e-7 (Keras's
    `backend.epsilon()`)."""
    x = k3["ops/x"]
    tol = {"rtol": 1e-5, "atol": 1e-5}
    np.testing.assert_allclose(keras.ops.rms_normalization(x).numpy(), k3["ops/rms"], **tol)
    np.testing.assert_allclose(
        keras.ops.rms_normalization(x, scale=k3["ops/scale"], epsilon=0.1).numpy(),
        k3["ops/rms_scale"],
        **tol,
    )
    np.testing.assert_allclose(keras.ops.layer_normalization(x).numpy(), k3["ops/ln"], **tol)
    got = keras.ops.layer_normalization(
        x, k3["ops/gamma"], k3["ops/beta"], axis=[1, 2], epsilon=1e-3
    )
    np.testing.assert_allclose(got.numpy(), k3["ops/ln_axes"], **tol)


def test_ops_are_symbolic_and_differentiable():
    inp = keras.Input((4,))
    model = keras.Model(inp, keras.ops.rms_normalization(inp))
    x = np.array([[1.0, 2.0, 2.0, 4.0]], "float32")
    np.testing.assert_allclose(model(x).numpy(), keras.ops.rms_normalization(x).numpy())
    check_grad(lambda a: keras.ops.rms_normalization(a, axis=-1), (2, 5))
    check_grad(lambda a: keras.ops.layer_normalization(a, axis=[0, 1]), (2, 5))
