"""Differentiable image resampling shared by the image layers: resize and affine transforms.

Images are `(batch, height, width, channels)` (the callers move channels-first data and add a
batch axis to single images). The index and weight computations are plain numpy on shapes; the
pixels flow through `ops`, so gradients reach the input.

Resizing uses Keras's half-pixel convention (TensorFlow `resize` v2, torch
`align_corners=False`): output pixel `o` samples input coordinate `(o + 0.5) * in / out - 0.5`,
clamped at the borders, without antialiasing. Affine transforms follow
`ImageProjectiveTransform`: a row `[a0, a1, a2, b0, b1, b2, c0, c1]` maps output pixel
`(x, y)` (x = column) to input `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with
`k = c0 x + c1 y + 1`; the neighbours of that point outside the image are filled by `fill_mode`.
"""

import numpy as np

from ...core import ops

INTERPOLATIONS = ("bilinear", "nearest")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def to_channels_last(images, data_format):
    """(tensor as 4-D channels-last, undo function) for 3-D or 4-D inputs in `data_format`."""
    single = images.ndim == 3
    x = ops.expand_dims(images, 0) if single else images
    if data_format == "channels_first":
        x = ops.moveaxis(x, 1, -1)

    def undo(y):
        if data_format == "channels_first":
            y = ops.moveaxis(y, -1, 1)
        return ops.squeeze(y, 0) if single else y

    return x, undo


def linear_weights(in_size, out_size):
    """(out, in) matrix of half-pixel linear interpolation weights along one axis."""
    src = (np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5
    src = np.maximum(src, 0.0)
    lo = np.minimum(np.floor(src).astype(int), in_size - 1)
    hi = np.minimum(lo + 1, in_size - 1)
    frac = src - lo
    w = np.zeros((out_size, in_size))
    np.add.at(w, (np.arange(out_size), lo), 1.0 - frac)
    np.add.at(w, (np.arange(out_size), hi), frac)
    return w


def nearest_indices(in_size, out_size):
    """Input index of each output pixel: floor((o + 0.5) * in / out), as Keras's "nearest"."""
    idx = np.floor((np.arange(out_size) + 0.5) * (in_size / out_size)).astype(int)
    return np.minimum(idx, in_size - 1)


def resize(x, height, width, interpolation="bilinear"):
    """Resizes channels-last `(batch, h, w, c)` images to `(batch, height, width, c)`."""
    h, w = x.shape[1], x.shape[2]
    if interpolation == "nearest":
        if h != height:
            x = ops.take(x, nearest_indices(h, height), axis=1)
        if w != width:
            x = ops.take(x, nearest_indices(w, width), axis=2)
        return x
    dtype = x.dtype
    if h != height:
        x = ops.einsum("oh,bhwc->bowc", linear_weights(h, height).astype(dtype), x)
    if w != width:
        x = ops.einsum("pw,bowc->bopc", linear_weights(w, width).astype(dtype), x)
    return x


def aspect_crop(h, w, height, width):
    """(top, left, crop_h, crop_w): the largest centred window with the target aspect ratio."""
    crop_h = max(min(h, int(w * height / width)), 1)
    crop_w = max(min(w, int(h * width / height)), 1)
    return int((h - crop_h) / 2), int((w - crop_w) / 2), crop_h, crop_w


def aspect_pad(h, w, height, width):
    """((top, bottom), (left, right)) padding giving the target aspect ratio, image centred."""
    pad_h = max(h, int(w * height / width))
    pad_w = max(w, int(h * width / height))
    top, left = int((pad_h - h) / 2), int((pad_w - w) / 2)
    return (top, pad_h - h - top), (left, pad_w - w - left)


# -- affine transforms --------------------------------------------------------------------------


def _fix_index(i, n, fill_mode):
    """Integer indices outside [0, n) mapped by the fill mode; (indices, valid mask)."""
    if fill_mode == "constant":
        valid = (i >= 0) & (i < n)
        return np.clip(i, 0, n - 1), valid
    if fill_mode == "nearest":
        i = np.clip(i, 0, n - 1)
    elif fill_mode == "wrap":
        i = np.mod(i, n)
    else:  # reflect: (d c b a | a b c d | d c b a), period 2n
        j = np.mod(i, 2 * n)
        i = np.where(j >= n, 2 * n - 1 - j, j)
    return i, np.ones(i.shape, bool)


def affine_transform(x, transforms, interpolation="bilinear", fill_mode="reflect",
                     fill_value=0.0):  # fmt: skip
    """Samples channels-last images `x` (b, h, w, c) through per-image `transforms` (b, 8)."""
    b, h, w, c = x.shape
    t = np.asarray(transforms, dtype=np.float64).reshape(b, 8, 1, 1)
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64),
                         indexing="ij")  # fmt: skip
    k = t[:, 6] * xs + t[:, 7] * ys + 1.0
    src_x = (t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / k  # (b, h, w)
    src_y = (t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / k
    if interpolation == "nearest":
        corners = [(np.floor(src_y + 0.5), np.floor(src_x + 0.5), np.ones_like(src_x))]
    else:
        y0, x0 = np.floor(src_y), np.floor(src_x)
        fy, fx = src_y - y0, src_x - x0
        corners = [(y0, x0, (1 - fy) * (1 - fx)), (y0, x0 + 1, (1 - fy) * fx),
                   (y0 + 1, x0, fy * (1 - fx)), (y0 + 1, x0 + 1, fy * fx)]  # fmt: skip
    flat = ops.reshape(x, (b * h * w, c))
    base = (np.arange(b) * h * w).reshape(b, 1, 1)
    out, fill = None, np.zeros((b, h, w), np.float64)
    for yy, xx, weight in corners:
        iy, vy = _fix_index(yy.astype(int), h, fill_mode)
        ix, vx = _fix_index(xx.astype(int), w, fill_mode)
        valid = vy & vx
        fill += np.where(valid, 0.0, weight)
        wgt = np.where(valid, weight, 0.0)[..., None].astype(x.dtype)  # (b, h, w, 1)
        term = ops.take(flat, base + iy * w + ix, axis=0) * wgt  # (b, h, w, c)
        out = term if out is None else out + term
    if fill_mode == "constant" and fill_value != 0 and fill.any():
        out = out + (fill[..., None] * fill_value).astype(x.dtype)
    return out


def check_image_rank(layer, shape):
    if len(shape) not in (3, 4):
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) expects images of rank 3 "
            "(height, width, channels) or 4 (batch, height, width, channels) (channels first "
            f"with data_format='channels_first'). Received input shape {tuple(shape)}."
        )
