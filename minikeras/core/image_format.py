"""The default image data format of layers and ops (`keras.config.image_data_format`).

It lives in core, beside the ops that read it, so that the conv, pooling and image ops need not
import `minikeras.config` (which imports them).
"""

_IMAGE_DATA_FORMAT = "channels_last"


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
