"""Tests for minikeras/core/ops/signal.py: Keras 3's Fourier transforms against real Keras 3
outputs (`tests/data/keras/image_signal_k3.npz`, made by `make_image_signal_fixtures.py` with
Keras 3.15.1 on jax), Keras's docstring examples, numpy, and float64 gradients."""

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad, randn
from minikeras import ops
from keras_ops_fixtures import assert_matches_keras, ops_cases

pytestmark = pytest.mark.filterwarnings("error")


@pytest.mark.parametrize("fn", ["fft", "fft2", "ifft2", "rfft", "irfft", "stft", "istft"])
def test_matches_keras(fn):
    """Every fixture case: float32 (real, imag) pairs; rfft/irfft lengths cropped, padded, odd
    and even; stft with hann, hamming, None and array windows, centred or not; istft with and
    without `length` - Keras's outputs (values, shapes, dtypes) within 1e-5 (istft 1e-4)."""
    cases = ops_cases(fn)
    assert cases
    for case in cases:
        args, kwargs, expected = case.values
        atol = 1e-4 if fn in ("istft", "stft") else 1e-5
        assert_matches_keras(getattr(ops, fn)(*args, **kwargs), expected, atol=atol)


def test_keras_docstring_examples():
    """The examples in Keras 3's docstrings of fft, fft2, rfft, irfft, stft and istft. Two
    differ: `irfft((x, x))` is printed with 3 values, but Keras 3.15.1 returns these 8 (n = 8);
    `istft(stft(x, 1, 1, 1), 1, 1, 1)` is `x` as documented and in Keras's current source
    (3.15.1 cut `[0:-0]`, an empty array, with center=True and fft_length=1)."""
    re, im = ops.fft((np.array([1.0, 2.0], "float32"), np.array([0.0, 1.0], "float32")))
    assert re.numpy().tolist() == [3.0, -1.0] and im.numpy().tolist() == [1.0, -1.0]
    re, im = ops.fft2((np.array([[1.0, 2.0], [2.0, 1.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])))
    np.testing.assert_allclose(re.numpy(), [[6, 0], [0, -2]], atol=1e-12)
    np.testing.assert_allclose(im.numpy(), [[2, 0], [0, -2]], atol=1e-12)
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    re, im = ops.rfft(x)
    np.testing.assert_allclose(re.numpy(), [10.0, -2.5, -2.5], atol=1e-6)
    np.testing.assert_allclose(im.numpy(), [0.0, 3.4409548, 0.81229924], atol=1e-6)
    observed = [2.0, -2.0606601, 0.5, -0.35355338, 0.0, 0.06066012, -0.5, 0.35355338]
    np.testing.assert_allclose(ops.irfft((x, x)).numpy(), observed, atol=1e-6)
    np.testing.assert_allclose(ops.irfft(ops.rfft(x, 5), 5).numpy(), x, atol=1e-12)
    re, im = ops.stft(x, 3, 2, 3)
    np.testing.assert_allclose(re.numpy(), [[0.75, -0.375], [3.75, -1.875], [5.25, -2.625]])
    np.testing.assert_allclose(im.numpy(), [[0, 0.64951905], [0, 0.64951905], [0, -0.64951905]])
    np.testing.assert_allclose(ops.istft(ops.stft(x, 1, 1, 1), 1, 1, 1).numpy(), x, atol=1e-12)


def test_istft_inverts_stft():
    """With a window whose squared overlap never vanishes, istft(stft(x)) is x (Keras's doc)."""
    x = randn(2, 40)
    y = ops.istft(ops.stft(x, 8, 2, 8), 8, 2, 8, length=40)
    np.testing.assert_allclose(y.numpy(), x, atol=1e-10)


def _sum_parts(fn):
    # weight real and imaginary outputs differently so both backward paths are checked
    return lambda *a: fn(*a)[0] + 2.0 * fn(*a)[1]


@pytest.mark.parametrize("name", ["fft", "fft2", "ifft2"])
def test_complex_transform_grads(name):
    fn = getattr(ops, name)
    check_grad(lambda re, im: fn((re, im))[0], (2, 3, 4), (2, 3, 4))
    check_grad(lambda re, im: fn((re, im))[1], (2, 3, 4), (2, 3, 4))


@pytest.mark.parametrize("n", [None, 4, 5, 9])
def test_rfft_grad(n):
    check_grad(_sum_parts(lambda x: ops.rfft(x, n)), (3, 6))


@pytest.mark.parametrize("n", [None, 5, 6, 3, 12])
def test_irfft_grad(n):
    """irfft drops the imaginary part of the 0 (and n/2) bins: their gradient is zero."""
    check_grad(lambda re, im: ops.irfft((re, im), n), (2, 4), (2, 4))


@pytest.mark.parametrize("window,center", [("hann", True), ("hamming", False), (None, True)])
def test_stft_istft_grads(window, center):
    check_grad(_sum_parts(lambda x: ops.stft(x, 5, 3, 8, window=window, center=center)), (2, 17))
    check_grad(
        lambda re, im: ops.istft((re, im), 6, 2, 8, window=window, center=center), (4, 5), (4, 5)
    )


def test_errors_as_keras():
    """Keras's ValueErrors: not a pair, shapes differ, integer parts, rank too low; stft's
    TypeError on integer signals and ValueError on a short fft_length or unknown window."""
    with pytest.raises(ValueError, match="tuple of two tensors"):
        ops.fft2(np.ones((2, 2)))
    with pytest.raises(ValueError, match="same shape"):
        ops.fft((np.ones(3), np.ones(4)))
    with pytest.raises(ValueError, match="not of type float"):
        ops.fft((np.ones(3, "int32"), np.ones(3, "int32")))
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.fft2((np.ones(3), np.ones(3)))
    with pytest.raises(TypeError, match="float32"):
        ops.stft(np.arange(10), 4, 2, 4)
    with pytest.raises(ValueError, match="fft_length"):
        ops.stft(np.ones(10), 4, 2, 3)
    with pytest.raises(ValueError, match="window"):
        ops.stft(np.ones(10), 4, 2, 4, window="blackman")
    with pytest.raises(ValueError, match="sequence_stride"):
        ops.stft(np.ones(10), 4, 0, 4)


def test_fnet_layer_in_a_functional_model():
    """keras.io mlp_image_classification's FNetLayer: `ops.fft2((x, zeros_like(x)))[0]` inside a
    custom layer, traced on KerasTensors; also fft2 directly on a symbolic pair (two outputs)."""

    class FNetLayer(keras.layers.Layer):
        def call(self, inputs):
            x = ops.fft2((inputs, ops.zeros_like(inputs)))[0]
            return x + inputs

    inputs = keras.Input((4, 6))
    mixed = FNetLayer()(inputs)
    re, im = ops.fft2((inputs, inputs))
    assert mixed.shape == re.shape == im.shape == (None, 4, 6)
    model = keras.Model(inputs, [mixed, im])
    x = randn(2, 4, 6, dtype="float32")
    y, y_im = model(x)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.numpy(), np.fft.fft2(x).real + x, atol=1e-4)
    np.testing.assert_allclose(y_im.numpy(), np.fft.fft2(x + 1j * x).imag, atol=1e-4)


def test_rfft_of_integers_is_floatx():
    """Keras 3.15.1 (jax and torch, observed) transforms an int32 signal in float32."""
    re, im = ops.rfft(np.arange(5, dtype="int32"))
    assert re.dtype == im.dtype == np.float32
    np.testing.assert_allclose(re.numpy(), [10.0, -2.5, -2.5], atol=1e-6)
