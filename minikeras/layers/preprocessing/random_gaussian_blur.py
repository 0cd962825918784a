"""`RandomGaussianBlur`: blurs randomly chosen images with a Gaussian kernel."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, keras_factor


def odd_kernel_size(value, name="kernel_size"):
    """Keras's kernel size: an odd int k -> (k, k); a pair of odd ints -> the pair."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(
                f"The `{name}` argument should be a number (or a list of two "
                f"numbers) Received: {name}={value!r}"
            )
        pair = tuple(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        pair = (value, value)
    else:
        raise ValueError(f"{name} must be an odd number. Received: {name}={value!r}")
    if any(v % 2 == 0 for v in pair):
        raise ValueError(f"{name} must be an odd number. Received: {name}={value!r}")
    return pair


class RandomGaussianBlur(ImageAugmentationLayer):
    """Blurs each image with probability p during training.

    As Keras 3: per image, p ~ U(factor) and the image is blurred when U(0, 1) < p; one pair
    of standard deviations `(sigma_x, sigma_y) ~ U(sigma) + 1e-6` serves the whole batch.
    The blur is `keras.ops.image.gaussian_blur` with `kernel_size` ((x, y) = (width, height)
    sizes, zero padding), and every image is then clipped to `value_range`.

    Args:
        factor: a number f in [0, 1] (p in [0, f]) or a pair within [0, 1].
        kernel_size: an odd int, or a pair of odd ints (x, y).
        sigma: a number s in [0, 1] (sigma in [0, s]) or a pair within [0, 1], as Keras bounds
            it.
        value_range: (low, high) of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of blurs.

    The transformation is `{"should_apply_blur": (batch,) bool, "blur_factor": (2,)}`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomGaussianBlur(factor=(1.0, 1.0), sigma=(0.5, 0.5))
    >>> x = np.zeros((1, 3, 3, 1)); x[0, 1, 1] = 100.0
    >>> round(float(layer(x)[0, 1, 1, 0]), 2)
    61.93
    """

    def __init__(
        self,
        factor=1.0,
        kernel_size=3,
        sigma=1.0,
        value_range=(0, 255),
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)
        self.kernel_size = odd_kernel_size(kernel_size)
        self.sigma = keras_factor(sigma, "sigma", 0.0, 1.0)
        self.value_range = value_range

    def draw(self, rng, batch, height, width, channels):
        p = rng.uniform(self.factor[0], self.factor[1], size=batch)
        apply = rng.uniform(size=batch) < p
        sigma = rng.uniform(self.sigma[0], self.sigma[1], size=2).astype(np.float32) + 1e-6
        return {"should_apply_blur": apply, "blur_factor": sigma.astype(np.float32)}

    def apply(self, images, transformation):
        sigma = as_array(transformation["blur_factor"], np.float64).reshape(-1)
        apply = as_array(transformation["should_apply_blur"]).astype(bool).reshape(-1, 1, 1, 1)
        blurred = ops.image.gaussian_blur(
            images, self.kernel_size, sigma, data_format="channels_last"
        )
        y = ops.where(apply, blurred, images)
        return ops.clip(y, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "kernel_size": self.kernel_size,
            "sigma": self.sigma,
            "value_range": self.value_range,
        }
