"""Differentiable image resampling shared by the image layers: affine transforms.

Images are `(batch, height, width, channels)` (the callers move channels-first data and add a
batch axis to single images). The index and weight computations are plain numpy on shapes; the
pixels flow through `ops`, so gradients reach the input.

Resizing is `keras.ops.image.resize` (`core/ops/image.py`); its per-axis weights are re-exported
here for the dataset loaders. Affine transforms follow
`ImageProjectiveTransform`: a row `[a0, a1, a2, b0, b1, b2, c0, c1]` maps output pixel
`(x, y)` (x = column) to input `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with
`k = c0 x + c1 y + 1`; the neighbours of that point outside the image are filled by `fill_mode`.
"""

import numpy as np

from ...core import ops
from ...core.ops.image import aspect_crop, nearest_indices, resize_weights  # noqa: F401

INTERPOLATIONS = ("bilinear", "nearest")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def check_warp_arguments(fill_mode, interpolation):
    """Keras 3's NotImplementedError for a `fill_mode` or `interpolation` the affine layers do
    not have (`fill_mode` checked first)."""
    if fill_mode not in FILL_MODES:
        raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one {FILL_MODES}.")
    if interpolation not in INTERPOLATIONS:
        raise NotImplementedError(
            f"Unknown `interpolation` {interpolation}. Expected of one {INTERPOLATIONS}."
        )


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
    return resize_weights(in_size, out_size, "bilinear")


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


def affine_transform(x, transforms, interpolation="bilinear", fill_mode="reflect", fill_value=0.0):
    """Samples channels-last images `x` (b, h, w, c) through per-image `transforms` (b, 8)."""
    b, h, w, c = x.shape
    t = np.asarray(transforms, dtype=np.float64).reshape(b, 8, 1, 1)
    ys, xs = np.meshgrid(
        np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij"
    )
    k = t[:, 6] * xs + t[:, 7] * ys + 1.0
    src_x = (t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / k  # (b, h, w)
    src_y = (t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / k
    if interpolation == "nearest":
        corners = [(np.floor(src_y + 0.5), np.floor(src_x + 0.5), np.ones_like(src_x))]
    else:
        y0, x0 = np.floor(src_y), np.floor(src_x)
        fy, fx = src_y - y0, src_x - x0
        corners = [
            (y0, x0, (1 - fy) * (1 - fx)),
            (y0, x0 + 1, (1 - fy) * fx),
            (y0 + 1, x0, fy * (1 - fx)),
            (y0 + 1, x0 + 1, fy * fx),
        ]
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
