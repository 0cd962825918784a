"""`GaussianNoise`: adds zero-centred Gaussian noise during training."""

import numbers

from ... import random
from ..layer import Layer
from ._noise import SeededNoise


class GaussianNoise(SeededNoise, Layer):
    """Adds `normal(0, stddev)` noise when `training=True`; the identity at inference.

    Args:
        stddev: float >= 0, the noise's standard deviation.
        seed: optional int seed of the layer's `keras.random.SeedGenerator`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.GaussianNoise(0.1, seed=0)
    >>> layer(np.zeros((1, 3), "float32")).numpy().tolist()  # inference: unchanged
    [[0.0, 0.0, 0.0]]
    >>> y = layer(np.zeros((1, 10000), "float32"), training=True).numpy()
    >>> bool(abs(y.std() - 0.1) < 0.005)
    True
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, numbers.Real) or stddev < 0:
            raise ValueError(
                f"GaussianNoise layer '{self.name}' expects a float `stddev` >= 0. "
                f"Received: stddev={stddev!r}"
            )
        self.stddev = float(stddev)
        self._init_rng(seed, draws=self.stddev > 0)
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        noise = random.normal(
            inputs.shape, stddev=self.stddev, dtype=inputs.dtype, seed=self.seed_generator
        )
        return inputs + noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
