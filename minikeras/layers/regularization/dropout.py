"""`Dropout`: randomly zeroes inputs during training and rescales the rest."""

from ... import random
from ..layer import Layer
from ._noise import SeededNoise, check_rate, validate_noise_shape


class Dropout(SeededNoise, Layer):
    """Sets each input to 0 with probability `rate` when `training=True`.

    The kept inputs are scaled by `1 / (1 - rate)` so that the expected sum is unchanged; at
    inference the layer is the identity.

    Args:
        rate: float in [0, 1], the fraction of inputs to drop.
        noise_shape: optional shape of the keep/drop pattern, broadcast over the input (None
            entries take the input's size), e.g. `(batch, 1, features)` to drop the same
            features at every timestep.
        seed: optional int seed of the layer's `keras.random.SeedGenerator`
            (`self.seed_generator`): the same seed gives the same sequence of masks. Without
            it, the generator's seed comes from the global one (see
            `keras.utils.set_random_seed`).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Dropout(0.5)(np.ones((1, 4), "float32")).numpy().tolist()
    [[1.0, 1.0, 1.0, 1.0]]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(f"Dropout layer '{self.name}'", rate)
        self.noise_shape = validate_noise_shape(noise_shape)
        self._init_rng(seed, draws=self.rate > 0)
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        shape = self._concrete_noise_shape(inputs.shape)
        return random.dropout(inputs, self.rate, noise_shape=shape, seed=self.seed_generator)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": None if self.noise_shape is None else list(self.noise_shape),
        }
