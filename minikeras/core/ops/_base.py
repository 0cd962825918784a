"""Conversion helpers shared by the op families, and `op`: the symbolic dispatch of `keras.ops`."""

import builtins
import functools
import numbers
import operator

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ..variable import Variable

_CONST = Tensor(np.zeros(()))  # a parent that never needs a gradient

# argument types that are never symbolic (KerasTensors): the ops' dispatch and Layer.__call__'s
# eager fast path skip the symbolic check for them
EAGER_TYPES = frozenset(
    {
        np.ndarray,
        Tensor,
        Variable,
        int,
        float,
        bool,
        complex,
        str,
        type(None),
        np.float32,
        np.float64,
        np.int32,
        np.int64,
    }
)


# The ops that take complex tensors (the names their implementations pass to `unwrap`): each
# computes as Keras 3 does on complex numbers (tests/ops/complex, tests/core/ops/
# test_complex_numbers.py check every one). Any other op raises `complex_error` rather than drop
# an imaginary part or order complex values.
COMPLEX_OPS = frozenset(
    """convert_to_tensor convert_to_numpy cast copy array shape dtype size ndim stop_gradient
    add subtract multiply divide true_divide negative abs absolute square sqrt exp log power
    matmul dot vdot tensordot einsum sum mean reshape transpose expand_dims squeeze concatenate
    stack take getitem where equal not_equal isnan isfinite isinf zeros_like ones_like real imag
    conj conjugate angle view_as_real view_as_complex eig polar average outer ravel
    sin cos tan sinh cosh tanh arcsin arccos arctan arcsinh arccosh arctanh exp2 expm1 log10 log2
    log1p reciprocal rsqrt prod cumsum cumprod trace diagonal diag flip count_nonzero any all tril
    triu logsumexp tanh_shrink nan_to_num isreal inv det pinv qr svd matrix_rank roll tile repeat
    pad split broadcast_to full_like inner kron cross solve lstsq isclose var std norm
    slogdet logdet sigmoid silu softsign squareplus sinc logical_not logical_and logical_xor
    divide_no_nan nanprod take_along_axis trapezoid logaddexp""".split()
)


def complex_error(op, arr):
    """The TypeError of an op that does not take complex tensors."""
    return TypeError(
        f"{op} does not support complex tensors. Received dtype {arr.dtype} (shape {arr.shape}). "
        "Take `keras.ops.real` / `imag` / `abs` / `angle` first, or use `view_as_real`."
    )


def check_numeric(arr, op):
    kind = arr.dtype.kind
    if kind == "c" and op in COMPLEX_OPS:
        return arr
    if kind not in "biuf" and not dtypes.is_float(arr.dtype):  # bfloat16: kind "V"
        if kind == "c":
            raise complex_error(op, arr)
        raise TypeError(
            f"{op} expects numeric input (bool, int or float). Received dtype {arr.dtype} "
            f"(shape {arr.shape})."
        )
    return arr


def unwrap(x, op="op", weak=True):
    """Returns `(array_or_scalar, tensor)`. With `weak`, Python scalars stay scalars (numpy's weak
    typing, for the operands of binary ops); otherwise they become 0-d arrays of the dtype Keras 3's
    `convert_to_tensor` gives them (bool, int32, floatx), as a single-input op sees them."""
    if isinstance(x, Tensor):
        data = x.data
        if data.dtype.kind == "c" and op not in COMPLEX_OPS:
            raise complex_error(op, data)
        return data, x
    if type(x) is np.ndarray:  # the common case first: nothing to convert
        return check_numeric(x, op), _CONST
    if isinstance(x, (bool, numbers.Number)) and not isinstance(x, np.ndarray):
        if type(x) is complex and op not in COMPLEX_OPS:
            raise complex_error(op, np.asarray(x, np.complex64))
        return (x if weak else scalar_array(x)), _CONST
    if hasattr(x, "_keras_history"):
        raise TypeError(f"{op} received a symbolic KerasTensor outside a functional model.")
    arr = np.asarray(x)
    if arr.dtype == np.float64 and not isinstance(x, np.ndarray):
        arr = arr.astype(dtypes.floatx())  # Python lists of floats -> floatx, as Keras does
    elif arr.dtype == np.int64 and not isinstance(x, np.ndarray):
        arr = arr.astype(np.int32)  # Python lists of ints -> int32, as Keras does
    elif arr.dtype == np.complex128 and not isinstance(x, np.ndarray):
        arr = arr.astype(np.complex64)  # Python complex numbers -> complex64, as Keras does
    return check_numeric(arr, op), _CONST


def scalar_array(x):
    """A Python scalar as the 0-d array Keras 3 makes of it: bool, int32, floatx or complex64
    (numpy would give int64, float64, complex128); other values pass through."""
    if type(x) is bool:
        return np.asarray(x)
    if type(x) is int:  # int64 when it does not fit, as Keras on torch (not wrapped around)
        return np.asarray(x, np.int32 if -(2**31) <= x < 2**31 else np.int64)
    if type(x) is float:
        return np.asarray(x, dtypes.floatx())
    if type(x) is complex:
        return np.asarray(x, np.complex64)
    return x


def keras_typed(op, xs, *extra, weak=True, int_to_float=False, scalars_too=False):
    """`xs` cast to the dtype Keras 3's `result_type` gives them (with the `extra` dtypes, e.g.
    `float`), which narrows 64-bit results to 32 bits, as the Keras ops that call it do
    (`minimum(float64, float64)` is float32 there). With `weak`, Python scalars stay weak (they
    take the other operand's type); otherwise they count as int32/floatx/bool tensors, as after
    Keras's `convert_to_tensor`. `int_to_float`: an integer result becomes floatx. Tensors are
    cast with their gradient; `scalars_too` makes weak scalars arrays of the result dtype too.
    Returns `(cast operands, dtype)`."""
    scalars = [type(x) in (bool, int, float) for x in xs]
    weak = weak and not builtins.all(scalars)
    vals, kinds = [], []
    for x, scalar in zip(xs, scalars):
        if scalar and weak:
            vals.append(x)
            kinds.append(type(x))
            continue
        v = x if isinstance(x, Tensor) else unwrap(x, op, weak=False)[0]
        vals.append(v)
        kinds.append(v.dtype)
    dtype = dtypes.result_type(*kinds, *extra)
    if op not in COMPLEX_OPS and dtypes.is_complex(dtype):  # never cast the imaginary part away
        raise complex_error(op, next(v for v in vals if dtypes.is_complex(np.asarray(v).dtype)))
    if int_to_float and dtype != "bool" and not dtypes.is_float(dtype):
        dtype = dtypes.floatx()
    out = []
    for v, kind in zip(vals, kinds):
        if kind is bool or kind is int or kind is float:  # a weak Python scalar
            out.append(np.asarray(v, dtypes.numpy_dtype(dtype)) if scalars_too else v)
        elif dtypes.standardize_dtype(v.dtype) == dtype:
            out.append(v)
        else:
            out.append(v.astype(dtypes.numpy_dtype(dtype)))
    return out, dtype


def keras_dtype(*extra, nargs=2, **options):
    """Marks an op whose public `keras.ops` form casts its first `nargs` arguments with
    `keras_typed(op, args, *extra, **options)` first, as the Keras 3 ops that take their dtype
    from `result_type` do (so `keras.ops.minimum(float64, float64)` is float32). The function
    itself is returned unchanged: ops composing it keep their inputs' dtypes."""

    def mark(fn):
        fn._keras_dtype = (extra, nargs, options)
        return fn

    return mark


def _typed(fn):
    """`fn` with the argument casts its `keras_dtype` mark asks for (itself if unmarked)."""
    rule = getattr(fn, "_keras_dtype", None)
    if rule is None:
        return fn
    extra, nargs, options = rule

    @functools.wraps(fn)
    def typed(*args, **kwargs):
        if len(args) >= nargs:
            cast, _ = keras_typed(fn.__name__, args[:nargs], *extra, **options)
            args = (*cast, *args[nargs:])
        return fn(*args, **kwargs)

    return typed


def ints_as_floats(arrays):
    """Integer and bool arrays among float ones cast to the floats' promoted dtype (Keras 3's
    lattice: int32 with float32 is float32, where numpy says float64)."""
    floats = [a.dtype for a in arrays if a.dtype.kind not in "biu"]
    if not floats or len(floats) == len(arrays):
        return arrays
    common = dtypes.numpy_dtype(dtypes.promote(*floats))
    return [a.astype(common) if a.dtype.kind in "biu" else a for a in arrays]


def half_float(dtype):
    """`dtype` if it is float16 or bfloat16 (2-byte floats, which products sum in float32),
    else None."""
    if dtype.itemsize == 2 and (dtype.kind == "f" or dtypes.is_float(dtype)):
        return dtype
    return None


def keras_operands(x, y):
    """Casts a binary op's operands where numpy's promotion differs from Keras 3's
    (`dtypes.promote`, the lattice behind `keras.backend.result_type`): an int or bool array with
    a float array computes in the float array's dtype (int32 + float32 -> float32, not float64),
    int64 with uint64 in floatx (numpy: float64), a Python float with an int or bool array in
    floatx, and a Python int with a bool array in int32. Other pairs agree."""
    tx, ty = type(x), type(y)
    if tx is np.ndarray and ty is np.ndarray:
        if x.dtype == y.dtype:
            return x, y
        kx, ky = x.dtype.kind, y.dtype.kind
        if kx in "fc" and ky in "biu":  # int32 + complex64 -> complex64 (numpy: complex128)
            return x, y.astype(x.dtype)
        if ky in "fc" and kx in "biu":
            return x.astype(y.dtype), y
        if kx in "biu" and ky in "biu":  # int64 + uint64 -> floatx (numpy: float64)
            out = dtypes.promote(x.dtype, y.dtype)
            return x.astype(out, copy=False), y.astype(out, copy=False)
        return x, y
    if ty is np.ndarray:
        return x, _array_with_scalar(y, tx)
    if tx is np.ndarray:
        return _array_with_scalar(x, ty), y
    if tx in (bool, int, float, complex) and ty in (bool, int, float, complex):  # two scalars
        return keras_operands(scalar_array(x), scalar_array(y))
    return x, y


def _array_with_scalar(arr, kind):
    # numpy (NEP 50) computes in the array's dtype except for these two Python-scalar cases
    if kind is float and arr.dtype.kind in "biu":
        return arr.astype(dtypes.floatx())
    if kind is int and arr.dtype.kind == "b":
        return arr.astype("int32")
    if kind is complex and arr.dtype.kind in "biu":  # Keras: complex64 (numpy: complex128)
        return arr.astype(np.complex64)
    return arr


def to_tensor(x, dtype=None, op="op"):
    """Any array-like as a Tensor (Tensors pass through; Python floats become floatx, Python
    complex numbers complex64). Complex values raise `complex_error` unless `op` takes them."""
    if isinstance(x, Tensor):
        if x.data.dtype.kind == "c" and op not in COMPLEX_OPS:
            raise complex_error(op, x.data)
        if dtype is not None and x.dtype != np.dtype(dtypes.standardize_dtype(dtype)):
            return x.astype(dtype)  # ops.cast, through Tensor's operators (no import cycle)
        return x
    if hasattr(x, "_keras_history"):
        raise TypeError(f"{op} received a symbolic KerasTensor outside a functional model.")
    if dtype is not None:
        arr = np.asarray(x)
        if arr.dtype.kind == "c" and not dtypes.is_complex(dtype):  # real part, as Keras's cast
            arr = arr.real
        return Tensor(np.asarray(arr, dtype=dtypes.standardize_dtype(dtype)))
    arr = np.asarray(x)
    if arr.dtype.kind == "f" and not isinstance(x, np.ndarray):
        arr = arr.astype(dtypes.floatx())
    elif arr.dtype.kind in "iu" and not isinstance(x, np.ndarray) and arr.dtype.itemsize == 8:
        if arr.size == 0 or (arr.min() >= -(2**31) and arr.max() < 2**31):  # else int64, as torch
            arr = arr.astype("int32")
    elif arr.dtype.kind == "c" and not isinstance(x, np.ndarray):
        arr = arr.astype(np.complex64)  # Python complex numbers, as Keras
    if arr.dtype.kind == "c" and op not in COMPLEX_OPS:
        raise complex_error(op, arr)
    if arr.dtype.kind not in "biufcU" and not dtypes.is_float(arr.dtype):
        raise TypeError(f"{op} cannot convert an object of dtype {arr.dtype} to a tensor.")
    return Tensor(arr)


def result_float(arr):
    """Integer inputs to float-valued math (exp, log, ...) become floatx."""
    if arr.dtype.kind in "biu":
        return arr.astype(dtypes.floatx())
    return arr


def normalize_axis(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    out = []
    for a in axis:
        if not -ndim <= a < max(ndim, 1):
            # numpy's AxisError is a ValueError and an IndexError (Keras 3 on torch raises this)
            raise np.exceptions.AxisError(f"axis {a} is out of range for a tensor of rank {ndim}.")
        out.append(a % ndim if ndim else 0)
    return tuple(sorted(set(out)))


def axis_of(axis, ndim, op, what="axis"):
    """One axis of a rank-`ndim` tensor as a non-negative int, for `op`'s error message.

    Raises numpy's AxisError (a ValueError and an IndexError, as Keras 3 on torch and numpy
    raise) when `axis` is not an integer in [-ndim, ndim): a 0-d tensor has no axis at all."""
    try:
        if isinstance(axis, (bool, np.bool_)):
            raise TypeError
        axis = operator.index(axis)  # an int, a numpy integer or a 0-d integer array
    except TypeError:
        raise TypeError(f"{op}: `{what}` must be an int. Received: {axis!r}") from None
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(
            f"{op}: {what} {axis} is out of range for a tensor of rank {ndim}"
            + (
                " (a scalar has no axis)."
                if ndim == 0
                else f"; expected -{ndim} <= {what} < {ndim}."
            )
        )
    return axis % ndim


def contraction_axes(axes, sa, sb):
    """tensordot's `axes` (an int n: the last n of x1 with the first n of x2; or two lists) as
    two lists of non-negative axes, checked to pair axes of equal size."""
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        if not 0 <= axes <= min(len(sa), len(sb)):
            raise ValueError(
                f"tensordot: `axes`={axes} must be between 0 and the smaller rank of x1 {sa} and x2 {sb}."
            )
        return list(range(len(sa) - axes, len(sa))), list(range(axes))
    try:
        ax_a, ax_b = [
            [axis_of(i, len(s), "tensordot", "axes") for i in np.atleast_1d(t)]
            for t, s in zip(axes, (sa, sb), strict=True)
        ]
    except np.exceptions.AxisError:
        raise
    except (TypeError, ValueError):
        raise ValueError(
            f"tensordot: `axes` must be an int or a pair of axis lists. Received: {axes!r}"
        ) from None
    if len(ax_a) != len(ax_b) or any(sa[i] != sb[j] for i, j in zip(ax_a, ax_b)):
        raise ValueError(
            f"tensordot: axes {ax_a} of x1 {sa} and {ax_b} of x2 {sb} differ in number or size."
        )
    return ax_a, ax_b


# (name, fn, args, kwargs) -> KerasTensor: records an operation node. Set by the layers floor
# (`layers/core_layers/op_layer.py`) through `set_symbolic_hook`, since ops sit below layers.
_symbolic_hook = None


def set_symbolic_hook(hook):
    """Installs `hook(name, fn, args, kwargs)`, called by the public ops on symbolic inputs."""
    global _symbolic_hook
    _symbolic_hook = hook


def _is_symbolic(x):
    if hasattr(x, "_keras_history"):
        return True
    if isinstance(x, (list, tuple)):
        return builtins.any(hasattr(i, "_keras_history") for i in x)
    return False


def _any_symbolic(values):
    for a in values:
        if type(a) not in EAGER_TYPES and _is_symbolic(a):
            return True
    return False


def op(fn, name=None):
    """The public `keras.ops` function for the op implementation `fn`.

    It calls `fn`, unless an argument is a symbolic `KerasTensor` (or a list of them): then it
    records an operation node named `name` (default `fn.__name__`; e.g. `"image.resize"`) in the
    functional graph, as Keras 3's ops do. `fn` stays reachable as `._raw` (and `__wrapped__`, so
    `inspect.getsource` shows it); ops composing other ops call the implementations directly.
    """
    name = name or fn.__name__
    raw, fn = fn, _typed(fn)

    @functools.wraps(raw)
    def dispatching(*args, **kwargs):
        if _symbolic_hook is not None:
            for a in args:  # inlined: this runs on every public op call
                if type(a) not in EAGER_TYPES and _is_symbolic(a):
                    return _symbolic_hook(name, fn, args, kwargs)
            if kwargs and _any_symbolic(kwargs.values()):
                return _symbolic_hook(name, fn, args, kwargs)
        return fn(*args, **kwargs)

    dispatching._raw = raw
    return dispatching
