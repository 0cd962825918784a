"""`keras.preprocessing.image.smart_resize`: resize without distorting the aspect ratio."""

import numpy as np


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last", **kwargs):
    """Crops the largest centred window of the target aspect ratio, then resizes it to `size`.

    Keras's rule: the window is `(int(width * th / tw), int(height * tw / th))` clipped to the
    image (at least 1), starting at `int((extent - window) / 2)` on each axis.

    Args:
        x: an image `(height, width, channels)` or a batch of them (channels first when
            `data_format="channels_first"`).
        size: `(target_height, target_width)`.
        interpolation: as `keras.ops.image.resize` (`"bilinear"`, `"nearest"`, ...).
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: Keras's `backend_module` (ignored).

    Returns:
        A float32 array (numpy in, numpy out) of the target size.

    >>> import numpy as np, minikeras as keras
    >>> keras.preprocessing.image.smart_resize(np.ones((6, 8, 1)), (4, 4)).shape
    (4, 4, 1)
    """
    from ..core import ops

    kwargs.pop("backend_module", None)
    if len(size) != 2:
        raise ValueError(f"smart_resize: size must be (height, width). Received: size={size!r}")
    img = np.asarray(x.numpy() if hasattr(x, "numpy") else x)
    if img.ndim not in (3, 4):
        raise ValueError(
            "smart_resize expects an image (rank 3) or a batch of images (rank 4). "
            f"Received an array of shape {img.shape}"
        )
    h_axis = img.ndim - 3 if data_format == "channels_last" else img.ndim - 2
    height, width = img.shape[h_axis], img.shape[h_axis + 1]
    th, tw = size
    crop_h = max(min(height, int(float(width * th) / tw)), 1)
    crop_w = max(min(width, int(float(height * tw) / th)), 1)
    top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
    index = [slice(None)] * img.ndim
    index[h_axis] = slice(top, top + crop_h)
    index[h_axis + 1] = slice(left, left + crop_w)
    crop = img[tuple(index)].astype("float32")
    out = ops.image.resize(crop, size, interpolation=interpolation, data_format=data_format)
    return out.numpy()
