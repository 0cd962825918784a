"""`Variable`: a named, assignable tensor that holds a model's state (as `keras.Variable`)."""

import numpy as np

from . import dtypes
from .tensor import Tensor, register_live_buffer

_NAME_COUNTS = {}
_RESOLVER = []  # [initializers.get], set by keras.initializers at import (the core is below it)


def set_initializer_resolver(resolve):
    """Lets `Variable` accept initializer names, configs and classes (`"ones"`, `{"class_name":
    ...}`, `GlorotUniform`), as Keras does: `resolve` (keras.initializers.get) turns them into
    callables. Called once by `minikeras.initializers`; the core never imports it."""
    _RESOLVER[:] = [resolve]


def _auto_name(base):
    n = _NAME_COUNTS.get(base, 0)
    _NAME_COUNTS[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


class Variable(Tensor):
    """A mutable tensor. Trainable variables are watched by `GradientTape` automatically.

    Args:
        initializer: an array-like initial value, or an initializer (name, instance or callable
            `(shape, dtype) -> array`) used together with `shape`.
        shape: the shape, required when `initializer` is not an array.
        dtype: the dtype; defaults to the value's float dtype or `floatx()`.
        trainable: whether optimizers update it.
        name: its name; `path` adds the owning layer's name.
        autocast: whether a layer with a mixed dtype policy reads it in its compute dtype
            inside `call` (Keras's autocasting; False for state kept in float32).

    The value lives in `.data`, which optimizers and `assign` update in place. What reaches the
    user is a snapshot, as in Keras: `numpy()`, `np.asarray(v)`, `np.array(v)` and
    `ops.convert_to_numpy` of the variable, of `v.value` or of a view of either return copies;
    `assign` and the constructor copy the array they are given.

    >>> import minikeras as keras
    >>> v = keras.Variable([1.0, 2.0], name="v")
    >>> v.assign([3.0, 4.0]).numpy().tolist()
    [3.0, 4.0]
    """

    __slots__ = (
        "name",
        "path",
        "trainable",
        "constraint",
        "regularizer",
        "_layer",
        "_initializer",
        "_overwrite_with_gradient",
        "_autocast",
    )

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        name=None,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        constraint=None,
        regularizer=None,
    ):
        value = _initial_value(initializer, shape, dtype)
        super().__init__(value, requires_grad=bool(trainable))
        self.name = name or _auto_name("variable")
        self.path = self.name
        self.trainable = bool(trainable)
        self.constraint = constraint
        self.regularizer = regularizer
        self._layer = None
        self._initializer = initializer if not _is_value(initializer) else None
        self._overwrite_with_gradient = False
        # read in a mixed-precision layer's compute dtype inside its `call` (Keras's autocast)
        self._autocast = bool(autocast)

    def __setattr__(self, key, value):
        object.__setattr__(self, key, value)
        if key == "trainable":
            object.__setattr__(self, "requires_grad", bool(value))
        elif key == "data":
            register_live_buffer(self)

    @property
    def overwrite_with_gradient(self):
        """Whether optimizers replace this variable's value by its gradient instead of taking a
        step (no learning rate, clipping, weight decay or constraint), as Keras 3 does for
        float8 training's scale and amax history."""
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value):
        if not isinstance(value, bool):
            raise TypeError(f"`overwrite_with_gradient` must be a boolean. Received: {value!r}")
        self._overwrite_with_gradient = value

    def numpy(self):
        """A copy of the current value (later updates leave it unchanged, as in Keras)."""
        return self.data.copy()

    @property
    def value(self):
        """The current value as a Tensor over the variable's buffer (no copy), differentiable
        with respect to the variable, as Keras's backend tensor is. Converting it to numpy
        gives a snapshot."""
        return Tensor.from_op(self.data, (self,), _pass_gradient, "value", _pass_gradient_ops)

    def assign(self, value):
        """Overwrites the value in place (same shape) and returns the variable."""
        new = self._own_kind(value)
        if new.shape != self.data.shape:
            raise ValueError(
                f"Variable {self.path!r} has shape {self.data.shape}; cannot assign a value of "
                f"shape {new.shape}."
            )
        self.data[...] = new
        return self

    def assign_add(self, value):
        self.data += np.asarray(self._own_kind(value), self.dtype)
        return self

    def assign_sub(self, value):
        self.data -= np.asarray(self._own_kind(value), self.dtype)
        return self

    def _own_kind(self, value):
        """`value` as an array; a complex value for a real variable gives its real part, as Keras
        (numpy would warn and do the same)."""
        new = np.asarray(value.data if isinstance(value, Tensor) else value)
        return new.real if new.dtype.kind == "c" and self.data.dtype.kind != "c" else new

    def __repr__(self):
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype.name}>"


def _pass_gradient(dout):
    return (dout,)


def _pass_gradient_ops(dout, out):  # the same, for higher-order gradients (see autodiff)
    return (dout,)


def _is_value(x):
    return isinstance(x, (np.ndarray, Tensor, list, tuple, int, float, np.number, bool))


def _initial_value(initializer, shape, dtype):
    if _is_value(initializer):
        raw = initializer.data if isinstance(initializer, Tensor) else initializer
        arr = np.asarray(raw)
        if dtype is None:
            # inferred from the value: numpy arrays keep their dtype; Python floats -> floatx
            if isinstance(raw, np.ndarray) or np.issubdtype(arr.dtype, np.bool_):
                dtype = arr.dtype
            elif np.issubdtype(arr.dtype, np.integer):
                dtype = "int32"
            else:
                dtype = dtypes.floatx()
        arr = np.array(arr, dtype=dtypes.standardize_dtype(dtype), copy=True, order="C")
        if shape is not None and tuple(shape) != arr.shape:
            raise ValueError(
                f"Variable initial value has shape {arr.shape} but shape={tuple(shape)} was given."
            )
        return arr
    if shape is None:
        raise ValueError(
            "Variable needs `shape` when its initializer is not an array. "
            f"Received: initializer={initializer!r}, shape=None"
        )
    init = initializer
    if isinstance(initializer, (str, dict, type)):
        if not _RESOLVER:
            raise ValueError(
                f"Variable got the initializer {initializer!r} by name, but keras.initializers "
                "is not loaded to resolve it; pass a callable `(shape, dtype) -> array`."
            )
        init = _RESOLVER[0](initializer)
    dtype = dtypes.standardize_dtype(dtype)
    value = np.asarray(init(tuple(shape), dtype=dtype), dtype=dtype)
    return np.array(value, copy=True, order="C")  # C order: the fused kernels need it
