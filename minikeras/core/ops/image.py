"""`keras.ops.image`: resizing images and extracting patches, differentiable in the pixels.

Resizing is linear in the pixels, so each spatial axis is one `(out, in)` weight matrix built in
numpy and applied with `tensordot`; the gradient is the transposed matrix. The weights follow
Keras 3's jax and numpy backends (`jax.image.scale_and_translate`): output pixel `o` is centred
on input coordinate `s = (o + 0.5) * in / out - 0.5`, input pixel `i` gets `k(|s - i| / scale)`
with `scale = max(in / out, 1)` when antialiasing a downsample (else 1), and each row is divided
by its sum, so pixels outside the image simply drop out. "area" follows Keras's TensorFlow
backend (`tf.image.resize(method="area")`): output pixel `o` averages the input span
`[o, o + 1) * in / out`, without antialiasing. "nearest" takes input pixel
`floor((o + 0.5) * in / out)`.

`extract_patches` is Keras's convolution with an identity kernel, done as one strided slice per
kernel offset: each output pixel lists its window row by row, then column, then channel.
`crop_images`, `pad_images` and the colour conversions are composed from differentiable ops;
`map_coordinates` and `affine_transform` live in `image_sampling.py`.
"""

import itertools

import numpy as np

from ..tensor import Tensor
from ._base import to_tensor
from . import arithmetic
from . import comparison
from . import elementwise as E
from .arithmetic import clip
from .elementwise import round as round_
from .image_sampling import affine_transform, map_coordinates
from .image_warp import (
    elastic_transform,
    gaussian_blur,
    perspective_transform,
)
from .linalg import tensordot
from .conversion import cast
from .shape import expand_dims, moveaxis
from .joining import pad, stack
from .indexing import take

__all__ = [
    "affine_transform",
    "crop_images",
    "elastic_transform",
    "extract_patches",
    "extract_patches_3d",
    "gaussian_blur",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "perspective_transform",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
]

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")


def _triangle(x):
    return np.maximum(0.0, 1.0 - x)


def _keys_cubic(x):
    # Keys (1981) cubic convolution with a = -0.5, on |x|
    near = (1.5 * x - 2.5) * x * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return np.where(x < 1.0, near, np.where(x < 2.0, far, 0.0))


def _lanczos(radius):
    def kernel(x):
        # sinc(x) sinc(x / r) = r sin(pi x) sin(pi x / r) / (pi x)^2; jax takes 1 below x = 1e-3
        return np.where(x > radius, 0.0, np.where(x > 1e-3, np.sinc(x) * np.sinc(x / radius), 1.0))

    return kernel


_KERNELS = {
    "bilinear": _triangle,
    "bicubic": _keys_cubic,
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
}


def resize_weights(in_size, out_size, interpolation="bilinear", antialias=False):
    """(out, in) float64 matrix resampling one axis from `in_size` to `out_size` pixels.

    >>> resize_weights(2, 4).round(2).tolist()
    [[1.0, 0.0], [0.75, 0.25], [0.25, 0.75], [0.0, 1.0]]
    """
    if interpolation == "area":
        return _area_weights(in_size, out_size)
    ratio = in_size / out_size
    src = (np.arange(out_size) + 0.5) * ratio - 0.5  # always within [-0.5, in - 0.5]
    scale = max(ratio, 1.0) if antialias else 1.0
    w = _KERNELS[interpolation](np.abs(src[:, None] - np.arange(in_size)[None, :]) / scale)
    total = w.sum(axis=1, keepdims=True)
    ok = np.abs(total) > 1000.0 * np.finfo(np.float32).eps
    return np.where(ok, w / np.where(ok, total, 1.0), 0.0)


def _area_weights(in_size, out_size):
    # overlap of input pixel [i, i + 1) with the output's span [o, o + 1) * ratio, over ratio
    ratio = in_size / out_size
    lo = np.arange(out_size)[:, None] * ratio
    i = np.arange(in_size)[None, :]
    overlap = np.minimum(i + 1.0, lo + ratio) - np.maximum(i, lo)
    return np.maximum(overlap, 0.0) / ratio


def nearest_indices(in_size, out_size):
    """Input pixel of each output pixel: floor((o + 0.5) * in / out), in float32 as jax.

    >>> nearest_indices(3, 5).tolist()
    [0, 0, 1, 2, 2]
    """
    src = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * np.float32(in_size)
    return np.minimum(np.floor(src / np.float32(out_size)).astype(int), in_size - 1)


def _resample(x, weights, axis):
    """Applies an (out, in) matrix along `axis` of a float Tensor."""
    w = weights.astype(x.dtype)
    out = np.moveaxis(np.tensordot(x.data, w, axes=(axis, 1)), -1, axis)

    def backward(dout):
        # out = W x along `axis`, so dx = W^T dout along the same axis
        return (np.moveaxis(np.tensordot(dout, w, axes=(axis, 0)), -1, axis),)

    return Tensor.from_op(np.ascontiguousarray(out), (x,), backward, "resize")


def aspect_crop(h, w, height, width):
    """(top, left, crop_h, crop_w): the largest centred window with the target aspect ratio."""
    crop_h = max(min(h, int(w * height / width)), 1)
    crop_w = max(min(w, int(h * width / height)), 1)
    return int((h - crop_h) / 2), int((w - crop_w) / 2), crop_h, crop_w


def aspect_pad(h, w, height, width):
    """(rows, cols) added on *each* side for the target aspect ratio: floor(total / 2), as Keras.

    Keras pads the same amount on both sides, so an odd total loses one row (or column): 2 x 5
    padded to a square gets one row above and one below and becomes 4 x 5, not 5 x 5.

    >>> aspect_pad(2, 5, 5, 5)
    (1, 0)
    """
    pad_h = max(h, int(w * height / width))
    pad_w = max(w, int(h * width / height))
    return int((pad_h - h) / 2), int((pad_w - w) / 2)


def _check(size, interpolation, fill_mode, crop, pad_, shape):
    if len(size) != 2 or any(int(s) != s or s < 1 for s in size):
        raise ValueError(
            f"image.resize: size must be 2 positive integers (height, width). Received: size={size}"
        )
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(
            f"image.resize: interpolation must be one of {RESIZE_INTERPOLATIONS}. "
            f"Received: interpolation={interpolation!r}"
        )
    if fill_mode != "constant":
        raise ValueError(
            f"image.resize: only fill_mode='constant' is supported (as Keras). "
            f"Received: fill_mode={fill_mode!r}"
        )
    if crop and pad_:
        raise ValueError(
            "image.resize: only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True."
        )
    if len(shape) not in (3, 4):
        raise ValueError(
            "image.resize: expected images of rank 3 (single image) or 4 (batch of images). "
            f"Received input with shape {tuple(shape)}."
        )


def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    """Resizes an image `(h, w, c)` or a batch `(b, h, w, c)` to `size = (height, width)`.

    Args:
        images: 3-D or 4-D images; integer images are resized in float32 and come back rounded
            and clipped to their own dtype, as Keras.
        size: `(height, width)` of the output.
        interpolation: "bilinear" (default), "nearest", "bicubic" (Keys, a = -0.5), "lanczos3",
            "lanczos5" or "area".
        antialias: when downsampling, widen the kernel by `in / out` so every input pixel
            contributes (no effect on "nearest" and "area").
        crop_to_aspect_ratio: first crop the largest centred window with the target aspect ratio.
        pad_to_aspect_ratio: first pad the short side with `fill_value` to the target aspect
            ratio, `floor(total / 2)` on each side.
        fill_mode: "constant" (the only mode, as Keras).
        fill_value: the padding value of `pad_to_aspect_ratio`.
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        The resized images, same rank and dtype; differentiable in `images` (float inputs).

    >>> import numpy as np, minikeras as keras
    >>> x = np.array([0.0, 1.0, 2.0, 3.0], "float32").reshape(1, 4, 1)
    >>> keras.ops.image.resize(x, (1, 2)).numpy().ravel().tolist()
    [0.5, 2.5]
    >>> keras.ops.image.resize(x, (1, 2), antialias=True, interpolation="bicubic").shape
    (1, 2, 1)
    """
    x = to_tensor(images, op="image.resize")
    _check(size, interpolation, fill_mode, crop_to_aspect_ratio, pad_to_aspect_ratio, x.shape)
    if data_format is None:
        from ... import config  # keras.config.image_data_format(), "channels_last" by default

        data_format = config.image_data_format()
    first = str(data_format).lower() == "channels_first"
    h_axis = x.ndim - (2 if first else 3)
    axes = (h_axis, h_axis + 1)
    height, width = int(size[0]), int(size[1])
    if crop_to_aspect_ratio:
        top, left, ch, cw = aspect_crop(x.shape[h_axis], x.shape[h_axis + 1], height, width)
        key = [slice(None)] * x.ndim
        key[h_axis], key[h_axis + 1] = slice(top, top + ch), slice(left, left + cw)
        x = x[tuple(key)]
    elif pad_to_aspect_ratio:
        ph, pw = aspect_pad(x.shape[h_axis], x.shape[h_axis + 1], height, width)
        widths = [(0, 0)] * x.ndim
        widths[h_axis], widths[h_axis + 1] = (ph, ph), (pw, pw)
        x = pad(x, widths, constant_values=fill_value)
    if interpolation == "nearest":
        for axis, n in zip(axes, (height, width)):
            if x.shape[axis] != n:
                x = take(x, nearest_indices(x.shape[axis], n), axis=axis)
        return x
    dtype = x.dtype
    y = x if dtype.kind == "f" else cast(x, "float32")
    for axis, n in zip(axes, (height, width)):
        if y.shape[axis] != n:
            y = _resample(y, resize_weights(y.shape[axis], n, interpolation, antialias), axis)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        y = cast(clip(round_(y), info.min, info.max), dtype)
    elif dtype.kind == "b":
        y = cast(y, dtype)
    return y


def _tuple(value, n, name):
    if isinstance(value, (int, np.integer)):
        value = (value,) * n
    out = tuple(int(v) for v in value)
    if len(out) != n or any(v < 1 for v in out):
        raise ValueError(
            f"image.extract_patches: {name} must be a positive int or {n} positive ints. "
            f"Received: {name}={value}"
        )
    return out


def _windows(x, size, strides, dilation, out_sizes):
    """`(n, *spatial, c)` -> `(n, *out_sizes, prod(size) * c)`: every window, flattened."""
    nd = len(size)
    out = np.empty(x.shape[:1] + tuple(out_sizes) + tuple(size) + x.shape[-1:], x.dtype)
    keys = []
    for offset in itertools.product(*(range(k) for k in size)):
        # window element `offset` of output pixel o sits at o * stride + offset * dilation
        src = (slice(None),) + tuple(
            slice(i * d, i * d + (m - 1) * s + 1, s)
            for i, d, m, s in zip(offset, dilation, out_sizes, strides)
        )
        dst = (slice(None),) * (1 + nd) + offset
        out[dst] = x.data[src]
        keys.append((src, dst))
    flat = out.reshape(out.shape[: 1 + nd] + (-1,))

    def backward(dout):
        # each input pixel gets the sum over the windows (and offsets) that copied it
        dout = dout.reshape(out.shape)
        dx = np.zeros(x.shape, dout.dtype)
        for src, dst in keys:
            dx[src] += dout[dst]
        return (dx,)

    return Tensor.from_op(flat, (x,), backward, "extract_patches")


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Extracts patches from images (2-D `size`) or volumes (3-D `size`).

    Each output pixel holds its flattened window in the order Keras produces (its convolution
    with an identity kernel): window rows, then columns, then channels.

    Args:
        images: `(h, w, c)` or `(n, h, w, c)` for 2-D patches; `(d, h, w, c)` or
            `(n, d, h, w, c)` for 3-D patches (channels first with `data_format`).
        size: the patch size: an int or `(ph, pw)` for 2-D, `(pd, ph, pw)` for 3-D.
        strides: the step between patches; None means `size` (patches that do not overlap).
        dilation_rate: the step between the pixels of one patch.
        padding: "valid" (only whole windows) or "same" (zero padding as a "same"
            convolution: `ceil(in / stride)` patches, the odd pixel of padding after).
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        `(..., out_h, out_w, ph * pw * c)` (channels last) or `(..., ph * pw * c, out_h, out_w)`
        (channels first), the batch axis only if the input has one; same dtype as the input and
        differentiable in it.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(16, dtype="float32").reshape(4, 4, 1)
    >>> p = keras.ops.image.extract_patches(x, 2)
    >>> p.shape, p.numpy()[0, 1].tolist()
    ((2, 2, 4), [2.0, 3.0, 6.0, 7.0])
    >>> keras.ops.image.extract_patches(np.ones((2, 20, 20, 3)), (3, 3), (1, 1)).shape
    (2, 18, 18, 27)
    """
    if not isinstance(size, (int, np.integer)):
        if not isinstance(size, (tuple, list)):
            raise TypeError(
                "image.extract_patches: size must be an int or a tuple. "
                f"Received: size={size} of type {type(size).__name__}"
            )
        if len(size) not in (2, 3):
            raise ValueError(
                "image.extract_patches: size must be a tuple of length 2 or 3. "
                f"Received: size={size} with length {len(size)}"
            )
    nd = 2 if isinstance(size, (int, np.integer)) else len(size)
    x = to_tensor(images, op="image.extract_patches")
    if x.ndim not in (nd + 1, nd + 2):
        raise ValueError(
            f"image.extract_patches: {nd}-D patches need images of rank {nd + 1} (unbatched) or "
            f"{nd + 2} (batched). Received input with shape {x.shape}."
        )
    if str(padding).lower() not in ("valid", "same"):
        raise ValueError(
            f"image.extract_patches: padding must be 'valid' or 'same'. Received: {padding!r}"
        )
    size = _tuple(size, nd, "size")
    strides = size if strides is None else _tuple(strides, nd, "strides")
    dilation = _tuple(dilation_rate, nd, "dilation_rate")
    first = str(_data_format(data_format)).lower() == "channels_first"
    unbatched = x.ndim == nd + 1
    if unbatched:
        x = x[None]
    if first:
        x = moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    spans = [(k - 1) * d + 1 for k, d in zip(size, dilation)]  # the dilated window
    if str(padding).lower() == "same":
        out_sizes = [-(-n // s) for n, s in zip(spatial, strides)]
        totals = [
            max((o - 1) * s + k - n, 0) for o, s, k, n in zip(out_sizes, strides, spans, spatial)
        ]
        x = pad(x, [(0, 0)] + [(t // 2, t - t // 2) for t in totals] + [(0, 0)])
    else:
        out_sizes = [(n - k) // s + 1 for n, k, s in zip(spatial, spans, strides)]
        if min(out_sizes) < 1:
            raise ValueError(
                f"image.extract_patches: the window {tuple(spans)} (size {size}, dilation "
                f"{dilation}) is larger than the images {tuple(spatial)} with padding='valid'."
            )
    y = _windows(x, size, strides, dilation, out_sizes)
    if first:
        y = moveaxis(y, -1, 1)
    return y[0] if unbatched else y


def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    """Extracts 3-D patches from volumes: `extract_patches` with an int `size` meaning a cube.

    Args:
        volumes: `(d, h, w, c)` or `(n, d, h, w, c)` (channels first with `data_format`).
        size: an int or `(pd, ph, pw)`.
        strides, dilation_rate, padding, data_format: as in `extract_patches`.

    Returns:
        `(..., out_d, out_h, out_w, pd * ph * pw * c)` patches (channels last).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.image.extract_patches_3d(np.ones((2, 10, 10, 10, 3)), 3).shape
    (2, 3, 3, 3, 81)
    """
    if isinstance(size, (int, np.integer)):
        size = (size,) * 3
    return extract_patches(volumes, size, strides, dilation_rate, padding, data_format)


def _data_format(data_format):
    if data_format is None:
        from ... import config  # keras.config.image_data_format(), "channels_last" by default

        return config.image_data_format()
    return data_format


def _rank_and_axes(x, data_format, op):
    """(channels axis, height axis) of 3-D or 4-D images."""
    if x.ndim not in (3, 4):
        raise ValueError(
            f"image.{op}: invalid images rank: expected rank 3 (single image) or rank 4 (batch "
            f"of images). Received input with shape: images.shape={x.shape}"
        )
    first = str(_data_format(data_format)).lower() == "channels_first"
    return (-3, -2) if first else (-1, -3)


def _sides(before, after, target, size, names, op, crop):
    """Keras's rule: exactly two of (before, after, target) are given; returns (before, after)."""
    if [before, after, target].count(None) != 1:
        raise ValueError(
            f"image.{op}: must specify exactly two of {', '.join(names)}. Received: "
            f"{names[0]}={before}, {names[1]}={after}, {names[2]}={target}"
        )
    for name, value in zip(names, (before, after, target)):
        if value is not None and value < 0:
            raise ValueError(f"image.{op}: {name} must be >= 0. Received: {name}={value}")
    sign = -1 if crop else 1  # cropping removes rows, padding adds them
    if before is None:
        before = sign * (target - size) - after
    elif after is None:
        after = sign * (target - size) - before
    for name, value in zip(names, (before, after)):
        if value < 0:
            raise ValueError(f"image.{op}: {name} must be >= 0. Received: {name}={value}")
    if crop and before + after > size:
        raise ValueError(f"image.{op}: cropping {before} + {after} exceeds the image size {size}.")
    return int(before), int(after)


def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Crops images: give two of (top, bottom, target height) and two of (left, right, width).

    Args:
        images: `(h, w, c)` or `(n, h, w, c)` (channels first with `data_format`).
        top_cropping, bottom_cropping, target_height: rows removed above, below, rows kept.
        left_cropping, right_cropping, target_width: columns removed left, right, kept.
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        The cropped images, differentiable in `images`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(1, 28, dtype="float32").reshape(3, 3, 3)
    >>> keras.ops.image.crop_images(x, 0, 0, target_height=2, target_width=2).numpy()[..., 0]
    array([[ 1.,  4.],
           [10., 13.]], dtype=float32)
    """
    x = to_tensor(images, op="image.crop_images")
    _, h_axis = _rank_and_axes(x, data_format, "crop_images")
    h, w = x.shape[h_axis], x.shape[h_axis + 1]
    names = ("top_cropping", "bottom_cropping", "target_height")
    top, bottom = _sides(top_cropping, bottom_cropping, target_height, h, names, "crop_images", 1)
    names = ("left_cropping", "right_cropping", "target_width")
    left, right = _sides(left_cropping, right_cropping, target_width, w, names, "crop_images", 1)
    key = [slice(None)] * x.ndim
    key[h_axis] = slice(top, h - bottom)
    key[h_axis + 1] = slice(left, w - right)
    return x[tuple(key)]


def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Pads images with zeros: give two of (top, bottom, height) and two of (left, right, width).

    Args:
        images: `(h, w, c)` or `(n, h, w, c)` (channels first with `data_format`).
        top_padding, bottom_padding, target_height: rows added above, below, the final height.
        left_padding, right_padding, target_width: columns added left, right, the final width.
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        The padded images, differentiable in `images`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.image.pad_images(np.ones((15, 25, 3)), 2, 3, target_height=20,
    ...                            target_width=30).shape
    (20, 30, 3)
    """
    x = to_tensor(images, op="image.pad_images")
    _, h_axis = _rank_and_axes(x, data_format, "pad_images")
    h, w = x.shape[h_axis], x.shape[h_axis + 1]
    names = ("top_padding", "bottom_padding", "target_height")
    top, bottom = _sides(top_padding, bottom_padding, target_height, h, names, "pad_images", 0)
    names = ("left_padding", "right_padding", "target_width")
    left, right = _sides(left_padding, right_padding, target_width, w, names, "pad_images", 0)
    widths = [(0, 0)] * x.ndim
    widths[h_axis % x.ndim], widths[(h_axis + 1) % x.ndim] = (top, bottom), (left, right)
    return pad(x, widths)


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
