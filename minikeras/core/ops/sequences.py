"""Sliding windows and axis rearrangement of Keras 3's `keras.ops`: `extract_sequences` (frames of
the last axis), `unfold` / `fold` (keras.ops.nn's im2col / col2im on channels-first images) and
`rearrange` (einops patterns).

`extract_sequences`, `unfold` and `rearrange` are gathers and reshapes composed from other ops;
`fold` is a primitive scatter-add whose backward is the matching gather.
"""

import re

import numpy as np

from ..tensor import Tensor
from . import indexing as _indexing
from . import joining as _joining
from ._base import to_tensor, unwrap
from .shape import reshape, transpose

__all__ = ["extract_sequences", "unfold", "fold", "rearrange"]


def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of length `sequence_length`, `sequence_stride` apart, along the last axis.

    Args:
        x: a tensor of rank >= 1 whose last axis is framed (e.g. audio `(batch, samples)`).
        sequence_length: the length of each frame.
        sequence_stride: the number of samples between the starts of consecutive frames.

    Returns:
        `(..., num_frames, sequence_length)` with
        `num_frames = 1 + (x.shape[-1] - sequence_length) // sequence_stride`.

    >>> import minikeras as keras
    >>> keras.ops.extract_sequences([1.0, 2.0, 3.0, 4.0, 5.0], 3, 2).numpy().tolist()
    [[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]]
    """
    x = to_tensor(x, op="extract_sequences")
    if not x.shape:
        raise ValueError(
            "extract_sequences: `x` must have a last axis to cut frames from; received a scalar."
        )
    length, stride = int(sequence_length), int(sequence_stride)
    if length < 1 or stride < 1:
        raise ValueError(
            "extract_sequences: `sequence_length` and `sequence_stride` must be positive. "
            f"Received: {sequence_length}, {sequence_stride}"
        )
    frames = (x.shape[-1] - (length - stride)) // stride
    if frames < 1:
        raise ValueError(
            f"extract_sequences: sequence_length={length} is longer than the last axis of "
            f"x.shape={tuple(x.shape)}"
        )
    idx = np.arange(frames)[:, None] * stride + np.arange(length)  # (frames, length)
    return _indexing.take(x, idx, axis=-1)


def _pair(value, name):
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2:
        raise ValueError(f"unfold/fold: {name} must be an int or 2 ints. Received: {value}")
    return tuple(int(v) for v in pair)


def _patch_indices(size, kernel_size, dilation, padding, stride):
    """Flat indices into the padded `(h + 2 ph) * (w + 2 pw)` image of each kernel cell and
    patch: `(kh * kw, num_patches)`, and the padded size."""
    (h, w), (kh, kw) = size, kernel_size
    (dh, dw), (ph, pw), (sh, sw) = dilation, padding, stride
    if min(kh, kw, dh, dw, sh, sw) < 1 or min(ph, pw) < 0:
        raise ValueError(
            "unfold/fold: kernel_size, dilation and stride must be positive and padding "
            f"non-negative. Received: kernel_size={kernel_size}, dilation={dilation}, "
            f"padding={padding}, stride={stride}"
        )
    hp, wp = h + 2 * ph, w + 2 * pw
    nh = (hp - dh * (kh - 1) - 1) // sh + 1
    nw = (wp - dw * (kw - 1) - 1) // sw + 1
    rows = (np.arange(kh) * dh)[:, None, None, None] + (np.arange(nh) * sh)[None, None, :, None]
    cols = (np.arange(kw) * dw)[None, :, None, None] + (np.arange(nw) * sw)[None, None, None, :]
    return (rows * wp + cols).reshape(kh * kw, nh * nw), (hp, wp)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of a channels-first image batch, flattened (im2col).

    Args:
        x: `(N, C, H, W)`.
        kernel_size, dilation, padding, stride: ints or pairs (padding is zeros on both sides).

    Returns:
        `(N, C * kh * kw, L)`, `L` the number of block positions.

    >>> import minikeras as keras
    >>> keras.ops.unfold(keras.ops.ones((1, 2, 4, 4)), kernel_size=2, stride=2).shape
    (1, 8, 4)
    """
    x = to_tensor(x, op="unfold")
    if len(x.shape) != 4:
        raise ValueError(f"unfold: input must be a 4D tensor. Received: input.shape={x.shape}")
    n, c, h, w = x.shape
    k, d = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    p, s = _pair(padding, "padding"), _pair(stride, "stride")
    idx, (hp, wp) = _patch_indices((h, w), k, d, p, s)
    x = _joining.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    blocks = _indexing.take(reshape(x, (n, c, hp * wp)), idx, axis=2)  # (n, c, kh*kw, L)
    return reshape(blocks, (n, c * k[0] * k[1], idx.shape[1]))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums flattened sliding blocks back into a channels-first image (col2im, `unfold`'s adjoint).

    Args:
        x: `(N, C * kh * kw, L)`.
        output_size: `(H, W)` of the image (an int for a square one).
        kernel_size, dilation, padding, stride: as given to `unfold`.

    Returns:
        `(N, C, H, W)`; overlapping blocks add up.

    >>> import minikeras as keras
    >>> keras.ops.fold(keras.ops.ones((1, 4, 4)), 3, 2)[0, 0].numpy().tolist()
    [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    a, ta = unwrap(x, "fold")
    a = np.asarray(a)
    size, k = _pair(output_size, "output_size"), _pair(kernel_size, "kernel_size")
    d, p, s = _pair(dilation, "dilation"), _pair(padding, "padding"), _pair(stride, "stride")
    idx, (hp, wp) = _patch_indices(size, k, d, p, s)
    if a.ndim != 3 or a.shape[1] % (k[0] * k[1]) or a.shape[2] != idx.shape[1]:
        raise ValueError(
            f"fold: expected x of shape (N, C * {k[0] * k[1]}, {idx.shape[1]}) for "
            f"output_size={size}, kernel_size={k}. Received: x.shape={a.shape}"
        )
    n, c = a.shape[0], a.shape[1] // (k[0] * k[1])
    blocks = a.reshape(n, c, k[0] * k[1], idx.shape[1])
    out = np.zeros((n, c, hp * wp), dtype=a.dtype)
    np.add.at(out, (slice(None), slice(None), idx), blocks)
    out = out.reshape(n, c, hp, wp)[:, :, p[0] : hp - p[0], p[1] : wp - p[1]]

    def backward(dout):
        # each block cell reads the gradient of the pixel it was added to
        padded = np.pad(dout, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
        return (padded.reshape(n, c, hp * wp)[:, :, idx].reshape(a.shape),)

    return Tensor.from_op(np.ascontiguousarray(out), (ta,), backward, "fold")


_TOKEN = re.compile(r"\(|\)|[A-Za-z_][A-Za-z0-9_]*|\d+")


def _groups(side, pattern):
    """The axis groups of one side of an einops pattern: a list of lists of names."""
    groups, current = [], None
    for token in _TOKEN.findall(side):
        if token == "(":
            if current is not None:
                raise ValueError(f"rearrange: nested parentheses in pattern {pattern!r}")
            current = []
        elif token == ")":
            groups.append(current)
            current = None
        elif current is not None:
            current.append(token)
        else:
            groups.append([token])
    if current is not None:
        raise ValueError(f"rearrange: unbalanced parentheses in pattern {pattern!r}")
    return groups


def rearrange(tensor, pattern, **axes_lengths):
    """Reorders, splits and merges axes as an einops pattern says.

    Patterns such as `"b h w -> b (h w)"` (merge), `"b (h c) -> b h c"` with `c=...` given
    (split) or `"b h w -> w b h"` (transpose). Parentheses group axes that are one axis of the
    tensor; a split group may leave one of its sizes unnamed.

    Args:
        tensor: the input tensor; the left side of `pattern` names each of its axes.
        pattern: an einops string `"<input axes> -> <output axes>"`; both sides name the same
            axes.
        **axes_lengths: sizes of axes the input shape does not determine, e.g. `c=3`.

    Returns:
        A tensor holding the same values, with the axes of the pattern's right side.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.rearrange(np.zeros((2, 3, 4)), "b h w -> b (h w)").shape
    (2, 12)
    >>> x = np.arange(6.0).reshape(1, 6)
    >>> keras.ops.rearrange(x, "b (h c) -> b c h", c=2).numpy().tolist()
    [[[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]]]
    """
    x = to_tensor(tensor, op="rearrange")
    if "->" not in pattern:
        raise ValueError(f"rearrange: pattern must contain '->'. Received: {pattern!r}")
    left, right = (_groups(side, pattern) for side in pattern.split("->"))
    if len(left) != len(x.shape):
        raise ValueError(
            f"rearrange: pattern {pattern!r} names {len(left)} axes, the tensor has "
            f"{len(x.shape)} (shape {tuple(x.shape)})"
        )
    sizes = {k: int(v) for k, v in axes_lengths.items()}
    for group, size in zip(left, x.shape):
        unknown = [name for name in group if name not in sizes]
        known = int(np.prod([sizes[name] for name in group if name in sizes]))
        if len(unknown) > 1:
            raise ValueError(f"rearrange: give the sizes of {unknown[1:]} for {pattern!r}")
        if unknown:
            sizes[unknown[0]] = size // known
        if int(np.prod([sizes[name] for name in group])) != size:
            raise ValueError(f"rearrange: axis of size {size} cannot be split as {group}")
    names = [name for group in left for name in group]
    x = reshape(x, [sizes[name] for name in names])
    order = [name for group in right for name in group]
    if sorted(order) != sorted(names):
        raise ValueError(f"rearrange: both sides of {pattern!r} must name the same axes")
    x = transpose(x, [names.index(name) for name in order])
    return reshape(x, [int(np.prod([sizes[n] for n in group])) for group in right])
