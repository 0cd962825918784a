"""`keras.utils` helpers about symbolic tensors and dtypes: `get_source_inputs`,
`is_keras_tensor`, `standardize_dtype`."""

from ..core import dtypes as _dtypes

# `minikeras.utils` loads while the core floor does (utils/naming, utils/random are core), so
# the layers floor is imported inside the functions below, never at module load

# the dtype names Keras 3 accepts (keras.src.backend.common.dtypes.ALLOWED_DTYPES)
_KERAS_DTYPES = {
    "float16",
    "float32",
    "float64",
    "bfloat16",
    "float8_e4m3fn",
    "float8_e5m2",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
    "int4",
    "uint4",
    "bool",
    "string",
    "complex64",
    "complex128",
}


def is_keras_tensor(x):
    """Whether `x` is a symbolic tensor (a `KerasTensor`, as `keras.Input` returns).

    Args:
        x: anything.

    Returns:
        True for a KerasTensor, False for arrays, Tensors and everything else.

    >>> import numpy as np, minikeras as keras
    >>> keras.utils.is_keras_tensor(keras.Input((3,))), keras.utils.is_keras_tensor(np.ones(3))
    (True, False)
    """
    from ..layers.node import KerasTensor

    return isinstance(x, KerasTensor)


def get_source_inputs(tensor):
    """The `keras.Input` tensors that `tensor` was computed from, walking its recorded calls.

    Args:
        tensor: a KerasTensor. Anything without a call history is returned unchanged, as
            Keras does.

    Returns:
        A list of input KerasTensors, each once, in the order the walk meets them.

    >>> import minikeras as keras
    >>> a, b = keras.Input((3,)), keras.Input((3,))
    >>> y = keras.layers.Dense(2)(keras.layers.Add()([a, b]))
    >>> keras.utils.get_source_inputs(y) == [a, b]
    True
    """
    from ..layers.node import KerasTensor, flatten

    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return tensor if not isinstance(tensor, KerasTensor) else [tensor]
    found, stack = [], [tensor]
    while stack:
        t = stack.pop()
        layer, index, _ = t._keras_history
        node = layer._inbound_nodes[index] if layer._inbound_nodes else None
        if node is None:
            sources = [t]
        elif node.is_input:
            sources = flatten(node.outputs)
        else:
            stack.extend(reversed(node.input_tensors))
            continue
        for s in sources:
            if all(s is not f for f in found):
                found.append(s)
    return found


def standardize_dtype(dtype):
    """The canonical name of a dtype, as Keras 3 spells it.

    Args:
        dtype: a name (`"float32"`, `"int"`), a numpy dtype or type, a Python type (`float`
            means float32, `int` int32, as Keras), or None (`keras.config.floatx()`).

    Returns:
        The name, e.g. `"float32"`.

    Raises:
        ValueError: for a name Keras does not accept (`"float"` and `"foo"` included, as
            Keras 3 raises "Invalid dtype").

    >>> import numpy as np, minikeras as keras
    >>> keras.utils.standardize_dtype(np.float64), keras.utils.standardize_dtype(int)
    ('float64', 'int32')
    """
    if dtype == "float":  # numpy reads it as float64, minikeras's core as float32: Keras refuses
        raise ValueError(f"Invalid dtype: {dtype}")
    try:
        name = _dtypes.standardize_dtype(dtype)
    except TypeError as e:
        raise ValueError(f"Invalid dtype: {dtype}") from e
    if name not in _KERAS_DTYPES:
        raise ValueError(f"Invalid dtype: {getattr(dtype, '__name__', dtype)}")
    return name
