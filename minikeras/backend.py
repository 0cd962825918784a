"""`keras.backend`: the few backend helpers Keras 3 still exposes."""

from .config import backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx
from .utils.naming import reset_names


def clear_session(free_memory=True):
    """Resets the default layer names (`dense`, `dense_1`, ... start again)."""
    reset_names()


__all__ = ["backend", "clear_session", "epsilon", "floatx", "image_data_format", "set_epsilon",
           "set_floatx"]
