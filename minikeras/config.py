"""`keras.config`: global settings (default float type, epsilon, image data format, threads)."""

from .core.dtypes import floatx, set_floatx
from .kernels.runtime import get_num_threads, set_num_threads

_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def epsilon():
    """Returns the fuzz factor used in numeric expressions (1e-7, as Keras).

    Returns:
        A float.

    >>> import minikeras as keras
    >>> keras.config.epsilon()
    1e-07
    """
    return _EPSILON


def set_epsilon(value):
    """Sets the value that `epsilon()` returns.

    Args:
        value: the new fuzz factor (a float).

    >>> import minikeras as keras
    >>> keras.config.set_epsilon(1e-7)  # the default
    >>> keras.config.epsilon()
    1e-07
    """
    global _EPSILON
    _EPSILON = float(value)
    # losses, ops and metrics read a module-level EPSILON; modules loaded later import the new one
    import sys

    from .core.ops import nn

    nn.EPSILON = _EPSILON
    for name, module in list(sys.modules.items()):
        if name.startswith("minikeras.") and isinstance(getattr(module, "EPSILON", None), float):
            module.EPSILON = _EPSILON


def image_data_format():
    """Returns the default image data format of layers and ops.

    Returns:
        `"channels_last"` (the default) or `"channels_first"`.

    >>> import minikeras as keras
    >>> keras.config.image_data_format()
    'channels_last'
    """
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default image data format of layers and ops.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.

    >>> import minikeras as keras
    >>> keras.config.set_image_data_format("channels_last")  # the default
    >>> keras.config.image_data_format()
    'channels_last'
    >>> keras.config.set_image_data_format("NHWC")
    Traceback (most recent call last):
        ...
    ValueError: data_format must be 'channels_last' or 'channels_first'. Received: ...
    """
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "data_format must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}"
        )
    _IMAGE_DATA_FORMAT = data_format


def backend():
    """Returns the name of the compute backend: always `"numpy"` (numpy plus numba kernels).

    Returns:
        The string `"numpy"`.

    >>> import minikeras as keras
    >>> keras.config.backend()
    'numpy'
    """
    return "numpy"


__all__ = [
    "floatx",
    "set_floatx",
    "epsilon",
    "set_epsilon",
    "image_data_format",
    "set_image_data_format",
    "backend",
    "set_num_threads",
    "get_num_threads",
]
