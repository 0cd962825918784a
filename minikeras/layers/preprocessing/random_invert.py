"""`RandomInvert`: replaces images by `value_range[1] - x` with a random probability."""

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, keras_factor


class RandomInvert(ImageAugmentationLayer):
    """Randomly inverts images during training.

    As Keras 3: per image, a probability p is uniform in the factor range and the image is
    inverted (`value_range[1] - x`) when a second uniform draw in [0, 1) is below p. So
    `factor=1.0` inverts about half the images (p itself is uniform in [0, 1]) and
    `factor=(1.0, 1.0)` inverts all of them.

    Args:
        factor: a number f in [0, 1] (p in [0, f]) or a pair within [0, 1].
        value_range: (low, high) of the pixel values.
        seed: an int for a repeatable sequence of draws.
        data_format: "channels_last" (default) or "channels_first".

    The transformation is `{"apply_inversion": (batch,) bool}`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomInvert((1.0, 1.0), value_range=(0, 1))
    >>> layer(np.array([[[0.25]]]), training=True).numpy().tolist()
    [[[0.75]]]
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)
        self.value_range = value_range

    def draw(self, rng, batch, height, width, channels):
        probability = rng.uniform(self.factor[0], self.factor[1], batch)
        return {"apply_inversion": rng.uniform(0.0, 1.0, batch) < probability}

    def apply(self, images, transformation):
        if transformation is None:
            return images
        invert = as_array(transformation["apply_inversion"], bool).reshape(-1, 1, 1, 1)
        return ops.where(invert, float(self.value_range[1]) - images, images)

    def get_config(self):
        value_range = self.value_range
        value_range = list(value_range) if isinstance(value_range, tuple) else value_range
        return {**super().get_config(), "factor": self.factor, "value_range": value_range}
