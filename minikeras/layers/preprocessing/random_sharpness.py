"""`RandomSharpness`: blends each image with a smoothed copy by a random amount."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, check_value_range, keras_factor

# PIL's ImageFilter.SMOOTH kernel, which Keras 3 uses (zero padded at the borders)
_SMOOTH = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], np.float64) / 13.0


class RandomSharpness(ImageAugmentationLayer):
    """Randomly sharpens or blurs each image during training.

    As Keras 3: u is uniform in the factor range, s = 2u, and the output is
    `x + (1 - s) * (smooth(x) - x)` clipped to `value_range`, where `smooth` is the 3 x 3
    kernel [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13 per channel, zero padded ("same"). u = 0.5
    keeps the image, u = 0 gives the smoothed image and u = 1 sharpens as much as it blurs.

    Args:
        factor: a number f in [0, 1] (u in [0, f]) or a pair (lower, upper) within [0, 1].
        value_range: (low, high) of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of factors.

    The transformation is `{"factor": (batch,)}` (u).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomSharpness((0.5, 0.5), value_range=(0, 1))
    >>> x = np.random.default_rng(0).uniform(size=(1, 3, 3, 2))
    >>> bool(np.allclose(layer(x, training=True).numpy(), x))
    True
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)
        self.value_range = check_value_range(value_range, "RandomSharpness")

    def draw(self, rng, batch, height, width, channels):
        return {"factor": rng.uniform(self.factor[0], self.factor[1], size=batch)}

    def apply(self, images, transformation):
        s = 2.0 * as_array(transformation["factor"], images.dtype).reshape(-1, 1, 1, 1)
        c = images.shape[-1]
        kernel = np.tile(_SMOOTH.reshape(3, 3, 1, 1), (1, 1, c, 1)).astype(images.dtype)
        smooth = ops.depthwise_conv(images, kernel, padding="same", data_format="channels_last")
        y = images + (1.0 - s) * (smooth - images)
        return ops.clip(y, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}
