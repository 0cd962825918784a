"""`RandomBrightness`: adds one random offset per image, then clips to `value_range`."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, check_value_range, keras_factor


class RandomBrightness(ImageAugmentationLayer):
    """Randomly brightens or darkens each image during training.

    Each image gets `delta = u * (value_range[1] - value_range[0])` added to every pixel and
    channel, with u uniform in the factor range, then is clipped to `value_range` (Keras 3).

    Args:
        factor: a number f in [0, 1] (u in [-f, f]) or a pair (lower, upper) within [-1, 1].
        value_range: (low, high) of the pixel values, e.g. (0, 255) or (0, 1).
        seed: an int for a repeatable sequence of offsets.
        data_format: "channels_last" (default) or "channels_first" (makes no difference).

    The transformation is `{"rgb_delta": (batch, 1, 1, 1)}` (already scaled by the range).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomBrightness((0.1, 0.1), value_range=(0, 1))
    >>> y = layer(np.full((1, 1, 2, 1), 0.5), training=True).numpy()
    >>> [round(float(v), 6) for v in y.ravel()]
    [0.6, 0.6]
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed, kwargs.pop("data_format", None), **kwargs)
        self.factor = keras_factor(factor, "factor")
        self.value_range = check_value_range(value_range, "RandomBrightness")

    def identity(self, batch, height, width, channels):
        return {"rgb_delta": np.zeros((batch, 1, 1, 1))}

    def draw(self, rng, batch, height, width, channels):
        u = rng.uniform(self.factor[0], self.factor[1], size=(batch, 1, 1, 1))
        return {"rgb_delta": u * (self.value_range[1] - self.value_range[0])}

    def apply(self, images, transformation):
        delta = as_array(transformation["rgb_delta"], images.dtype).reshape(-1, 1, 1, 1)
        return ops.clip(images + delta, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}
