"""`keras.config`: global settings (default float type, epsilon, image data format, threads)."""

from .core.dtypes import floatx, set_floatx

_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def epsilon():
    """The fuzz factor used in numeric expressions (1e-7, as Keras)."""
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """`"channels_last"` (the default) or `"channels_first"`."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "data_format must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}"
        )
    _IMAGE_DATA_FORMAT = data_format


def backend():
    """The name of the compute backend: always `"numpy"` (numpy + numba kernels)."""
    return "numpy"


__all__ = ["floatx", "set_floatx", "epsilon", "set_epsilon", "image_data_format",
           "set_image_data_format", "backend"]
