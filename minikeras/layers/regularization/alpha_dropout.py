"""`AlphaDropout`: dropout that keeps the mean and variance of SELU activations."""

from ... import random
from ..layer import Layer
from ._noise import SeededNoise, check_rate, validate_noise_shape

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(SeededNoise, Layer):
    """Dropout for SELU networks that keeps the mean and variance of its inputs.

    In training, each input becomes SELU's saturation value `alpha_p = -alpha * scale` with
    probability `rate`, then the affine map `a * x + b` restores zero mean and unit variance,
    where `a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5` and `b = -a * alpha_p * rate`.
    At inference the layer is the identity.

    Args:
        rate: float in [0, 1], the drop probability.
        noise_shape: optional shape of the drop pattern (as for Dropout).
        seed: optional int seed of the layer's `keras.random.SeedGenerator`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.AlphaDropout(0.5, seed=0)
    >>> layer(np.ones((1, 3), "float32")).numpy().tolist()  # inference: unchanged
    [[1.0, 1.0, 1.0]]
    >>> y = layer(np.ones((1, 1000), "float32"), training=True).numpy()
    >>> print(np.unique(y).round(4))  # dropped: a * alpha_p + b, kept: a + b
    [-0.7792  1.6656]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(f"AlphaDropout layer '{self.name}'", rate)
        self.noise_shape = validate_noise_shape(noise_shape)
        self._init_rng(seed, draws=self.rate > 0)
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        shape = self._concrete_noise_shape(inputs.shape)
        u = random.uniform(shape, seed=self.seed_generator).data
        kept = (u >= self.rate).astype(inputs.dtype)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        # dropped entries become alpha_p, then everything is mapped by a * x + b
        x = inputs * kept + (alpha_p * (1 - kept)).astype(inputs.dtype)
        return x * a + b

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": None if self.noise_shape is None else list(self.noise_shape),
        }
