"""`GaussianDropout`: multiplies inputs by 1-centred Gaussian noise during training."""

import math

from ... import random
from ..layer import Layer
from ._noise import SeededNoise, check_rate


class GaussianDropout(SeededNoise, Layer):
    """Multiplies inputs by `normal(1, sqrt(rate / (1 - rate)))` noise when `training=True`.

    At inference the layer is the identity.

    Args:
        rate: float in [0, 1), the drop probability of the equivalent Dropout.
        seed: optional int seed of the layer's `keras.random.SeedGenerator`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.GaussianDropout(0.2, seed=0)
    >>> layer(np.ones((1, 3), "float32")).numpy().tolist()  # inference: unchanged
    [[1.0, 1.0, 1.0]]
    >>> y = layer(np.ones((1, 10000), "float32"), training=True).numpy()
    >>> bool(abs(y.mean() - 1) < 0.02 and abs(y.std() - 0.5) < 0.02)  # sqrt(0.2 / 0.8) = 0.5
    True
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(f"GaussianDropout layer '{self.name}'", rate)
        self._init_rng(seed, draws=self.rate > 0)
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.rate >= 1:
            raise ValueError(
                f"GaussianDropout layer '{self.name}': rate=1 gives infinite noise "
                "(stddev = sqrt(rate / (1 - rate))). Use a rate below 1."
            )
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = random.normal(
            inputs.shape, mean=1.0, stddev=stddev, dtype=inputs.dtype, seed=self.seed_generator
        )
        return inputs * noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
