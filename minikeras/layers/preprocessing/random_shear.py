"""`RandomShear`: shears each image along x and/or y by a random amount."""

import numpy as np

from . import image_utils
from .augmentation_base import ImageAugmentationLayer, as_array


def _shear_factor(value, name):
    """Keras's shear factor: f in [0, 1] -> (-f, f); a pair -> sorted.

    Keras also requires both ends of a pair in [0, 1], which makes its own config of
    `RandomShear(0.2)` (x_factor (-0.2, 0.2)) fail to load; minikeras takes pairs in [-1, 1].
    """
    pair = isinstance(value, (list, tuple))
    numbers = list(value) if pair else [value]
    low = -1 if pair else 0
    ok = len(numbers) == (2 if pair else 1) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= 1 for v in numbers
    )
    if not ok:
        raise ValueError(
            f"The `{name}` argument should be a number in [0, 1] (or a list of two numbers in "
            f"[-1, 1]). Received: {name}={value!r}"
        )
    return tuple(sorted(numbers)) if pair else (-numbers[0], numbers[0])


def _config_factor(pair, given):
    """Keras 3 writes the (lower, upper) range, which its loader refuses below 0 (f > 0 gives
    (-f, f)): the range when Keras can load it (so the default 0.0 gives [-0.0, 0.0], as Keras),
    else the argument as given."""
    if all(0.0 <= v <= 1.0 for v in pair):
        return [float(v) for v in pair]
    return list(given) if isinstance(given, tuple) else given


class RandomShear(ImageAugmentationLayer):
    """Randomly shears images during training.

    As Keras 3: per image, `sx` is uniform in the x range and `sy` in the y range, and both
    flip sign together with probability 1/2; output pixel `(x, y)` (x = column, origin at the
    top-left corner) samples the input at `(x + sx * y, y + sy * x)`, with points outside the
    image filled by `fill_mode`.

    Args:
        x_factor, y_factor: a number f in [0, 1] (range [-f, f]) or a pair (lower, upper).
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        fill_value: the value of "constant" filling.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of shears.

    The transformation is `{"shear_factor": (batch, 2)}` (columns sx, sy) and
    `"input_shape"`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomShear(x_factor=1.0, fill_mode="constant")
    >>> x = np.arange(4.0).reshape(1, 2, 2, 1)
    >>> t = {"shear_factor": np.array([[1.0, 0.0]])}
    >>> layer.transform_images(x, t).numpy()[0, :, :, 0].tolist()
    [[0.0, 1.0], [3.0, 0.0]]
    """

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        self.x_factor = _shear_factor(x_factor, "x_factor")
        self.y_factor = _shear_factor(y_factor, "y_factor")
        self._factor_args = (x_factor, y_factor)
        # the config keeps the arguments as given: Keras 3.15 writes the (-f, f) pair, which its
        # own loader refuses, so a number stays a number and files load in Keras too
        image_utils.check_warp_arguments(fill_mode, interpolation)
        self.interpolation, self.fill_mode, self.fill_value = interpolation, fill_mode, fill_value

    def draw(self, rng, batch, height, width, channels):
        sign = np.where(rng.uniform(0.0, 1.0, (batch, 1)) > 0.5, -1.0, 1.0)
        sy = rng.uniform(self.y_factor[0], self.y_factor[1], (batch, 1))
        sx = rng.uniform(self.x_factor[0], self.x_factor[1], (batch, 1))
        shape = (batch, height, width, channels)
        if self.data_format == "channels_first":
            shape = (batch, channels, height, width)
        return {"shear_factor": np.concatenate([sx, sy], axis=1) * sign, "input_shape": shape}

    def apply(self, images, transformation):
        if transformation is None:
            return images
        s = as_array(transformation["shear_factor"], np.float64).reshape(-1, 2)
        one, zero = np.ones(len(s)), np.zeros(len(s))
        matrices = np.stack([one, s[:, 0], zero, s[:, 1], one, zero, zero, zero], axis=1)
        return image_utils.affine_transform(
            images, matrices, self.interpolation, self.fill_mode, self.fill_value
        )

    def get_config(self):
        return {
            **super().get_config(),
            "x_factor": _config_factor(self.x_factor, self._factor_args[0]),
            "y_factor": _config_factor(self.y_factor, self._factor_args[1]),
            "interpolation": self.interpolation,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
        }
