"""`keras.backend`: the few backend helpers Keras 3 still exposes."""

from .config import backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx
from .core.dtypes import result_type, standardize_dtype
from .dtype_policies.dtype_policy import reset_dtype_policy
from .utils.naming import reset_names


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
    "image_data_format",
    "result_type",
    "set_epsilon",
    "set_floatx",
    "standardize_dtype",
]
