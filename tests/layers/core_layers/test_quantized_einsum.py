"""int8 EinsumDense whose equation is a matrix product after flattening (the attention
projections' `abc,cde->abde` and `abcd,cde->abe`, Dense-like `abc,cd->abd`) takes Dense's fused
integer product; its outputs equal the general path's (Keras's steps: quantize over the
contracted axes, exact integer einsum, divide by the scales) bit for bit, and its gradient is
the dequantized kernel's."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.layers.core_layers import quantized_dense as qd


@pytest.mark.parametrize(
    "inp,ker,out,expected",
    [
        ("abc", "cd", "abd", 2),
        ("abc", "cde", "abde", 2),
        ("abcd", "cde", "abe", 2),
        ("ab", "bc", "ac", 1),
        ("abc", "dce", "abde", None),  # contracted axis not leading the kernel
        ("abc", "cd", "adb", None),  # output reordered
        ("abc", "cd", "abcd", None),  # nothing contracted
        ("abcd", "dce", "abe", None),  # contracted axes in another order
        ("abc", "cbd", "abd", None),  # an axis shared without contraction
    ],
)
def test_matmul_form(inp, ker, out, expected):
    assert qd.matmul_form(inp, ker, out) == expected


CASES = [
    ("abc,cd->abd", (3, 6), "d", (4, 3, 5)),
    ("abc,cde->abde", (3, 2, 8), "de", (4, 3, 10)),
    ("abcd,cde->abe", (3, 7), "e", (2, 3, 4, 5)),
    ("ab,bc->ac", 70, "c", (9, 33)),
]


def _layer(equation, output_shape, bias_axes, shape, seed):
    rng = np.random.default_rng(seed)
    layer = keras.layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    layer.build(shape)
    layer.set_weights([rng.standard_normal(w.shape).astype("float32") for w in layer.weights])
    layer.quantize("int8")
    return layer, (rng.standard_normal(shape) * 2).astype("float32")


@pytest.mark.parametrize("equation,output_shape,bias_axes,shape", CASES)
def test_fast_path_equals_general_path(monkeypatch, equation, output_shape, bias_axes, shape):
    layer, x = _layer(equation, output_shape, bias_axes, shape, 0)
    fast = layer(x).numpy()
    monkeypatch.setattr(qd, "matmul_form", lambda *a: None)
    general = layer(x).numpy()
    np.testing.assert_array_equal(fast, general)
    assert fast.dtype == np.float32


def test_fast_path_gradient_is_the_dequantized_kernels():
    layer, x = _layer("abc,cde->abde", (3, 2, 8), "de", (4, 3, 10), 1)
    xv = keras.Variable(x)
    weights = np.arange(16, dtype="float32").reshape(2, 8)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(xv) * weights)
    dx = tape.gradient(loss, xv).numpy()
    w = layer._dequantized().astype(np.float64)
    dout = np.broadcast_to(weights, (4, 3, 2, 8))
    np.testing.assert_allclose(dx, np.einsum("abde,cde->abc", dout, w), rtol=1e-5, atol=1e-5)
