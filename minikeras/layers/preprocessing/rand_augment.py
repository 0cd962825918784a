"""`RandAugment`: applies `num_ops` operations picked at random from a fixed list."""

import numpy as np

from .augmentation_base import ImageAugmentationLayer, as_array, keras_factor
from .augmentation_ops import build_ops, run_op

OPS = (
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
)


class RandAugment(ImageAugmentationLayer):
    """RandAugment (Cubuk et al., 2019) as in Keras 3, during training.

    Each call picks `num_ops` operations uniformly (with repeats) from Keras's list: shear,
    translation, rotation, brightness, colour degeneration, contrast, sharpness,
    posterization, solarization, auto contrast, equalization, made with `factor` (a pair
    (0, f) from a number f), `value_range` and `interpolation` as Keras makes them, and applies
    them in order to the whole batch. As in Keras, each operation's random parameters are drawn
    once per call, so an operation picked twice is applied twice with the same parameters.

    Args:
        value_range: (low, high) of the pixel values.
        num_ops: how many operations to apply.
        factor: a number f in [0, 1] (strengths in [0, f]) or a pair within [0, 1].
        interpolation: "bilinear" or "nearest", for the geometric operations.
        seed: an int for a repeatable sequence.
        data_format: "channels_last" (default) or "channels_first".

    The transformation is `{"layer_idxes": (num_ops,) ints indexing `RandAugment.OPS`,
    "seeds": (11,) ints}` (each operation's parameters come from its seed).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandAugment(value_range=(0, 1), num_ops=2, seed=1)
    >>> x = np.random.default_rng(0).uniform(size=(2, 8, 8, 3))
    >>> layer(x).shape
    (2, 8, 8, 3)
    """

    OPS = OPS

    def __init__(
        self,
        value_range=(0, 255),
        num_ops=2,
        factor=0.5,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)
        self.interpolation = interpolation
        self._ops = build_ops(OPS, self.factor, value_range, interpolation)
        self._op_layers = tuple(self._ops.values())  # tracked as sublayers

    def draw(self, rng, batch, height, width, channels):
        return {
            "layer_idxes": rng.integers(0, len(OPS), size=self.num_ops),
            "seeds": rng.integers(0, 2**31 - 1, size=len(OPS)),
        }

    def apply(self, images, transformation):
        idxes = as_array(transformation["layer_idxes"]).astype(int).reshape(-1)
        seeds = as_array(transformation["seeds"]).astype(np.int64).reshape(-1)
        for i in idxes:
            images = run_op(self._ops[OPS[i]], images, np.random.default_rng(int(seeds[i])))
        return images

    def get_config(self):
        value_range = (
            list(self.value_range) if isinstance(self.value_range, tuple) else self.value_range
        )
        return {
            **super().get_config(),
            "value_range": value_range,
            "num_ops": self.num_ops,
            "factor": self.factor,
            "interpolation": self.interpolation,
        }
