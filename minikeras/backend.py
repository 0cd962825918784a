"""`keras.backend`: the few backend helpers Keras 3 still exposes."""

from .config import backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx
from .core.dtypes import result_type, standardize_dtype
from .core.image_format import set_image_data_format
from .dtype_policies.dtype_policy import reset_dtype_policy
from .utils.naming import get_uid, reset_names


def is_keras_tensor(x):
    """Whether `x` is a symbolic tensor (a `KerasTensor`, as `keras.Input` returns).

    The same answer as `keras.utils.is_keras_tensor`, told by the class without importing the
    layers floor (`layers/node.py` defines it).

    Args:
        x: anything.

    Returns:
        True for a KerasTensor, False for arrays, Tensors and everything else.

    >>> import minikeras as keras
    >>> keras.backend.is_keras_tensor(keras.Input((3,))), keras.backend.is_keras_tensor(3.0)
    (True, False)
    """
    return any(
        c.__name__ == "KerasTensor" and c.__module__ == "minikeras.layers.node"
        for c in type(x).__mro__
    )


def is_float_dtype(dtype):
    """Whether `dtype` (any form `standardize_dtype` takes) is a float type, bfloat16 included.

    Args:
        dtype: a dtype name, numpy dtype or Python type.

    Returns:
        A bool (False for complex types).

    >>> import minikeras as keras
    >>> keras.backend.is_float_dtype("bfloat16"), keras.backend.is_float_dtype("int8")
    (True, False)
    """
    name = standardize_dtype(dtype)
    return name.startswith("float") or name.startswith("bfloat")


def is_int_dtype(dtype):
    """Whether `dtype` (any form `standardize_dtype` takes) is a signed or unsigned integer type.

    Args:
        dtype: a dtype name, numpy dtype or Python type.

    Returns:
        A bool (False for bool).

    >>> import minikeras as keras
    >>> keras.backend.is_int_dtype("uint8"), keras.backend.is_int_dtype(float)
    (True, False)
    """
    name = standardize_dtype(dtype)
    return name.startswith("int") or name.startswith("uint")


def clear_session(free_memory=True):
    """Resets Keras's global state: automatic layer names and the global dtype policy.

    As Keras 3 does, default layer names (`dense`, `dense_1`, ...) start again and the global
    dtype policy (`keras.config.set_dtype_policy`) goes back to the one `floatx` gives.

    Args:
        free_memory: accepted for Keras compatibility (nothing else is held).

    >>> import minikeras as keras
    >>> keras.backend.clear_session()
    >>> keras.layers.Dense(1).name
    'dense'
    """
    reset_names()
    reset_dtype_policy()


__all__ = [
    "backend",
    "clear_session",
    "epsilon",
    "floatx",
    "get_uid",
    "image_data_format",
    "is_float_dtype",
    "is_int_dtype",
    "is_keras_tensor",
    "result_type",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_dtype",
]
