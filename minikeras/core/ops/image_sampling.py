"""`keras.ops.image.map_coordinates` and `affine_transform`: sampling an array at arbitrary
coordinates, nearest (order 0) or linear (order 1), with Keras's fill modes.

The rules are those of Keras 3's jax backend (`jax.scipy.ndimage.map_coordinates`): order 0
takes the node `round(c)` (halves away from zero), order 1 the nodes `floor(c)` and
`floor(c) + 1` weighted `1 - t` and `t`. The fill mode maps each node's integer index into the array: "nearest" clamps,
"wrap" takes it modulo the size, "mirror" reflects about the edge pixels (`d c b | a b c d`),
"reflect" about the edges (`b a | a b c d`), and "constant" uses `fill_value` for any node
outside. The output is linear in the array (backward: scatter-add with the same weights) and,
for order 1, piecewise linear in the coordinates.
"""

import itertools

import numpy as np

from ..tensor import Tensor
from ._base import _CONST, to_tensor

__all__ = ["affine_transform", "map_coordinates"]

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _mirror(index, size):
    if size == 1:
        return np.zeros_like(index)
    s = size - 1
    return np.abs((index + s) % (2 * s) - s)


def _fix(index, size, mode):
    """(index inside [0, size), valid) for a node's integer index under the fill mode."""
    if mode == "wrap":
        return index % size, None
    if mode == "mirror":
        return _mirror(index, size), None
    if mode == "reflect":
        return (_mirror(2 * index + 1, 2 * size + 1) - 1) // 2, None
    clipped = np.clip(index, 0, size - 1)
    if mode == "nearest":
        return clipped, None
    return clipped, (index >= 0) & (index < size)


def _nodes(c, order):
    """[(integer index, weight, d weight / d c)] of one axis's interpolation nodes."""
    if order == 0:
        nearest = np.sign(c) * np.floor(np.abs(c) + 0.5)  # halves away from zero, as lax.round
        return [(nearest.astype(np.int64), np.ones_like(c), np.zeros_like(c))]
    lo = np.floor(c)
    t = c - lo
    lo = lo.astype(np.int64)
    return [(lo, 1.0 - t, -np.ones_like(c)), (lo + 1, t, np.ones_like(c))]


def sample(x, coords, order, fill_mode, fill_value, batched=False, channels=False):
    """Samples the Tensor `x` at `coords` (one float array per sampled axis of `x`).

    `batched`: `x`'s first axis is a batch, and `coords[k]` of shape `(n, ...)` indexes image
    `i` with row `i`. `channels`: `x`'s last axis is carried along unsampled. `coords` may be
    a Tensor `(k, ...)` to get its gradient (order 1).
    """
    tc = coords if isinstance(coords, Tensor) else None
    c = np.asarray(tc.data if tc is not None else coords)
    spatial = x.shape[int(batched) : x.ndim - int(channels)]
    lead = (np.arange(x.shape[0]).reshape((-1,) + (1,) * (c.ndim - 2)),) if batched else ()
    cval = np.asarray(fill_value, x.dtype if x.dtype.kind == "f" else np.float64)
    per_axis = []
    for k, size in enumerate(spatial):
        axis_nodes = []
        for index, w, dw in _nodes(c[k], order):
            fixed, valid = _fix(index, size, fill_mode)
            axis_nodes.append((fixed, valid, w, dw))
        per_axis.append(axis_nodes)
    expand = (lambda a: a[..., None]) if channels else (lambda a: a)
    terms = []  # (key, weights per axis, valid mask, the node's values)
    out = 0.0
    for combo in itertools.product(*per_axis):
        key = lead + tuple(node[0] for node in combo)
        valids = [node[1] for node in combo if node[1] is not None]
        valid = np.logical_and.reduce(valids) if valids else None
        value = x.data[key]
        if valid is not None:
            value = np.where(expand(valid), value, cval)
        weights = [node[2] for node in combo]
        out = out + expand(np.prod(weights, axis=0)) * value
        terms.append((key, combo, valid, value))
    out = np.asarray(out)
    if x.dtype.kind in "iu":  # jax rounds integer results half away from zero
        out = np.sign(out) * np.floor(np.abs(out) + 0.5)
    out = out.astype(x.dtype)

    def backward(dout):
        dx = np.zeros(x.shape, dout.dtype)
        for key, combo, valid, _ in terms:
            w = np.prod([node[2] for node in combo], axis=0)
            if valid is not None:
                w = w * valid
            np.add.at(dx, key, dout * expand(w).astype(dout.dtype))
        if tc is None or order == 0:
            return dx, None
        dc = np.zeros(c.shape, dout.dtype)
        for _, combo, _, value in terms:
            for k in range(len(combo)):
                # d/dc_k of prod_j w_j: the other axes' weights times dw_k
                parts = [node[3] if j == k else node[2] for j, node in enumerate(combo)]
                w = np.prod(parts, axis=0)
                g = dout * expand(w) * value
                dc[k] += g.sum(axis=-1) if channels else g
        return dx, dc

    parents = (x, tc) if tc is not None else (x, _CONST)
    return Tensor.from_op(out, parents, backward, "map_coordinates")


def _check_mode(fill_mode, op):
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"image.{op}: invalid value for argument `fill_mode`. Expected one of "
            f"{set(FILL_MODES)}. Received: fill_mode={fill_mode!r}"
        )


def _check_interpolation(interpolation, op):
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"image.{op}: invalid value for argument `interpolation`. Expected one of "
            f"{set(INTERPOLATIONS)}. Received: interpolation={interpolation!r}"
        )


def _first(data_format):
    """Whether `data_format` (None: the global setting) is channels_first."""
    from .image import _data_format

    return str(_data_format(data_format)).lower() == "channels_first"


def warp(x, data_format, coordinates, interpolation, fill_mode, fill_value):
    """Resamples 3-D or 4-D images `x` (a Tensor) where `coordinates(n, h, w, dtype)` says: it
    returns the `(rows, cols)` source positions, each `(n, h, w)`, of every output pixel.

    A single image is batched and channels_first images are moved to channels_last around the
    call, then put back; the result has `x`'s shape and is differentiable in `x`.
    """
    from .shape import moveaxis

    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    first = _first(data_format)
    if first:
        x = moveaxis(x, 1, -1)
    n, h, w = x.shape[:3]
    rows, cols = coordinates(n, h, w, x.dtype)
    y = sample(
        x,
        np.stack([rows, cols]),
        INTERPOLATIONS[interpolation],
        fill_mode,
        fill_value,
        batched=True,
        channels=True,
    )
    if first:
        y = moveaxis(y, -1, 1)
    return y[0] if unbatched else y


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at `coordinates` by nearest (order 0) or linear (order 1) interpolation.

    Args:
        inputs: the array, of any rank `k`.
        coordinates: `(k, ...)` float coordinates, one row per axis of `inputs`.
        order: 0 (nearest node, halves away from zero) or 1 (linear).
        fill_mode: how nodes outside `inputs` are read: "constant" (`fill_value`), "nearest"
            (`a a | a b c d | d d`), "wrap" (`c d | a b c d | a b`), "mirror"
            (`c b | a b c d | c b`) or "reflect" (`b a | a b c d | d c`).
        fill_value: the value outside with `fill_mode="constant"`.

    Returns:
        The sampled values, shape `coordinates.shape[1:]`, dtype of `inputs`; differentiable in
        `inputs` and (order 1) in `coordinates`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.array([[0.0, 1.0], [2.0, 3.0]], "float32")
    >>> keras.ops.image.map_coordinates(x, [[0.5, 1.0, 3.0], [0.5, 0.0, 0.0]], 1).numpy().tolist()
    [1.5, 2.0, 0.0]
    """
    x = to_tensor(inputs, op="image.map_coordinates")
    c = coordinates if isinstance(coordinates, Tensor) else np.asarray(coordinates)
    if not c.shape or c.shape[0] != x.ndim:
        raise ValueError(
            "image.map_coordinates: first dim of `coordinates` must be the same as the rank of "
            f"`inputs`. Received inputs with shape: {x.shape} and coordinate leading dim of "
            f"{c.shape[0] if c.shape else 'none (a scalar)'}"
        )
    if c.ndim < 2:
        raise ValueError(
            "image.map_coordinates: invalid coordinates rank: expected at least rank 2. "
            f"Received input with shape: {c.shape}"
        )
    _check_mode(fill_mode, "map_coordinates")
    if order not in (0, 1):
        raise ValueError(
            f"image.map_coordinates: invalid value for argument `order`. Expected one of "
            f"[0, 1]. Received: order={order}"
        )
    if not isinstance(c, Tensor) and c.dtype.kind != "f":
        c = c.astype(x.dtype if x.dtype.kind == "f" else np.float32)
    return sample(x, c, order, fill_mode, fill_value)


INTERPOLATIONS = {"nearest": 0, "bilinear": 1}


def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """Applies projective transforms to images, sampling each output pixel from the input.

    Args:
        images: `(h, w, c)` or `(n, h, w, c)` (channels first with `data_format`).
        transform: `[a0, a1, a2, b0, b1, b2, c0, c1]` or `(n, 8)`: output pixel `(x, y)` is
            read at input point `(a0 x + a1 y + a2, b0 x + b1 y + b2)`; `c0`, `c1` count as 0,
            as on Keras's non-TensorFlow backends.
        interpolation: "nearest" or "bilinear".
        fill_mode: "constant", "nearest", "wrap", "mirror" or "reflect" (see `map_coordinates`).
        fill_value: the value outside with `fill_mode="constant"`.
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        The transformed images, same shape and dtype; differentiable in `images` (not in the
        transform, as Keras).

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(9, dtype="float32").reshape(3, 3, 1)
    >>> shift = [1, 0, 1, 0, 1, 0, 0, 0]  # read one pixel to the right
    >>> keras.ops.image.affine_transform(x, shift).numpy()[..., 0].tolist()
    [[1.0, 2.0, 0.0], [4.0, 5.0, 0.0], [7.0, 8.0, 0.0]]
    """
    _check_interpolation(interpolation, "affine_transform")
    _check_mode(fill_mode, "affine_transform")
    x = to_tensor(images, op="image.affine_transform")
    t = np.asarray(transform.data if isinstance(transform, Tensor) else transform)
    if x.ndim not in (3, 4):
        raise ValueError(
            "image.affine_transform: invalid images rank: expected rank 3 (single image) or "
            f"rank 4 (batch of images). Received input with shape: images.shape={x.shape}"
        )
    if t.ndim not in (1, 2):
        raise ValueError(
            "image.affine_transform: invalid transform rank: expected rank 1 (single transform) "
            f"or rank 2 (batch of transforms). Received input with shape: transform.shape={t.shape}"
        )
    n = x.shape[0] if x.ndim == 4 else 1
    if t.shape[-1] != 8 or (t.ndim == 2 and t.shape[0] not in (1, n)):
        raise ValueError(
            "image.affine_transform: `transform` must hold 8 values per image, shape (8,) or "
            f"(batch={n}, 8). Received: transform.shape={t.shape}"
        )

    def coordinates(n, h, w, x_dtype):
        dtype = x_dtype if x_dtype.kind == "f" else np.float32
        tn = np.broadcast_to(t.reshape(-1, 8).astype(dtype), (n, 8))
        yy, xx = np.meshgrid(np.arange(h, dtype=dtype), np.arange(w, dtype=dtype), indexing="ij")
        a0, a1, a2, b0, b1, b2 = (tn[:, i, None, None] for i in range(6))
        return b0 * xx + b1 * yy + b2, a0 * xx + a1 * yy + a2  # rows, cols: (n, h, w)

    return warp(x, data_format, coordinates, interpolation, fill_mode, fill_value)
