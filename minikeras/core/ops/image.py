"""`keras.ops.image`: resizing, cropping and padding images, differentiable in the pixels.

Resizing is linear in the pixels, so each spatial axis is one `(out, in)` weight matrix built in
numpy, applied through its few non-zero taps per row (`kernels/resample.py` for float32: one
compiled pass per axis, 3x faster than numpy's gathers and multiply-adds, which were 2-4x faster
than a dense `tensordot` on 224x224 batches); the gradient is the transposed matrix. The weights follow
Keras 3's jax and numpy backends (`jax.image.scale_and_translate`): output pixel `o` is centred
on input coordinate `s = (o + 0.5) * in / out - 0.5`, input pixel `i` gets `k(|s - i| / scale)`
with `scale = max(in / out, 1)` when antialiasing a downsample (else 1), and each row is divided
by its sum, so pixels outside the image simply drop out. "area" follows Keras's TensorFlow
backend (`tf.image.resize(method="area")`): output pixel `o` averages the input span
`[o, o + 1) * in / out`, without antialiasing. "nearest" takes input pixel
`floor((o + 0.5) * in / out)`.

`crop_images` and `pad_images` are composed from differentiable ops. The other `keras.ops.image`
ops live beside: `image_patches.py` (extract_patches), `image_color.py` (colour conversions),
`image_sampling.py` (map_coordinates, affine_transform), `image_warp.py` (gaussian_blur,
elastic_transform, perspective_transform).
"""

import numpy as np

from ...kernels import load as load_kernels
from ..tensor import Tensor
from ._base import to_tensor
from .arithmetic import clip
from .conversion import cast
from .elementwise import round as round_
from .indexing import take
from .joining import pad

__all__ = ["crop_images", "pad_images", "resize"]

# values below which numpy's taps are as fast as the kernel (same bits either way), so that small
# images (and the functional build's placeholder runs) never wait for its compilation
KERNEL_MIN = 1 << 16
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


def _band(weights):
    """The (out, in) matrix as taps: `(idx, wts)`, each (out, K), with row `o` equal to
    `sum_k wts[o, k] * onehot(idx[o, k])`; K is the widest run of non-zeros in a row."""
    nz = weights != 0
    n_in = weights.shape[1]
    start = nz.argmax(axis=1)
    end = n_in - nz[:, ::-1].argmax(axis=1)
    width = max(int((end - start).max()), 1)
    taps = start[:, None] + np.arange(width)[None, :]
    idx = np.minimum(taps, n_in - 1)
    wts = np.where(taps < n_in, np.take_along_axis(weights, idx, axis=1), 0.0)
    return idx, wts


def _apply(a, weights, axis):
    """`weights` (out, in) applied along `axis` of the array `a`: through its taps (a few
    gathers and multiply-adds, what interpolation kernels need; float32 in one compiled pass,
    `kernels/resample.py`) when rows are narrow bands, else one tensordot."""
    idx, wts = _band(weights)
    if idx.shape[1] > 16 or 2 * idx.shape[1] > weights.shape[1]:
        out = np.tensordot(a, weights.astype(a.dtype), axes=(axis, 1))
        return np.ascontiguousarray(np.moveaxis(out, -1, axis))
    wts = wts.astype(a.dtype)
    if a.dtype == np.float32 and a.size >= KERNEL_MIN:  # one compiled pass (kernels/resample.py)
        lead = int(np.prod(a.shape[:axis]))
        view = a.reshape(lead, a.shape[axis], -1)
        out = load_kernels("resample").resample(view, idx, wts)
        return out.reshape(a.shape[:axis] + (idx.shape[0],) + a.shape[axis + 1 :])
    shape = [1] * a.ndim
    shape[axis] = -1
    acc = None
    for k in range(idx.shape[1]):
        term = np.take(a, idx[:, k], axis=axis)
        term *= wts[:, k].reshape(shape)
        acc = term if acc is None else np.add(acc, term, out=acc)
    return acc


def _resample(x, weights, axis):
    """Applies an (out, in) matrix along `axis` of a float Tensor."""
    w = weights.astype(x.dtype)
    out = _apply(x.data, weights, axis)

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
        from ..image_format import image_data_format  # keras.config's, channels_last by default

        data_format = image_data_format()
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


def _data_format(data_format):
    if data_format is None:
        from ..image_format import image_data_format  # keras.config's, channels_last by default

        return image_data_format()
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
