"""Dtype names and the default float type (`floatx`), as in `keras.config`."""

import numpy as np

_FLOATX = "float32"

_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",
    "long": "int64",
    "bool_": "bool",
}
# Python types, as Keras 3 maps them on its non-TensorFlow backends (numpy would say float64, int64)
_PYTHON_TYPES = {float: "float32", int: "int32", bool: "bool"}


def floatx():
    """Returns the default float dtype name (`"float32"` unless changed with `set_floatx`).

    Returns:
        A dtype name.

    >>> import minikeras as keras
    >>> keras.config.floatx()
    'float32'
    """
    return _FLOATX


def set_floatx(value):
    """Sets the default float dtype name used for weights, Python floats and float results.

    Args:
        value: `"float16"`, `"float32"` or `"float64"`.

    >>> import minikeras as keras
    >>> keras.config.set_floatx("float32")  # the default
    >>> keras.ops.convert_to_tensor(1.5).dtype.name
    'float32'
    """
    global _FLOATX
    value = standardize_dtype(value)
    if value not in ("float16", "float32", "float64"):
        raise ValueError(f"Expected floatx in float16/float32/float64. Received: {value!r}")
    _FLOATX = value


_NAMES = {}  # dtype or name -> canonical name: numpy's `dtype.name` is Python code, and slow


def standardize_dtype(dtype):
    """Returns the canonical string name of `dtype` (None means floatx)."""
    if dtype is None:
        return _FLOATX
    try:
        return _NAMES[dtype]
    except (KeyError, TypeError):  # not seen yet, or unhashable (a DTypePolicy config dict)
        pass
    key = dtype
    if dtype in (str, bytes, np.str_, np.bytes_) or (
        isinstance(dtype, str) and dtype.startswith(("str", "bytes"))  # also numpy's "str96"
    ):
        return "string"  # Keras's name for text (numpy holds it as str / bytes / object arrays)
    if isinstance(dtype, type) and dtype in _PYTHON_TYPES:
        dtype = _PYTHON_TYPES[dtype]
    if isinstance(dtype, dict):  # a Keras 3 DTypePolicy config
        dtype = dtype.get("config", {}).get("name", _FLOATX)
    if hasattr(dtype, "name") and not isinstance(dtype, (str, np.dtype)):
        dtype = dtype.name  # a DTypePolicy object
    if isinstance(dtype, str):
        dtype = _ALIASES.get(dtype, dtype)
        if dtype.startswith("mixed_"):
            dtype = "float32"
    try:
        name = np.dtype(dtype).name
    except TypeError as e:
        raise TypeError(f"Unknown dtype. Received: dtype={dtype!r}") from e
    if np.dtype(dtype).kind in "US":
        name = "string"
    if isinstance(key, (str, np.dtype, type)):
        _NAMES[key] = name
    return name


def is_float(dtype):
    return np.issubdtype(np.dtype(dtype), np.floating)
