"""`RandomFlip`: flips each image left-right and/or upside-down with probability 1/2."""

from ...core import ops
from .random_base import BaseRandomLayer

_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


class RandomFlip(BaseRandomLayer):
    """Randomly flips images during training (each image and direction independently).

    As in Keras 3, a call without `training` flips (the call's default is `training=True`);
    inside `model.predict` / `evaluate`, or with `training=False`, images pass unchanged.

    Args:
        mode: "horizontal" (left-right), "vertical" (upside-down) or
            "horizontal_and_vertical" (default).
        seed: an int for a repeatable sequence of flips.
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(4.0).reshape(1, 2, 2, 1)
    >>> layer = keras.layers.RandomFlip()
    >>> bool(np.all(layer(x, training=False).numpy() == x))  # inference: identity
    True
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        if mode not in _MODES:
            raise ValueError(
                f"RandomFlip layer {self.name} received an unknown mode argument "
                f"{mode!r}; expected one of {_MODES}."
            )
        self.mode = mode

    def transform(self, images, rng):
        b = images.shape[0]
        y = images
        for axis, active in ((2, "horizontal" in self.mode), (1, "vertical" in self.mode)):
            if active:
                flip = (rng.random(b) < 0.5).reshape(b, 1, 1, 1)
                y = ops.where(flip, ops.flip(y, axis=axis), y)
        return y

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}
