"""Tests for minikeras/core/ops/fused_bias_act.py: the Dense/conv epilogue `activation(y + bias)`.

Expected values are numpy expressions of Keras's Dense/Conv formula `activation(y + bias)`
(bias along the channel axis) and float64 central differences, never the op itself.
"""

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad, randn
from minikeras import activations
from minikeras.core.ops.fused_bias_act import bias_act, register_epilogue
from minikeras.core.tensor import Tensor

pytestmark = pytest.mark.filterwarnings("error")


def np_tanh_bias(y, b, axis):
    shape = [1] * y.ndim
    shape[axis] = -1
    return np.tanh(y + b.reshape(shape))


@pytest.mark.parametrize(
    "activation, ref",
    [
        (activations.relu, lambda z: np.maximum(z, 0)),
        (activations.linear, lambda z: z),
        (None, lambda z: z),
        (activations.tanh, np.tanh),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matches_numpy(activation, ref, dtype):
    y, b = randn(2, 3, 4, dtype=dtype), randn(4, seed=1, dtype=dtype)
    out = bias_act(Tensor(y), Tensor(b), activation)
    assert out.dtype == dtype
    np.testing.assert_allclose(out.numpy(), ref(y + b), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("activation", [activations.relu, None, activations.tanh])
def test_gradient_channels_last(activation):
    check_grad(lambda y, b: bias_act(y, b, activation), (2, 3, 5), (5,))


@pytest.mark.parametrize("activation", [activations.relu, activations.tanh])
def test_gradient_channels_first(activation):
    """Conv layers with data_format="channels_first" put the bias on axis 1."""
    check_grad(lambda y, b: bias_act(y, b, activation, axis=1), (2, 3, 4, 5), (3,))


def test_channels_first_matches_numpy():
    y, b = randn(2, 3, 4), randn(3, seed=1)
    out = bias_act(Tensor(y), Tensor(b), activations.tanh, axis=1)
    np.testing.assert_allclose(out.numpy(), np_tanh_bias(y, b, 1), rtol=1e-12)


def test_no_bias_applies_activation_only():
    y = randn(3, 4)
    np.testing.assert_array_equal(bias_act(Tensor(y), None, activations.relu), np.maximum(y, 0))
    assert bias_act(Tensor(y), None, None).numpy() is not None


def test_relu_and_linear_run_fused_others_do_not():
    """The fused kernel serves relu and linear (registered by minikeras.activations)."""
    y, b = Tensor(randn(4, 3, dtype="float32")), Tensor(randn(3, seed=1, dtype="float32"))
    assert bias_act(y, b, activations.relu)._op == "bias_add_activation"
    assert bias_act(y, b, None)._op == "bias_add_activation"
    assert bias_act(y, b, activations.sigmoid)._op != "bias_add_activation"


def test_float16_keeps_dtype():
    y, b = randn(4, 3, dtype="float16"), randn(3, seed=1, dtype="float16")
    out = bias_act(Tensor(y), Tensor(b), activations.relu)
    assert out.dtype == "float16"
    np.testing.assert_allclose(out.numpy(), np.maximum(y + b, 0), rtol=1e-3)


def test_dense_and_conv_use_the_op():
    """Dense(relu) and Conv2D(relu) outputs come out of the fused op, with Keras's formula."""
    x = randn(2, 5, dtype="float32")
    dense = keras.layers.Dense(3, activation="relu")
    out = dense(x)
    assert out._op == "bias_add_activation"
    k, b = dense.kernel.numpy(), dense.bias.numpy()
    np.testing.assert_allclose(out.numpy(), np.maximum(x @ k + b, 0), rtol=1e-5, atol=1e-6)
    conv = keras.layers.Conv2D(2, 3, activation="relu")
    assert conv(randn(1, 5, 5, 1, dtype="float32"))._op == "bias_add_activation"


def test_register_epilogue_rejects_unknown_kind():
    with pytest.raises(ValueError, match="Received: 'gelu'"):
        register_epilogue(activations.gelu, "gelu")


@pytest.mark.parametrize("activation", ["relu", None, "tanh"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv_layer_without_gradient_fuses_its_epilogue(monkeypatch, activation, data_format):
    """Under no_grad (predict) a Conv2D with ReLU or linear runs `conv_bias_relu` (bias and ReLU
    inside the convolution's blocks): the same numbers as the recording path; other activations
    take `conv` then `bias_act`."""
    import sys

    from minikeras.core.autodiff import no_grad

    conv_ops = sys.modules["minikeras.core.ops.conv"]
    calls = []
    fused = conv_ops.conv_bias_relu
    monkeypatch.setattr(
        conv_ops, "conv_bias_relu", lambda *a, **k: calls.append(1) or fused(*a, **k)
    )
    layer = keras.layers.Conv2D(5, 3, activation=activation, data_format=data_format)
    shape = (2, 3, 9, 8) if data_format == "channels_first" else (2, 9, 8, 3)
    x = Tensor(randn(*shape, dtype="float32"))
    layer.build(shape)
    layer.bias.assign(randn(5, seed=4, dtype="float32"))
    want = layer(x).numpy()  # records: the weights are trainable
    assert calls == []
    with no_grad():
        got = layer(x).numpy()
    assert len(calls) == (activation != "tanh")
    np.testing.assert_array_equal(got, want)


def test_max_pool_without_gradient_matches_the_recording_path():
    from minikeras.core.autodiff import no_grad

    x = Tensor(randn(2, 7, 6, 3, dtype="float32"), requires_grad=True)
    want = keras.ops.max_pool(x, 2)
    assert want.requires_grad
    with no_grad():
        got = keras.ops.max_pool(x, 2)
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_conv_layer_without_gradient_on_a_cold_cache_uses_the_references(monkeypatch):
    """The symbolic build's placeholder runs (`kernels.references()`, cold cache) reach the
    fused inference path with the numpy references in place of the kernels."""
    import minikeras.kernels as kernels
    from minikeras.core.autodiff import no_grad

    layer = keras.layers.Conv2D(4, 3, activation="relu")
    x = Tensor(randn(2, 6, 5, 3, dtype="float32"))
    with no_grad():
        want = layer(x).numpy()
        kernels.load("conv")
        monkeypatch.setitem(kernels._cold, "conv", True)
        with kernels.references():
            got = layer(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
