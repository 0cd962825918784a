"""`keras.ops.image` colour conversions: rgb_to_grayscale, rgb_to_hsv, hsv_to_rgb, composed from differentiable ops."""

import numpy as np

from . import arithmetic, comparison
from . import elementwise as E
from ._base import to_tensor
from .arithmetic import clip
from .conversion import cast
from .image import _rank_and_axes
from .joining import stack
from .linalg import tensordot
from .shape import expand_dims

__all__ = ["hsv_to_rgb", "rgb_to_grayscale", "rgb_to_hsv"]


def _planes(x, axis):
    key = [slice(None)] * x.ndim
    out = []
    for i in range(3):
        key[axis] = i
        out.append(x[tuple(key)])
    return out


def _check_colour(x, data_format, op, float_only):
    axis, _ = _rank_and_axes(x, data_format, op)
    if float_only and x.dtype.kind != "f":
        raise ValueError(
            f"image.{op}: invalid images dtype: expected float dtype. Received: "
            f"images.dtype={x.dtype}"
        )
    return axis


def rgb_to_grayscale(images, data_format=None):
    """Luma `0.2989 R + 0.5870 G + 0.1140 B` (as `tf.image.rgb_to_grayscale`), one channel.

    Args:
        images: RGB (or already one-channel) images, 3-D or 4-D.
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        The one-channel images in the input's dtype (integer results truncated, as Keras).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.image.rgb_to_grayscale(np.full((1, 1, 3), 100, "uint8")).numpy().tolist()
    [[[99]]]
    """
    x = to_tensor(images, op="image.rgb_to_grayscale")
    axis = _check_colour(x, data_format, "rgb_to_grayscale", False)
    if x.shape[axis] not in (1, 3):
        raise ValueError(
            "image.rgb_to_grayscale: invalid channel size: expected 3 (RGB) or 1 (Grayscale). "
            f"Received input with shape: images.shape={x.shape}"
        )
    if x.shape[axis] == 1:
        return x + 0 if x.dtype.kind != "b" else x
    dtype = x.dtype
    y = x if dtype.kind == "f" else cast(x, "float32")
    weights = np.array([0.2989, 0.5870, 0.1140], y.dtype)
    grey = expand_dims(tensordot(y, weights, axes=([axis % x.ndim], [0])), axis)
    return grey if dtype == grey.dtype else cast(grey, dtype)


def rgb_to_hsv(images, data_format=None):
    """RGB to HSV (hue, saturation, value in [0, 1]), as Keras (after `dm_pix`).

    Args:
        images: float RGB images, 3-D or 4-D.
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        The HSV images, same shape and dtype; differentiable (almost everywhere).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.image.rgb_to_hsv(np.array([[[1.0, 0.5, 0.0]]])).numpy().tolist()
    [[[0.08333333333333333, 1.0, 1.0]]]
    """
    x = to_tensor(images, op="image.rgb_to_hsv")
    axis = _check_colour(x, data_format, "rgb_to_hsv", True)
    eps = np.finfo(x.dtype).eps
    x = comparison.where(comparison.less(E.abs(x), eps), 0.0, x)
    r, g, b = _planes(x, axis)
    value = arithmetic.maximum(arithmetic.maximum(r, g), b)
    range_ = value - arithmetic.minimum(arithmetic.minimum(r, g), b)
    positive_value, positive_range = comparison.greater(value, 0.0), comparison.greater(range_, 0.0)
    saturation = comparison.where(
        positive_value, range_ / comparison.where(positive_value, value, 1.0), 0.0
    )
    norm = 1.0 / (6.0 * comparison.where(positive_range, range_, 1.0))
    # the hue's sector follows the largest channel: red, else green, else blue
    hue = comparison.where(
        comparison.equal(value, g), norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0
    )
    hue = comparison.where(comparison.equal(value, r), norm * (g - b), hue)
    hue = comparison.where(positive_range, hue, 0.0) + cast(comparison.less(hue, 0.0), x.dtype)
    return stack([hue, saturation, value], axis=axis)


def hsv_to_rgb(images, data_format=None):
    """HSV to RGB, the inverse of `rgb_to_hsv` (hue taken modulo 1), as Keras.

    Args:
        images: float HSV images, 3-D or 4-D.
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        The RGB images, same shape and dtype; differentiable (almost everywhere).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.image.hsv_to_rgb(np.array([[[1 / 12, 1.0, 1.0]]])).numpy().round(6).tolist()
    [[[1.0, 0.5, 0.0]]]
    """
    x = to_tensor(images, op="image.hsv_to_rgb")
    axis = _check_colour(x, data_format, "hsv_to_rgb", True)
    hue, saturation, value = _planes(x, axis)
    dh = (hue - E.floor(hue)) * 6.0  # hue mod 1, with its gradient (ops.mod passes none)
    dr = clip(E.abs(dh - 3.0) - 1.0, 0.0, 1.0)
    dg = clip(2.0 - E.abs(dh - 2.0), 0.0, 1.0)
    db = clip(2.0 - E.abs(dh - 4.0), 0.0, 1.0)
    grey = 1.0 - saturation
    rgb = [value * (grey + saturation * d) for d in (dr, dg, db)]
    return stack(rgb, axis=axis)
