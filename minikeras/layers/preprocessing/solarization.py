"""`Solarization`: inverts the pixels above a random threshold, after a random brightening."""

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, check_value_range


def _solarize_factor(value, name):
    message = (
        "The `addition_factor` and `threshold_factor` arguments should be a number (or a list "
        f"of two numbers) in the range [0, 1]. Received: {name}={value!r}"
    )
    if isinstance(value, (list, tuple)):
        if len(value) != 2 or not all(isinstance(v, (int, float)) for v in value):
            raise ValueError(message)
        pair = sorted(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        pair = [0, value]
    else:
        raise ValueError(message)
    if pair[0] < 0 or pair[1] > 1:
        raise ValueError(message)
    return tuple(pair)


class Solarization(ImageAugmentationLayer):
    """Solarizes images during training: pixels at or above a threshold are inverted.

    As Keras 3, on pixels mapped from `value_range` to [0, 255]: `y = clip(x + a, 0, 255)`, then
    `y` where `y < t` and `255 - y` elsewhere, mapped back. Per image, a is uniform in
    `[addition_factor[0], addition_factor[1] * 255]` and t in
    `[threshold_factor[0], threshold_factor[1] * 255]` (Keras scales only the upper ends). With
    the defaults (both 0) every pixel is inverted.

    Args:
        addition_factor: a number f (range [0, f]) or a pair, within [0, 1].
        threshold_factor: a number f (range [0, f]) or a pair, within [0, 1].
        value_range: (low, high) of the pixel values.
        seed: an int for a repeatable sequence of draws.

    The transformation is `{"additions": (batch, 1, 1, 1), "thresholds": (batch, 1, 1, 1)}`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.Solarization(threshold_factor=(0.5, 0.5), value_range=(0, 255))
    >>> # the threshold is drawn in [0.5, 127.5]: 0 always stays, 200 is always inverted
    >>> layer(np.array([[[0.0], [200.0]]]), training=True).numpy().ravel().tolist()
    [0.0, 55.0]
    """

    def __init__(
        self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs
    ):
        super().__init__(seed, kwargs.pop("data_format", None), **kwargs)
        self.addition_factor = _solarize_factor(addition_factor, "addition_factor")
        self.threshold_factor = _solarize_factor(threshold_factor, "threshold_factor")
        self.value_range = check_value_range(value_range, "Solarization")

    def draw(self, rng, batch, height, width, channels):
        shape = (batch, 1, 1, 1)
        additions = rng.uniform(self.addition_factor[0], self.addition_factor[1] * 255, shape)
        thresholds = rng.uniform(self.threshold_factor[0], self.threshold_factor[1] * 255, shape)
        return {"additions": additions, "thresholds": thresholds}

    def apply(self, images, transformation):
        if transformation is None:
            return images
        add = as_array(transformation["additions"], images.dtype).reshape(-1, 1, 1, 1)
        threshold = as_array(transformation["thresholds"], images.dtype).reshape(-1, 1, 1, 1)
        low, high = (float(v) for v in self.value_range)
        x = (images - low) * (255.0 / (high - low))  # to [0, 255]
        y = ops.clip(x + add, 0.0, 255.0)
        y = ops.where(y < threshold, y, 255.0 - y)
        return y * ((high - low) / 255.0) + low

    def get_config(self):
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "addition_factor": self.addition_factor,
            "threshold_factor": self.threshold_factor,
        }
