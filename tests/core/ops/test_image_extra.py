"""Tests for minikeras/core/ops/image_extra.py: keras.ops.image.scale_and_translate, sobel_edges
and ssim against Keras 3.15.1 on jax (values and input gradients, api16a_ops_k3.npz), float64
finite differences, data formats and Keras's documented properties."""

import numpy as np
import pytest
from api16a_cases import cases, check_case

import minikeras as keras
from helpers import check_grad
from minikeras import ops

NAMES = ("image.scale_and_translate", "image.sobel_edges", "image.ssim")


@pytest.mark.parametrize("case,args,kwargs,expected", cases(*NAMES))
def test_matches_keras3(case, args, kwargs, expected):
    check_case(case, args, kwargs, expected)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: ops.image.scale_and_translate(
            x, (1, 3, 7, 2), [0.6, 1.4], [0.3, -0.5], [1, 2], "cubic"
        ),
        lambda x: ops.image.sobel_edges(x),
        lambda x: ops.image.ssim(x, x[:, ::-1] * 0.5 + 0.2, filter_size=3),
    ],
)
def test_gradient_float64(fn):
    check_grad(fn, np.random.default_rng(8).uniform(0.0, 1.0, size=(1, 5, 5, 2)))


def test_channels_first_and_unbatched():
    """channels_first gives the channels_last result transposed; ssim of a single image is a
    scalar and of identical images 1 (Keras 3.15.1 docstring)."""
    x = np.random.default_rng(0).random((2, 6, 7, 3)).astype("float32")
    last = ops.image.sobel_edges(x).numpy()
    first = ops.image.sobel_edges(np.moveaxis(x, -1, 1), data_format="channels_first").numpy()
    np.testing.assert_allclose(first, np.moveaxis(last, 3, 1), rtol=1e-6)
    one = ops.image.ssim(x[0], x[0], filter_size=5)
    assert one.shape == () and abs(float(one) - 1.0) < 1e-6
    y = np.moveaxis(x, -1, 1)
    np.testing.assert_allclose(
        ops.image.ssim(y, y[:, :, ::-1], filter_size=3, data_format="channels_first").numpy(),
        ops.image.ssim(x, x[:, ::-1], filter_size=3).numpy(),
        rtol=1e-5,
    )


def test_symbolic_namespace_and_errors():
    inp = keras.Input((8, 8, 3))
    assert tuple(ops.image.sobel_edges(inp).shape) == (None, 8, 8, 3, 2)
    assert "ssim" in ops.image.__all__ and not hasattr(ops, "sobel_edges")
    with pytest.raises(ValueError, match="scale_and_translate: invalid value for argument"):
        ops.image.scale_and_translate(np.zeros((2, 2)), (2, 2), [1.0], [0.0], [0], "nearest")
    with pytest.raises(ValueError, match="ssim: invalid image1 rank"):
        ops.image.ssim(np.zeros((2, 2)), np.zeros((2, 2)))
