"""Conv1D/2D/3DTranspose against a direct scatter loop.

A transposed convolution is the adjoint of a forward convolution from the (larger) output to
the input: input cell i, kernel tap a feed output cell `i * s + a * d - pad`, where `pad` is the
forward "same" padding of Keras/TensorFlow for an input of the output's size (0 for "valid").
The output length is Keras's `deconv_output_length`.
"""

import itertools

import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test

L = keras.layers


def out_length(n, k, s, d, padding, output_padding):
    k = (k - 1) * d + 1
    if output_padding is None:
        return n * s + max(k - s, 0) if padding == "valid" else n * s
    pad = k // 2 if padding == "same" else 0
    return (n - 1) * s + k - 2 * pad + output_padding


def transpose_ref(x, w, strides=1, padding="valid", output_padding=None, dilation=1):
    """x (b, *n, c), w (*k, filters, c) -> (b, *out, filters)."""
    r = x.ndim - 2
    s = (strides,) * r if isinstance(strides, int) else tuple(strides)
    d = (dilation,) * r if isinstance(dilation, int) else tuple(dilation)
    op = (output_padding,) * r if isinstance(output_padding, int) else output_padding
    op = op or (None,) * r
    ks = w.shape[:r]
    outs = [
        out_length(n, k, ss, dd, padding, p) for n, k, ss, dd, p in zip(x.shape[1:-1], ks, s, d, op)
    ]
    pads = [
        0 if padding == "valid" else max((n - 1) * ss + (k - 1) * dd + 1 - o, 0) // 2
        for n, k, ss, dd, o in zip(x.shape[1:-1], ks, s, d, outs)
    ]
    y = np.zeros((x.shape[0], *outs, w.shape[-2]))
    for i in itertools.product(*map(range, x.shape[1:-1])):
        for a in itertools.product(*map(range, ks)):
            j = tuple(ii * ss + aa * dd - p for ii, ss, aa, dd, p in zip(i, s, a, d, pads))
            if all(0 <= jj < o for jj, o in zip(j, outs)):
                y[(slice(None), *j)] += x[(slice(None), *i)] @ w[a].T  # (b, c) @ (c, filters)
    return y


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kernel_size": 3, "strides": 2},
        {"kernel_size": 3, "strides": 2, "padding": "same"},
        {"kernel_size": (2, 3), "strides": (2, 1), "padding": "same"},
        {"kernel_size": 2, "strides": 3},  # stride larger than the kernel: zero rows in the output
        {"kernel_size": 3, "strides": 2, "output_padding": 1},
        {"kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1},
        {"kernel_size": 2, "strides": 2, "padding": "same", "output_padding": (1, 0)},
        {"kernel_size": 2, "dilation_rate": 2},
    ],
)
def test_conv2d_transpose_matches_loop(kwargs):
    x = randn(2, 3, 4, 2)
    layer = L.Conv2DTranspose(3, **kwargs, dtype="float64")
    y = np.asarray(layer(x))
    ref = (
        transpose_ref(
            x,
            layer.kernel.numpy(),
            kwargs.get("strides", 1),
            kwargs.get("padding", "valid"),
            kwargs.get("output_padding"),
            kwargs.get("dilation_rate", 1),
        )
        + layer.bias.numpy()
    )
    assert y.shape == ref.shape
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-12)


def test_conv2d_transpose_layer_test_and_kernel_layout():
    layer, _ = run_layer_test(
        L.Conv2DTranspose,
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
        input_shape=(2, 3, 3, 2),
        expected_output_shape=(2, 6, 6, 3),
    )
    # Keras's layout: (kh, kw, out, in)
    assert [(v.name, v.shape) for v in layer.weights] == [("kernel", (3, 3, 3, 2)), ("bias", (3,))]
    config = layer.get_config()
    assert "groups" not in config and config["output_padding"] is None


def test_conv1d_and_3d_transpose():
    x = randn(2, 4, 2)
    layer = L.Conv1DTranspose(2, 3, strides=2, dtype="float64")
    y = np.asarray(layer(x))
    ref = transpose_ref(x, layer.kernel.numpy(), 2) + layer.bias.numpy()
    np.testing.assert_allclose(y, ref, rtol=1e-10)
    run_layer_test(
        L.Conv1DTranspose,
        {"filters": 2, "kernel_size": 2, "strides": 2},
        input_shape=(2, 3, 2),
        expected_output_shape=(2, 6, 2),
    )
    x3 = randn(1, 2, 2, 2, 1)
    layer3 = L.Conv3DTranspose(2, 2, strides=2, padding="same", dtype="float64")
    y3 = np.asarray(layer3(x3))
    np.testing.assert_allclose(y3, transpose_ref(x3, layer3.kernel.numpy(), 2, "same"), rtol=1e-10)
    run_layer_test(
        L.Conv3DTranspose,
        {"filters": 1, "kernel_size": 2},
        input_shape=(1, 2, 2, 2, 1),
        expected_output_shape=(1, 3, 3, 3, 1),
    )


def test_conv_transpose_channels_first():
    x = randn(1, 2, 3, 3)
    layer = L.Conv2DTranspose(2, 2, strides=2, data_format="channels_first", dtype="float64")
    y = np.asarray(layer(x))
    ref = transpose_ref(np.moveaxis(x, 1, -1), layer.kernel.numpy(), 2) + layer.bias.numpy()
    np.testing.assert_allclose(y, np.moveaxis(ref, -1, 1), rtol=1e-10)


def test_conv_transpose_bad_input():
    with pytest.raises(ValueError, match="output_padding"):
        L.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match=r"'t'.*rank 4.*\(1, 3, 2\)"):
        L.Conv2DTranspose(2, 3, name="t")(np.ones((1, 3, 2), "float32"))
    layer = L.Conv2DTranspose(2, 3, name="t2")
    layer(np.ones((1, 3, 3, 2), "float32"))
    with pytest.raises(ValueError, match=r"t2.*2 channels.*\(1, 3, 3, 5\)"):
        layer(np.ones((1, 3, 3, 5), "float32"))
    assert L.Convolution2DTranspose is L.Conv2DTranspose


def test_conv_transpose_accepts_inputs_smaller_than_the_kernel():
    x = randn(1, 1, 2, 1)
    layer = L.Conv2DTranspose(2, 3, dtype="float64")
    y = np.asarray(layer(x))
    np.testing.assert_allclose(
        y, transpose_ref(x, layer.kernel.numpy()) + layer.bias.numpy(), rtol=1e-10
    )


def test_compute_output_shape_is_a_list_as_keras():
    """Keras 3.15.1: Conv1D/2D/3DTranspose.compute_output_shape return lists ([None, 7, 2])."""
    import minikeras as keras

    L = keras.layers
    assert L.Conv1DTranspose(2, 3).compute_output_shape((None, 5, 4)) == [None, 7, 2]
    assert L.Conv2DTranspose(2, 3).compute_output_shape((None, 5, 5, 4)) == [None, 7, 7, 2]
    assert L.Conv3DTranspose(2, 3).compute_output_shape((None, 5, 5, 5, 4)) == [None, 7, 7, 7, 2]
    assert L.Conv2DTranspose(2, 3)(keras.Input((5, 5, 4))).shape == (None, 7, 7, 2)
