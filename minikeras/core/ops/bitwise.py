"""Bitwise ops on integer tensors: and, or, xor, invert and shifts."""

import numpy as np

from ..tensor import Tensor
from ._base import keras_operands, scalar_array, unwrap

__all__ = [
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_invert",
    "bitwise_not",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "left_shift",
    "right_shift",
]


# -- bitwise ops (integers and bools; no gradient) ---------------------------------------------
def _int_operand(x, op):
    a, _ = unwrap(x, op)
    arr = np.asarray(a)
    if arr.dtype.kind not in "biu":
        raise TypeError(f"{op} expects integer or bool input. Received: dtype={arr.dtype}")
    return a


def _shift_operand(a, other):
    if np.asarray(a).dtype.kind != "b":
        return a
    kind = np.asarray(other).dtype
    dtype = kind if isinstance(other, np.ndarray) and kind.kind in "iu" else np.dtype("int32")
    return np.asarray(a, dtype) if isinstance(a, np.ndarray) else int(a)


def _bitwise(op, fn, x, y, shift=False):
    a, b = _int_operand(x, op), _int_operand(y, op)
    if shift:  # a bool shifts as the other operand's integer type (Keras 3: int8 << bool is int8)
        a, b = _shift_operand(a, b), _shift_operand(b, a)
    a, b = keras_operands(a, b)
    out = np.asarray(fn(a, b))
    if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
        out = out.astype("int32" if out.dtype.kind != "b" else bool)  # Python ints: int32
    return Tensor(out)


def bitwise_and(x, y):
    """Elementwise bitwise AND of integer (or bool) tensors.

    Args:
        x, y: integer or bool tensors (broadcast together); the result dtype follows Keras 3's
            promotion (int8 & int32 -> int32, uint8 & int8 -> int16).

    Returns:
        An integer (or bool) tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_and([12, 5], [10, 3]).numpy().tolist()
    [8, 1]
    """
    return _bitwise("bitwise_and", np.bitwise_and, x, y)


def bitwise_or(x, y):
    """Elementwise bitwise OR of integer (or bool) tensors.

    Args:
        x, y: integer or bool tensors (broadcast together).

    Returns:
        An integer (or bool) tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_or([12, 5], [10, 3]).numpy().tolist()
    [14, 7]
    """
    return _bitwise("bitwise_or", np.bitwise_or, x, y)


def bitwise_xor(x, y):
    """Elementwise bitwise XOR of integer (or bool) tensors.

    Args:
        x, y: integer or bool tensors (broadcast together).

    Returns:
        An integer (or bool) tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_xor([12, 5], [10, 3]).numpy().tolist()
    [6, 6]
    """
    return _bitwise("bitwise_xor", np.bitwise_xor, x, y)


def bitwise_invert(x):
    """Elementwise bitwise NOT (`~x`; logical NOT for bools).

    Args:
        x: integer or bool tensor.

    Returns:
        A tensor of the same dtype.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_invert([5, -3]).numpy().tolist()
    [-6, 2]
    """
    return Tensor(np.asarray(np.invert(scalar_array(_int_operand(x, "bitwise_invert")))))


def bitwise_not(x):
    """Elementwise bitwise NOT; the same as `bitwise_invert`.

    Args:
        x: integer or bool tensor.

    Returns:
        A tensor of the same dtype.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_not([True, False]).numpy().tolist()
    [False, True]
    """
    return Tensor(np.asarray(np.invert(scalar_array(_int_operand(x, "bitwise_not")))))


def bitwise_left_shift(x, y):
    """Elementwise `x << y` (bools count as int32, as Keras 3).

    Args:
        x, y: integer or bool tensors (broadcast together).

    Returns:
        An integer tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_left_shift([1, 3], [2, 1]).numpy().tolist()
    [4, 6]
    """
    return _bitwise("bitwise_left_shift", np.left_shift, x, y, shift=True)


def bitwise_right_shift(x, y):
    """Elementwise arithmetic `x >> y` (bools count as int32, as Keras 3).

    Args:
        x, y: integer or bool tensors (broadcast together).

    Returns:
        An integer tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_right_shift([8, -3], [2, 2]).numpy().tolist()
    [2, -1]
    """
    return _bitwise("bitwise_right_shift", np.right_shift, x, y, shift=True)


left_shift = bitwise_left_shift
right_shift = bitwise_right_shift
