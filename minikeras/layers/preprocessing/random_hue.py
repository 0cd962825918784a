"""`RandomHue`: rotates each image's HSV hue by a random amount."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, keras_factor, rescale


class RandomHue(ImageAugmentationLayer):
    """Randomly shifts the hue of each RGB image during training.

    As Keras 3: the shift is `sign * u / 2` of the colour wheel, u uniform in the factor range
    and the sign + or - with probability 1/2; pixels are mapped from `value_range` to [0, 1],
    to HSV, the hue shifted (wrapped into [0, 1]), back to RGB, clipped to [0, 1] and mapped
    back to `value_range`. factor 1.0 can move the hue half way round (to the complement).

    Args:
        factor: a number f in [0, 1] (u in [0, f]) or a pair (lower, upper) within [0, 1].
        value_range: (low, high) of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of shifts.

    The transformation is `{"factor": (batch,)}`, the signed shift in turns.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomHue(1.0, value_range=(0, 1))
    >>> red = np.array([[[1.0, 0.0, 0.0]]])
    >>> layer.transform_images(red, {"factor": np.array([0.5])}).numpy().round(6).tolist()
    [[[0.0, 1.0, 1.0]]]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)
        self.value_range = value_range

    def draw(self, rng, batch, height, width, channels):
        sign = np.where(rng.uniform(0.0, 1.0, size=batch) > 0.5, -1.0, 1.0)
        return {"factor": sign * rng.uniform(self.factor[0], self.factor[1], size=batch) * 0.5}

    def apply(self, images, transformation):
        shift = as_array(transformation["factor"], images.dtype).reshape(-1, 1, 1)
        x = rescale(images, self.value_range, (0, 1))
        hsv = ops.image.rgb_to_hsv(x, data_format="channels_last")
        hue = hsv[..., 0] + shift
        hue = ops.where(hue > 1.0, hue - 1.0, hue)
        hue = ops.where(hue < 0.0, hue + 1.0, hue)
        hsv = ops.stack([hue, hsv[..., 1], hsv[..., 2]], axis=-1)
        rgb = ops.clip(ops.image.hsv_to_rgb(hsv, data_format="channels_last"), 0.0, 1.0)
        return rescale(rgb, (0, 1), self.value_range)

    def get_config(self):
        value_range = self.value_range
        value_range = list(value_range) if isinstance(value_range, tuple) else value_range
        return {**super().get_config(), "factor": self.factor, "value_range": value_range}
