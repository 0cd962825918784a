"""Dtype names and the default float type (`floatx`), as in `keras.config`."""

import contextlib

import numpy as np

_FLOATX = "float32"
_KEEP_64BIT = False  # see `keep_64bit`

_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",
    "long": "int64",
    "bool_": "bool",
}
# numpy dtypes that only the `ml_dtypes` package provides (what JAX and Keras use for them)
_ML_FLOATS = ("bfloat16", "float8_e4m3fn", "float8_e5m2")
# Python types, as Keras 3 maps them on its non-TensorFlow backends (numpy would say float64, int64,
# complex128)
_PYTHON_TYPES = {float: "float32", int: "int32", bool: "bool", complex: "complex64"}
COMPLEX_PARTS = {"complex64": "float32", "complex128": "float64"}  # complex -> its parts' dtype


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


def _require_ml_dtypes(name):
    """Imports `ml_dtypes` (which registers bfloat16 and float8 with numpy) or says how to get it."""
    try:
        import ml_dtypes
    except ImportError as e:
        raise ImportError(
            f"dtype {name!r} needs the `ml_dtypes` package (numpy has no {name} of its own). "
            "Install the extra: pip install 'minikeras[bfloat16]'"
        ) from e
    return ml_dtypes


def numpy_dtype(dtype):
    """The numpy dtype for `dtype` (any form `standardize_dtype` accepts), bfloat16 included.

    >>> from minikeras.core.dtypes import numpy_dtype
    >>> numpy_dtype("half")
    dtype('float16')
    """
    name = standardize_dtype(dtype)
    if name == "string":
        return np.dtype(object)
    if name in _ML_FLOATS:
        return np.dtype(getattr(_require_ml_dtypes(name), name))
    return np.dtype(name)


_NAMES = {}  # dtype or name -> canonical name: numpy's `dtype.name` is Python code, and slow


def standardize_dtype(dtype):
    """Returns the canonical string name of `dtype` (`keras.backend.standardize_dtype`).

    Args:
        dtype: a name (`"float32"`, `"complex64"`, aliases such as `"double"`), a numpy dtype, a
            Python type (`float` -> floatx's float32, `int` -> int32, `complex` -> complex64, as
            Keras 3 on jax/torch) or a dtype policy; `None` means floatx.

    Returns:
        A dtype name.

    Raises:
        ValueError: for an unknown dtype.

    >>> import minikeras as keras
    >>> keras.backend.standardize_dtype(complex), keras.backend.standardize_dtype("double")
    ('complex64', 'float64')
    """
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
        if dtype in _ML_FLOATS:  # registered with numpy once ml_dtypes is imported
            _require_ml_dtypes(dtype)
    try:
        name = np.dtype(dtype).name
    except TypeError as e:  # a ValueError, as Keras 3's standardize_dtype
        raise ValueError(f"Invalid dtype (unknown dtype). Received: dtype={dtype!r}") from e
    if np.dtype(dtype).kind in "US":
        name = "string"
    if isinstance(key, (str, np.dtype, type)):
        _NAMES[key] = name
    return name


def is_float(dtype):
    """True for float dtypes, ml_dtypes's bfloat16 and float8 types included (numpy's own
    `issubdtype(..., np.floating)` says False for those)."""
    if type(dtype) is not str:
        kind = getattr(dtype, "kind", None)  # a numpy dtype: decided by its kind, cheaply
        if kind is not None and kind != "V":
            return kind == "f"
    elif dtype in _ML_FLOATS:
        return True
    dtype = np.dtype(dtype)
    return dtype.name in _ML_FLOATS or np.issubdtype(dtype, np.floating)


def is_complex(dtype):
    """True for complex64 and complex128 (any form `standardize_dtype` accepts).

    >>> from minikeras.core.dtypes import is_complex
    >>> is_complex("complex64"), is_complex("float32")
    (True, False)
    """
    kind = getattr(dtype, "kind", None)  # a numpy dtype: decided by its kind, cheaply
    if kind is not None:
        return kind == "c"
    return standardize_dtype(dtype) in COMPLEX_PARTS


# Keras 3's type-promotion lattice (keras.src.backend.common.dtypes, itself JAX's): each dtype maps
# to the dtypes directly above it. "int" and "float" are the weak types of Python scalars (a Python
# complex is not weak: it counts as complex64).
_LATTICE = {
    "bool": ("int",),
    "int": ("uint8", "int8", "complex64"),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float",),
    "float": ("bfloat16", "float16"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _upper_bounds():
    bounds = {}
    for node in _LATTICE:
        seen, todo = {node}, [node]
        while todo:
            for up in _LATTICE[todo.pop()]:
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        bounds[node] = frozenset(seen)
    return bounds


_UPPER = _upper_bounds()
_PROMOTED = {}  # (names, weak flags) -> result: ops call `promote` on every mixed-dtype pair


def _lattice_name(dtype):
    """`(lattice node, weak)`: Python `int`/`float` (the types, not values) are weak."""
    if dtype is int or dtype is float:
        return ("int" if dtype is int else "float"), True
    if dtype is bool or dtype == "bfloat16":  # numpy has no bfloat16; the lattice does
        return ("bool" if dtype is bool else dtype), False
    try:
        name = standardize_dtype(dtype)
    except (TypeError, ValueError) as e:
        raise ValueError(f"Invalid dtype for Keras type promotion: {dtype!r}") from e
    if name not in _UPPER:
        raise ValueError(f"dtype={name!r} is not a valid dtype for Keras type promotion.")
    return name, False


def promote(*dtypes):
    """Result dtype of combining `dtypes` under Keras 3's promotion lattice, keeping 64-bit types.

    This is the rule minikeras's ops follow (as Keras does on its torch backend, and with JAX's x64
    enabled): int32 + float32 -> float32, int8 + uint8 -> int16, int64 + uint64 -> floatx, bool +
    Python int -> int32, int8 + Python float -> floatx, int32 + complex64 -> complex64, float64 +
    complex64 -> complex128. `result_type` is the public form.
    """
    key = tuple(dtypes)
    try:
        return _PROMOTED[key]
    except (KeyError, TypeError):
        pass
    nodes = [_lattice_name(d) for d in dtypes]
    names = {n for n, _ in nodes}
    if len(names) == 1 and not all(w for _, w in nodes):
        out, weak = names.pop(), False  # one dtype (with any weak scalars of its own kind)
    else:
        keyset = {n for n, _ in nodes}
        common = frozenset.intersection(*(_UPPER[n] for n in keyset))
        least = (common & keyset) or {c for c in common if common <= _UPPER[c]}
        if len(least) != 1:
            raise ValueError(
                f"Input dtypes {tuple(str(d) for d in dtypes)} have no implicit "
                "dtype promotion path. Cast them to a common dtype first."
            )
        (out,) = least
        weak = out in ("int", "float")
    if weak:  # a weak result takes floatx's precision
        bits = _FLOATX[-2:]
        out = f"int{bits}" if out == "int" else f"float{bits}"
    try:
        _PROMOTED[key] = out
    except TypeError:
        pass
    return out


# Keras 3's `result_type` narrows 64-bit results on its jax/torch/numpy backends
_NARROW = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


@contextlib.contextmanager
def keep_64bit():
    """Within this block `result_type`, and the ops that take their dtype from it (`minimum`,
    `var`, `cumsum`, ...), keep 64-bit results, as Keras 3 does on its TensorFlow backend (and JAX
    with x64 enabled); outside it they narrow to 32 bits as Keras 3 on jax/torch. The float64
    finite-difference gradient checks of those ops run in this mode.

    >>> from minikeras.core import dtypes
    >>> with dtypes.keep_64bit():
    ...     dtypes.result_type("float64", "int32")
    'float64'
    >>> dtypes.result_type("float64", "int32")
    'float32'
    """
    global _KEEP_64BIT
    before, _KEEP_64BIT = _KEEP_64BIT, True
    try:
        yield
    finally:
        _KEEP_64BIT = before


def result_type(*dtypes):
    """Returns the dtype Keras 3's type promotion gives for `dtypes` (`keras.backend.result_type`).

    Each argument is a dtype name, a numpy dtype, or the Python type `int`, `float` or `bool`
    (Python `int`/`float` are weak: they take the other operand's kind and floatx's precision).
    `None` stands for floatx, and no argument gives floatx. As Keras 3.15 on its jax, torch and
    numpy backends, 64-bit results are reported as their 32-bit types (`result_type("int64")` is
    `"int32"`); minikeras's ops themselves keep 64-bit dtypes, as Keras's torch backend does.

    Args:
        *dtypes: the dtypes to combine.

    Returns:
        A dtype name.

    Raises:
        ValueError: for a dtype outside the lattice (such as `"string"`), or a pair without a
            common type.

    >>> import minikeras as keras
    >>> keras.backend.result_type("int32", "float32")
    'float32'
    >>> keras.backend.result_type("int8", "uint8")
    'int16'
    >>> keras.backend.result_type("bool", int)
    'int32'
    >>> keras.backend.result_type("float16", float)
    'float16'
    """
    if not dtypes:
        return _FLOATX
    out = promote(*(_FLOATX if d is None else d for d in dtypes))
    return out if _KEEP_64BIT else _NARROW.get(out, out)
