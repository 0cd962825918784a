"""`RandomPosterization`: keeps only the top bits of each 8-bit pixel value."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, check_value_range, keras_factor

_MAX_BITS = 8


class RandomPosterization(ImageAugmentationLayer):
    """Randomly reduces the number of bits per colour channel during training.

    As Keras 3: pixels are mapped from `value_range` to [0, 255] and truncated to 8-bit
    integers, the lowest `8 - bits` bits are zeroed, and the values are mapped back. `bits` is
    an integer drawn in `[lower, upper)` (Keras's `randint` excludes the top), or exactly
    `lower` when both ends are equal.

    Args:
        factor: an integer f in [1, 8] (bits in [1, f)) or a pair within [1, 8].
        value_range: (low, high) of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of draws.

    The transformation is `{"shift_factor": (batch,) uint8}`, the `8 - bits` zeroed bits.
    Posterization is a step function: no gradient reaches the input.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomPosterization((2, 2))
    >>> layer(np.array([[[200.0, 100.0, 63.0]]]), training=True).numpy().tolist()
    [[[192.0, 64.0, 0.0]]]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", 1, _MAX_BITS)
        self.value_range = check_value_range(value_range, "RandomPosterization")

    def draw(self, rng, batch, height, width, channels):
        low, high = (int(v) for v in self.factor)
        bits = np.full(batch, low) if low == high else rng.integers(low, high, batch)
        return {"shift_factor": (_MAX_BITS - bits).astype(np.uint8)}

    def apply(self, images, transformation):
        shift = as_array(transformation["shift_factor"]).astype(np.uint8).reshape(-1, 1, 1, 1)
        low, high = (float(v) for v in self.value_range)
        x = ops.convert_to_numpy(images).astype(np.float64)
        x = (x - low) * (255.0 / (high - low))
        x = np.clip(x, 0, 255).astype(np.uint8)  # truncation toward zero, as Keras's cast
        x = np.left_shift(np.right_shift(x, shift), shift).astype(np.float64)
        y = x * ((high - low) / 255.0) + low
        return ops.convert_to_tensor(y.astype(images.dtype))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}
