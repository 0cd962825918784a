"""Two int4 values per byte: `pack_int4` / `unpack_int4`, Keras 3's layout.

Along the packed axis, element `2i` goes to the low nibble of byte `i` and element `2i + 1` to
its high nibble; an odd length is padded with a zero. Unpacking sign-extends each nibble
(`(v ^ 8) - 8`: 0..7 stay, 8..15 become -8..-1) and drops the padding.

>>> import numpy as np, minikeras as keras
>>> packed, shape, n = keras.quantizers.pack_int4(np.array([[-3, 7], [2, -8], [1, 0]], "int8"))
>>> packed.numpy().tolist(), shape, n
([[45, -121], [1, 0]], (2, 2), 3)
>>> keras.quantizers.unpack_int4(packed, n).numpy().tolist()
[[-3, 7], [2, -8], [1, 0]]
"""

import numpy as np

from ..core import dtypes
from ..core.tensor import Tensor
from .quantizers import _array


def _check_dtype(dtype):
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")


def pack_int4(arr, axis=0, dtype="int8"):
    """Packs int4 values (held in an int8/uint8 tensor, range [-8, 7]) two per byte along `axis`.

    Args:
        arr: an `int8` (or `uint8`, matching `dtype`) tensor of int4 values.
        axis: the axis to pack along (default 0).
        dtype: `"int8"` or `"uint8"`: the input's and the packed tensor's dtype.

    Returns:
        `(packed, packed_shape, orig_len)`: the packed tensor (`ceil(n / 2)` along `axis`), its
        shape, and the original length `n` of `axis` (for `unpack_int4`).

    Raises:
        TypeError: when `arr` is not of dtype `dtype`.
    """
    _check_dtype(dtype)
    a = _array(arr)
    if dtypes.standardize_dtype(a.dtype) != dtype:
        raise TypeError(
            f"Expected {dtype} tensor for packing, got {dtypes.standardize_dtype(a.dtype)}."
        )
    a = np.moveaxis(a, axis % a.ndim, 0)
    n = a.shape[0]
    if n % 2:
        a = np.concatenate([a, np.zeros((1,) + a.shape[1:], a.dtype)], axis=0)
    low = a[::2] & np.array(0x0F, a.dtype)
    high = a[1::2] & np.array(0x0F, a.dtype)
    packed = (low | (high << np.array(4, a.dtype))).astype(a.dtype)
    packed = np.moveaxis(packed, 0, axis % a.ndim)
    return Tensor(np.ascontiguousarray(packed)), tuple(packed.shape), n


def unpack_int4_array(packed, orig_len, axis=0, dtype="int8"):
    """`unpack_int4` on numpy arrays (the layers' inference path calls this directly)."""
    axis = axis % packed.ndim
    p = np.moveaxis(packed, axis, 0)
    mask = np.array(0x0F, p.dtype)
    low = p & mask
    high = (p >> np.array(4, p.dtype)) & mask
    if dtype == "int8":
        eight = np.array(8, p.dtype)
        low, high = (low ^ eight) - eight, (high ^ eight) - eight
    out = np.empty((2 * p.shape[0],) + p.shape[1:], dtype=np.dtype(dtype))
    out[0::2] = low
    out[1::2] = high
    return np.moveaxis(out[:orig_len], 0, axis)


def unpack_int4(packed, orig_len, axis=0, dtype="int8"):
    """Unpacks what `pack_int4` packed: int4 values back in an int8 (or uint8) tensor.

    Args:
        packed: the packed int8/uint8 tensor.
        orig_len: the original length of `axis` (`pack_int4`'s third result).
        axis: the axis that was packed (default 0).
        dtype: `"int8"` (sign-extended values in [-8, 7]) or `"uint8"` (nibbles in [0, 15]).

    Returns:
        A tensor with `orig_len` elements along `axis`.
    """
    _check_dtype(dtype)
    p = _array(packed)
    if dtypes.standardize_dtype(p.dtype) not in ("int8", "uint8"):
        raise TypeError(f"Expected int8 or uint8 tensor for unpacking, got {p.dtype}")
    return Tensor(np.ascontiguousarray(unpack_int4_array(p, orig_len, axis, dtype)))
