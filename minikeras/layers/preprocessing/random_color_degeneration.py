"""`RandomColorDegeneration`: blends each image toward its greyscale version."""

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, check_value_range, keras_factor


class RandomColorDegeneration(ImageAugmentationLayer):
    """Randomly desaturates (or oversaturates) RGB images during training.

    As Keras 3: per image, u is uniform in the factor range and the output is
    `clip(x + u * (grey(x) - x), value_range)`, with `grey` the luma of
    `ops.image.rgb_to_grayscale`. u = 1 gives the greyscale image; negative u pushes colours
    away from grey.

    Args:
        factor: a number f in [0, 1] (u in [-f, f]) or a pair within [-1, 1].
        value_range: (low, high) of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of draws.

    The transformation is `{"factor": (batch, 1, 1, 1)}`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomColorDegeneration((1.0, 1.0))
    >>> y = layer(np.array([[[100.0, 50.0, 0.0]]]), training=True).numpy()
    >>> [round(float(v), 2) for v in y.ravel()]
    [59.24, 59.24, 59.24]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor")
        self.value_range = check_value_range(value_range, "RandomColorDegeneration")

    def draw(self, rng, batch, height, width, channels):
        return {"factor": rng.uniform(self.factor[0], self.factor[1], (batch, 1, 1, 1))}

    def apply(self, images, transformation):
        if images.shape[-1] != 3:
            raise ValueError(
                "RandomColorDegeneration: input images must have 3 channels, but received "
                f"images with {images.shape[-1]} channels."
            )
        u = as_array(transformation["factor"], images.dtype).reshape(-1, 1, 1, 1)
        grey = ops.image.rgb_to_grayscale(images, data_format="channels_last")
        return ops.clip(images + u * (grey - images), self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}
