"""`Tensor`: a numpy array plus the record of the op that made it. Operators call `ops`."""

import weakref

import numpy as np

from . import autodiff

# The ops the operators call: `minikeras.core.ops.operators`, bound by `minikeras.core.ops` when it
# is imported (that package imports this module, so this one does not import it)
ops = None

# id(buffer) -> the Variable holding it. Variables are updated in place, so an array handed to the
# user that shares such a buffer would change under them; `numpy()` and `__array__` copy those.
_LIVE = weakref.WeakValueDictionary()


def _root(arr):
    """The array that owns `arr`'s memory (`arr` itself unless it is a view)."""
    base = arr.base
    while isinstance(base, np.ndarray):
        arr, base = base, base.base
    return arr


def register_live_buffer(variable):
    """Records that `variable.data` is state updated in place (called by `Variable`)."""
    _LIVE[id(_root(variable.data))] = variable


def aliases_state(arr):
    """Whether `arr` is, or is a view of, the buffer of a live `Variable`."""
    root = _root(arr)
    owner = _LIVE.get(id(root))
    return owner is not None and _root(owner.data) is root


class Tensor:
    """A numpy array with the parents and backward function of the op that produced it.

    Operators (`+`, `*`, `@`, indexing, ...) call `keras.ops`, so they are differentiable.

    Args:
        data: array-like, stored as `numpy.asarray(data)` (so Python floats give float64; use
            `keras.ops.convert_to_tensor` for Keras's dtype rules).
        requires_grad: whether gradients flow into this tensor.

    >>> import numpy as np, minikeras as keras
    >>> t = keras.Tensor(np.array([1.0, 2.0], "float32")) * 3
    >>> t.numpy().tolist(), t.shape, t.dtype.name
    ([3.0, 6.0], (2,), 'float32')
    """

    __slots__ = (
        "data",
        "requires_grad",
        "_parents",
        "_backward",
        "_backward_ops",
        "_op",
        "_keras_mask",
        "__weakref__",
    )
    __array_priority__ = 1000

    def __init__(self, data, requires_grad=False):
        self.data = data if isinstance(data, np.ndarray) else np.asarray(data)
        self.requires_grad = requires_grad
        self._parents = ()
        self._backward = None
        self._backward_ops = None
        self._op = None
        self._keras_mask = None

    @classmethod
    def from_op(cls, out, parents, backward, op=None, backward_ops=None):
        """Wraps an op's output array, recording `parents` and `backward` when a gradient is needed.

        `backward(dout)` returns one gradient per parent (None where there is none) as numpy
        arrays; the engine reduces broadcast gradients to each parent's shape.
        `backward_ops(dout, out)`, optional, computes the same gradients from the Tensor `dout`
        with ops (`out` is this output Tensor, its parents `out._parents`), so that a gradient
        taken inside an enclosing `GradientTape` can be differentiated again; ops without it
        support first-order gradients only.
        """
        t = cls.__new__(cls)
        t.data = out if isinstance(out, np.ndarray) else np.asarray(out)
        t._keras_mask = None
        t._op = op
        needs = False
        for p in parents:  # a plain loop: this runs once per op, on the hot path
            if p.requires_grad:
                needs = True
                break
        if needs and autodiff.grad_enabled():
            t.requires_grad = True
            t._parents = parents
            t._backward = backward
            t._backward_ops = backward_ops
        else:
            t.requires_grad = False
            t._parents = ()
            t._backward = None
            t._backward_ops = None
        return t

    # -- array protocol ---------------------------------------------------------------------
    @property
    def shape(self):
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return self.data.size

    def numpy(self):
        """The value as a numpy array that later updates of any variable leave unchanged.

        An op's fresh output is returned as is (no copy); a tensor that shares a variable's buffer
        (the variable itself, `variable.value`, or a view such as `ops.reshape(variable, ...)`)
        gives a copy, as Keras hands out snapshots.
        """
        d = self.data
        return d.copy() if aliases_state(d) else d

    def __array__(self, dtype=None, copy=None):
        """numpy's conversion protocol: a snapshot as in `numpy()`; `copy=False` shares memory."""
        d = self.data
        if dtype is not None and np.dtype(dtype) != d.dtype:
            if copy is False:
                raise ValueError(
                    f"Cannot convert a tensor of dtype {d.dtype} to {np.dtype(dtype)} without a "
                    "copy, but copy=False was requested."
                )
            return d.astype(dtype)
        if copy or (copy is None and aliases_state(d)):
            return d.copy()
        return d

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "__call__" and not kwargs and ufunc.__name__ in _UFUNC_OPS:
            return getattr(ops, _UFUNC_OPS[ufunc.__name__])(*inputs)
        arrays = [x.data if isinstance(x, Tensor) else x for x in inputs]
        return getattr(ufunc, method)(*arrays, **kwargs)

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    # Python scalars from any one-element tensor, as Keras's torch tensors convert (a (1, 1)
    # initializer output included); numpy itself only converts 0-d arrays without a warning
    def __float__(self):
        return float(self._one_element("float"))

    def __int__(self):
        return int(self._one_element("int"))

    def __bool__(self):
        return bool(self.data)

    def __index__(self):
        if self.data.dtype.kind not in "iu":
            raise TypeError(
                "Only integer tensors of a single element can be converted to an index. "
                f"Received a tensor of dtype {self.data.dtype.name} and shape {self.data.shape}"
            )
        return int(self._one_element("index"))

    def _one_element(self, what):
        if self.data.size != 1:
            raise TypeError(
                f"Only one-element tensors can be converted to a Python {what}. Received a "
                f"tensor of shape {self.data.shape}"
            )
        return self.data.reshape(())

    def item(self):
        return self.data.item()

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", threshold=20)
        return f"<Tensor shape={self.shape}, dtype={self.dtype.name}, numpy=\n{body}>"

    __hash__ = object.__hash__

    # -- operators (all differentiable, all via ops) ----------------------------------------
    def __add__(self, other):
        return ops.add(self, other)

    def __radd__(self, other):
        return ops.add(other, self)

    def __sub__(self, other):
        return ops.subtract(self, other)

    def __rsub__(self, other):
        return ops.subtract(other, self)

    def __mul__(self, other):
        return ops.multiply(self, other)

    def __rmul__(self, other):
        return ops.multiply(other, self)

    def __truediv__(self, other):
        return ops.divide(self, other)

    def __rtruediv__(self, other):
        return ops.divide(other, self)

    def __pow__(self, other):
        return ops.power(self, other)

    def __rpow__(self, other):
        return ops.power(other, self)

    def __matmul__(self, other):
        return ops.matmul(self, other)

    def __rmatmul__(self, other):
        return ops.matmul(other, self)

    def __floordiv__(self, other):
        return ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return ops.floor_divide(other, self)

    def __mod__(self, other):
        return ops.mod(self, other)

    def __rmod__(self, other):
        return ops.mod(other, self)

    # &, |, ^ and ~ are logical, as on Keras's KerasTensor (ops.logical_and, ...)
    def __and__(self, other):
        return ops.logical_and(self, other)

    def __rand__(self, other):
        return ops.logical_and(other, self)

    def __or__(self, other):
        return ops.logical_or(self, other)

    def __ror__(self, other):
        return ops.logical_or(other, self)

    def __xor__(self, other):
        return ops.logical_xor(self, other)

    def __rxor__(self, other):
        return ops.logical_xor(other, self)

    def __invert__(self):
        return ops.logical_not(self)

    def __round__(self, ndigits=None):
        return ops.round(self, 0 if ndigits is None else ndigits)

    def __neg__(self):
        return ops.negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return ops.abs(self)

    def __getitem__(self, key):
        return ops.getitem(self, key)

    # comparisons give plain boolean tensors (no gradient)
    def __lt__(self, other):
        return ops.less(self, other)

    def __le__(self, other):
        return ops.less_equal(self, other)

    def __gt__(self, other):
        return ops.greater(self, other)

    def __ge__(self, other):
        return ops.greater_equal(self, other)

    def __eq__(self, other):
        return ops.equal(self, other)

    def __ne__(self, other):
        return ops.not_equal(self, other)

    @property
    def T(self):
        return ops.transpose(self)

    def reshape(self, *shape):
        return ops.reshape(self, shape[0] if len(shape) == 1 else shape)

    def astype(self, dtype):
        return ops.cast(self, dtype)

    # numpy's np.sum(t) / np.mean(t) call these with its own keywords (axis, dtype, out), as they
    # do a jax array's: `dtype` is the computation's dtype; `out` cannot be written into
    def sum(self, axis=None, dtype=None, out=None, keepdims=False):
        return ops.sum(_for_reduction(self, dtype, out, "sum"), axis=axis, keepdims=keepdims)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        return ops.mean(_for_reduction(self, dtype, out, "mean"), axis=axis, keepdims=keepdims)


def _for_reduction(x, dtype, out, name):
    if out is not None:
        raise NotImplementedError(
            f"Tensor.{name}() cannot write into `out`; use its result. Received: out={type(out)}"
        )
    return x if dtype is None else ops.cast(x, dtype)


_UFUNC_OPS = {
    "add": "add",
    "subtract": "subtract",
    "multiply": "multiply",
    "true_divide": "divide",
    "power": "power",
    "negative": "negative",
    "exp": "exp",
    "log": "log",
    "sqrt": "sqrt",
    "tanh": "tanh",
    "absolute": "abs",
    "maximum": "maximum",
    "minimum": "minimum",
    "matmul": "matmul",
    "square": "square",
}
