"""`RandomContrast`: scales each image's deviation from its per-channel mean by a random factor."""

from ...core import ops
from .random_base import BaseRandomLayer, parse_factor


class RandomContrast(BaseRandomLayer):
    """Randomly changes the contrast of each image during training.

    Each image becomes `(x - mean) * c + mean` with one factor c per image drawn uniformly
    from `[1 - lower, 1 + upper]` (mean over height and width, per channel), then clipped to
    `value_range`.

    Args:
        factor: a number f in [0, 1] or a pair (lower, upper); the factor c is drawn from
            U(1 - lower, 1 + upper). A number f means (0, f), so c lies in [1, 1 + f]: Keras
            3.15.1's code does this (its docstring says lower = upper = f), and its config saves
            the pair.
        value_range: (low, high) of the pixel values, used to clip the output.
        seed: an int for a repeatable sequence of factors.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomContrast(0.5, value_range=(0, 1), seed=3)
    >>> layer(np.full((1, 2, 2, 1), 0.5), training=True).numpy().ravel().tolist()
    [0.5, 0.5, 0.5, 0.5]
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed, kwargs.pop("data_format", None), **kwargs)
        lower, upper = parse_factor(factor, "factor", 0.0, 1.0, symmetric=False)
        if not isinstance(factor, (list, tuple)):
            lower = 0  # Keras 3.15: max(-f, 0), an int 0 in its saved config
        self.lower, self.upper = lower, upper
        pair = isinstance(factor, (list, tuple))
        self.factor = tuple(sorted(factor)) if pair else (lower, upper)
        self.value_range = tuple(value_range)

    def transform(self, images, rng):
        b = images.shape[0]
        c = rng.uniform(1.0 - self.lower, 1.0 + self.upper, size=(b, 1, 1, 1))
        mean = ops.mean(images, axis=(1, 2), keepdims=True)
        y = (images - mean) * c.astype(images.dtype) + mean
        return ops.clip(y, self.value_range[0], self.value_range[1])

    def get_config(self):
        # tuples, as Keras 3.15.1 saves them: RandomContrast(0.2) -> factor (0, 0.2)
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}
