"""`Equalization`: histogram equalization of each image channel."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, check_value_range, rescale


def equalize_channel(values, bins):
    """Keras 3's equalization of one channel's values (any shape) in [0, 255] space.

    The histogram has `bins` bins: value v falls in bin `int(v * (bins - 1) / 255)` (clipped).
    With at most one non-empty bin the values are returned unchanged; else each value maps to
    `round((cdf[bin] - cdf_min) * 255 / (cdf[-1] - cdf_min))`, cdf_min the first non-zero cdf.
    """
    scaled = values * np.float32(bins - 1) / np.float32(255.0)  # Keras's order of operations
    index = np.clip(scaled.astype(np.int32), 0, bins - 1)
    hist = np.bincount(index.ravel(), minlength=bins)
    if np.count_nonzero(hist) <= 1:
        return values
    cdf = np.cumsum(hist)
    cdf_min = cdf[np.flatnonzero(cdf)[0]]
    denominator = cdf[-1] - cdf_min or 1
    ratio = ((cdf - cdf_min) * 255).astype(np.float32) / np.float32(denominator)  # float32 as jax
    lookup = np.clip(np.round(ratio), 0, 255).astype(np.float32)
    at = np.clip((values / np.float32(255.0)) * np.float32(bins - 1), 0, bins - 1)
    return lookup[at.astype(np.int32)].astype(values.dtype)


class Equalization(ImageAugmentationLayer):
    """Equalizes the histogram of each channel during training.

    As Keras 3: values are mapped to [0, 255], and each channel's histogram (`bins` bins,
    counted over **all** images of the batch together, as Keras does) is flattened through its
    cumulative distribution (see `equalize_channel`), then mapped back to `value_range`. A
    channel whose values fill at most one bin is left as it is. Not random. Keras's
    `transform_images` acts only when `training` is true, so `training=False` (e.g.
    `predict`) returns the images unchanged, as Keras 3.15 does (its docstring says the layer
    also equalizes at inference, but the code does not). The output does not depend
    differentiably on the input (a lookup table), so no gradient flows through it.

    Args:
        value_range: (low, high) of the pixel values.
        bins: number of histogram bins (256 suits 8-bit images).
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> x = np.array([[[[0.0], [0.0]], [[100.0], [200.0]]]])
    >>> keras.layers.Equalization()(x).numpy().ravel().tolist()
    [0.0, 0.0, 128.0, 255.0]
    """

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(None, data_format, **kwargs)
        self.bins = bins
        self.value_range = check_value_range(value_range, "Equalization")

    def apply(self, images, transformation):
        x = np.asarray(rescale(images.data, self.value_range, (0, 255)), images.dtype)
        out = np.stack([equalize_channel(x[..., c], self.bins) for c in range(x.shape[-1])], -1)
        out = rescale(out, (0, 255), self.value_range).astype(images.dtype)
        return ops.convert_to_tensor(out)

    def get_config(self):
        config = {**super().get_config(), "bins": self.bins, "value_range": self.value_range}
        config.pop("seed", None)
        return config
