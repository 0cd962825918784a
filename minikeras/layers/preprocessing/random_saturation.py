"""`RandomSaturation`: scales each image's HSV saturation by a random factor."""

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, check_value_range, keras_factor

_EPSILON = 1e-7  # keras.config.epsilon()


class RandomSaturation(ImageAugmentationLayer):
    """Randomly changes the saturation of each RGB image during training.

    As Keras 3: u is drawn uniformly from the factor range, the image's HSV saturation is
    multiplied by `u / (1 - u + 1e-7)` and clipped to `value_range`, and the image goes back to
    RGB. So u = 0.5 keeps the image, u = 0 (or below) makes it grey and u near 1 saturates it.
    A single number f gives the range (-f, f), as Keras's factor parsing does.

    Args:
        factor: a number f in [0, 1] or a pair (lower, upper) within [-1, 1].
        value_range: (low, high) of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of factors.

    The transformation is `{"factor": (batch,)}`, the multiplier `u / (1 - u + 1e-7)`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomSaturation((0.0, 0.0), value_range=(0, 1))
    >>> layer(np.array([[[1.0, 0.5, 0.0]]]), training=True).numpy().tolist()  # grey
    [[[1.0, 1.0, 1.0]]]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor")
        self.value_range = check_value_range(value_range, "RandomSaturation")

    def draw(self, rng, batch, height, width, channels):
        u = rng.uniform(self.factor[0], self.factor[1], size=batch)
        return {"factor": u / (1.0 - u + _EPSILON)}

    def apply(self, images, transformation):
        factor = as_array(transformation["factor"], images.dtype).reshape(-1, 1, 1)
        hsv = ops.image.rgb_to_hsv(images, data_format="channels_last")
        s = ops.clip(hsv[..., 1] * factor, self.value_range[0], self.value_range[1])
        hsv = ops.stack([hsv[..., 0], s, hsv[..., 2]], axis=-1)
        return ops.image.hsv_to_rgb(hsv, data_format="channels_last")

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}
