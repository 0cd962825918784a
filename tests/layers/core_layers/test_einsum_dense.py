import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test

# (equation, output_shape, bias_axes, input_shape, kernel_shape, bias_shape, output_shape)
CASES = [
    ("ab,bc->ac", 4, "c", (2, 3), (3, 4), (4,), (2, 4)),
    ("ab,bc->ac", 4, None, (2, 3), (3, 4), None, (2, 4)),
    ("abc,cd->abd", (None, 4), "d", (2, 3, 5), (5, 4), (4,), (2, 3, 4)),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 3, 5), (5, 2, 4), (2, 4), (2, 3, 2, 4)),
    ("abc,cde->abde", (3, 2, 4), "be", (2, 3, 5), (5, 2, 4), (3, 1, 4), (2, 3, 2, 4)),
    ("...b,bc->...c", 4, "c", (2, 3, 5), (5, 4), (4,), (2, 3, 4)),
    ("ab...,bc->ac...", 4, "c", (2, 3, 5, 2), (3, 4), (4, 1, 1), (2, 4, 5, 2)),
    ("abcd,cde->abe", (3, 6), "e", (2, 3, 4, 5), (4, 5, 6), (6,), (2, 3, 6)),
]


@pytest.mark.parametrize("eq,out,bias_axes,in_shape,k_shape,b_shape,y_shape", CASES)
def test_einsum_dense_shapes_and_math(eq, out, bias_axes, in_shape, k_shape, b_shape, y_shape):
    layer, y = run_layer_test(
        keras.layers.EinsumDense,
        {
            "equation": eq,
            "output_shape": out,
            "bias_axes": bias_axes,
            "activation": "tanh",
            "bias_initializer": "random_normal",
        },
        input_shape=in_shape,
        # a None in output_shape stays None in the symbolic shape (Keras 3): checked below instead
        expected_output_shape=None if None in np.atleast_1d(out).tolist() else y_shape,
        expected_num_trainable_weights=1 if b_shape is None else 2,
    )
    assert layer(randn(*in_shape, seed=5).astype("float32")).shape == y_shape
    weights = layer.get_weights()
    assert weights[0].shape == k_shape and layer.weights[0].name == "kernel"
    if b_shape is not None:
        assert weights[1].shape == b_shape and layer.weights[1].name == "bias"
    x = randn(*in_shape, seed=5).astype("float32")
    ref = np.einsum(eq, x, weights[0])
    if b_shape is not None:
        ref = ref + weights[1]
    np.testing.assert_allclose(np.asarray(layer(x)), np.tanh(ref), rtol=1e-5, atol=1e-6)


def test_einsum_dense_symbolic_output_shape_and_config():
    layer = keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 8), bias_axes="d")
    y = layer(keras.Input(shape=(None, 5)))
    assert y.shape == (None, None, 8)
    cfg = layer.get_config()
    assert cfg["equation"] == "abc,cd->abd" and cfg["output_shape"] == (None, 8)  # Keras: tuple
    assert cfg["bias_axes"] == "d"


@pytest.mark.parametrize(
    "eq,out,bias_axes,match",
    [
        ("ab,bc", 4, None, "invalid einsum equation"),
        ("ab,bc->ac", 4, "x", "bias dimension 'x'"),
        ("ab,bc->acd", (4, 5), None, "dimension 'd'"),
        ("abc,cd->abd", (7, 4), None, "shared dimension 'b'"),
        ("ab,bcx->ac", 4, None, "weight dimension 'x'"),
    ],
)
def test_einsum_dense_errors_name_layer(eq, out, bias_axes, match):
    layer = keras.layers.EinsumDense(eq, out, bias_axes=bias_axes, name="proj")
    x = np.ones((2, 3) if eq.startswith("ab,") else (2, 3, 5), "float32")
    with pytest.raises(ValueError, match=f"(?s)proj.*{match}"):
        layer(x)


def test_compute_output_shape_keeps_output_shape_nones_as_keras():
    """Keras 3.15.1: compute_output_shape reports output_shape's None axes as None, even where the
    input fixes them; a symbolic call gives the same shape (Keras's Layer.compute_output_spec uses
    an overridden compute_output_shape)."""
    layer = keras.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3))
    assert layer.compute_output_shape((None, 5, 4)) == (None, None, 2, 3)
    assert layer(keras.Input((5, 4))).shape == (None, None, 2, 3)
    layer = keras.layers.EinsumDense("abc,cd->abd", output_shape=(5, 3))
    assert layer.compute_output_shape((None, 5, 4)) == (None, 5, 3)
    layer = keras.layers.EinsumDense("...b,bc->...c", output_shape=3)
    assert layer.compute_output_shape((None, 7, 4)) == (None, 7, 3)
    assert layer(np.ones((2, 7, 4), "float32")).shape == (2, 7, 3)
