"""`RandomGrayscale`: turns each image to greyscale with probability `factor`."""

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array


class RandomGrayscale(ImageAugmentationLayer):
    """Randomly converts images to greyscale during training.

    A converted image has `ops.image.rgb_to_grayscale`'s luma `0.2989 R + 0.5870 G + 0.1140 B`
    in every channel (the channel count is kept), as Keras 3.

    Args:
        factor: the probability, in [0, 1], that an image is converted (default 0.5).
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of choices.

    The transformation is a boolean array of shape (batch, 1, 1, 1): True converts.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomGrayscale(factor=1.0)
    >>> y = layer(np.array([[[100.0, 50.0, 0.0]]]), training=True).numpy()
    >>> [round(float(v), 2) for v in y.ravel()]
    [59.24, 59.24, 59.24]
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor!r}")
        self.factor = factor

    def draw(self, rng, batch, height, width, channels):
        return (rng.uniform(0.0, 1.0, size=batch) < self.factor).reshape(batch, 1, 1, 1)

    def apply(self, images, transformation):
        grey = ops.image.rgb_to_grayscale(images, data_format="channels_last")  # (b, h, w, 1)
        grey = ops.broadcast_to(grey, images.shape)
        return ops.where(as_array(transformation, bool).reshape(-1, 1, 1, 1), grey, images)

    def get_config(self):
        config = {**super().get_config(), "factor": self.factor}
        del config["seed"]  # Keras 3's config has no seed for this layer
        return config
