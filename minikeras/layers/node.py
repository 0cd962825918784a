"""Symbolic tensors and graph nodes for the functional API.

`keras.Input` returns a `KerasTensor` (a shape and a dtype, no data). Calling a layer on
KerasTensors records a `Node(layer, args, kwargs, outputs)` and returns new KerasTensors whose
`_keras_history` points back at it; `Functional` later replays those nodes on real data.
"""

import numpy as np

from ..core import dtypes


class KerasTensor:
    """A symbolic tensor with a shape (None for unknown dims) and a dtype, but no value.

    `keras.Input` returns one; calling a layer (or a `keras.ops` function) on KerasTensors returns
    new ones and records the call, which `keras.Model(inputs, outputs)` replays.

    Args:
        shape: the shape, `None` for unknown dims (such as the batch).
        dtype: the dtype name.
        name: an optional name.
        has_mask: whether a mask travels with the tensor.

    >>> import minikeras as keras
    >>> x = keras.Input((3,))
    >>> y = keras.layers.Dense(2)(x)
    >>> y.shape, y.dtype
    ((None, 2), 'float32')
    """

    def __init__(self, shape, dtype="float32", name=None, has_mask=False):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtypes.standardize_dtype(dtype)
        self.name = name
        self._keras_history = None  # (layer, node_index, tensor_index)
        self._has_mask = has_mask
        self._mask_ndim = 2

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __hash__(self):
        return id(self)

    def __len__(self):
        raise TypeError("A symbolic KerasTensor has no length; use `.shape`.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor has no truth value.")

    def __array__(self, *a, **k):
        raise TypeError(
            "A symbolic KerasTensor (from keras.Input) has no value. Use keras.ops on it inside a "
            "functional model, or call the model on real data."
        )

    # operators build operation nodes, as Keras 3 does
    def _op(name, reverse=False):
        def method(self, other):
            from ..core import ops

            fn = getattr(ops, name)
            return fn(other, self) if reverse else fn(self, other)

        return method

    __add__ = _op("add")
    __radd__ = _op("add", True)
    __sub__ = _op("subtract")
    __rsub__ = _op("subtract", True)
    __mul__ = _op("multiply")
    __rmul__ = _op("multiply", True)
    __truediv__ = _op("divide")
    __rtruediv__ = _op("divide", True)
    __pow__ = _op("power")
    __rpow__ = _op("power", True)
    __floordiv__ = _op("floor_divide")
    __rfloordiv__ = _op("floor_divide", True)
    __mod__ = _op("mod")
    __rmod__ = _op("mod", True)
    __and__ = _op("logical_and")
    __rand__ = _op("logical_and", True)
    __or__ = _op("logical_or")
    __ror__ = _op("logical_or", True)
    __xor__ = _op("logical_xor")
    __rxor__ = _op("logical_xor", True)
    __matmul__ = _op("matmul")
    __rmatmul__ = _op("matmul", True)
    __lt__ = _op("less")
    __gt__ = _op("greater")
    __le__ = _op("less_equal")
    __ge__ = _op("greater_equal")
    __ne__ = _op("not_equal")
    del _op

    def __neg__(self):
        from ..core import ops

        return ops.negative(self)

    def __abs__(self):
        from ..core import ops

        return ops.abs(self)

    def __invert__(self):
        from ..core import ops

        return ops.logical_not(self)

    def __round__(self, ndigits=None):
        from ..core import ops

        return ops.round(self, 0 if ndigits is None else ndigits)

    def __getitem__(self, key):
        from ..core import ops

        return ops.getitem(self, key)

    def reshape(self, *shape):
        from ..core import ops

        return ops.reshape(self, shape[0] if len(shape) == 1 else shape)


class Node:
    """One call of `layer` on symbolic inputs.

    `args`/`kwargs` are the call's arguments with KerasTensors in place; `outputs` is the flat list
    of KerasTensors it produced, `output_structure` how to rebuild the layer's return value.
    """

    def __init__(self, layer, args, kwargs, outputs, output_structure):
        self.layer = layer
        self.args = args
        self.kwargs = kwargs
        self.input_tensors = [t for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
        self.outputs = outputs
        self.output_structure = output_structure
        self.is_input = False
        self.index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(outputs):
            t._keras_history = (layer, self.index, i)

    @property
    def parent_nodes(self):
        out = []
        for t in self.input_tensors:
            layer, idx, _ = t._keras_history
            out.append(layer._inbound_nodes[idx])
        return out


def flatten(structure):
    """Leaves of nested lists/tuples/dicts, in order (dicts in key insertion order)."""
    out, stack = [], [structure]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        else:
            out.append(item)
    return out


def map_structure(fn, structure):
    """Applies `fn` to every leaf, keeping the nesting."""
    if isinstance(structure, list):
        return [map_structure(fn, x) for x in structure]
    if isinstance(structure, tuple):
        return tuple(map_structure(fn, x) for x in structure)
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    return fn(structure)


def is_symbolic(structure):
    return any(isinstance(t, KerasTensor) for t in flatten(structure))


class _TextPlaceholder(str):
    """The text standing in for a `dtype="string"` KerasTensor in a placeholder run: no text
    is valid for every vocabulary, so the text layers recognise it (`is_text_placeholder`) and
    answer with placeholder output of their declared shape and dtype instead of looking it up."""


TEXT_PLACEHOLDER = _TextPlaceholder("")


def is_text_placeholder(arr):
    """Whether `arr` (a numpy array) is placeholder text made by `dummy_value`."""
    return (
        isinstance(arr, np.ndarray)
        and arr.dtype == object
        and arr.size > 0
        and arr.flat[0] is TEXT_PLACEHOLDER
    )


def dummy_value(t, none_size, rng=None):
    """A concrete array standing in for KerasTensor `t` when tracing shapes: ones of its shape
    (`none_size` for unknown dims) and dtype. Ones are a valid token id for any vocabulary,
    never a mask 0, and finite under every activation; values never steer the shapes.
    A `"string"` tensor gets `TEXT_PLACEHOLDER` text (an object array)."""
    shape = tuple(none_size if d is None else d for d in t.shape)
    if t.dtype == "string" or np.dtype(t.dtype).kind in "USO":
        text = np.empty(shape, dtype=object)
        text.fill(TEXT_PLACEHOLDER)  # the object itself (np.full would copy it to a plain str)
        return text
    return np.ones(shape, dtype=np.dtype(t.dtype))
