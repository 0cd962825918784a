"""`RandomRotation`, `RandomZoom`, `RandomTranslation`: random affine warps of images.

Each draws one transform per image and resamples through `image_utils.affine_transform`
(output pixel -> input coordinate, neighbours outside the image filled by `fill_mode`:
"reflect" (d c b a | a b c d | d c b a), "wrap", "nearest" (edge) or "constant"
(`fill_value`)). Rotations and zooms are about the image centre ((w - 1) / 2, (h - 1) / 2).
"""

import numpy as np

from . import image_utils
from .random_base import BaseRandomLayer, parse_factor


class _AffineLayer(BaseRandomLayer):
    def __init__(
        self,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        image_utils.check_warp_arguments(fill_mode, interpolation)
        self.fill_mode, self.interpolation, self.fill_value = fill_mode, interpolation, fill_value

    def transform(self, images, rng):
        b, h, w, _ = images.shape
        matrices = self.matrices(b, h, w, rng)  # (b, 8)
        return image_utils.affine_transform(
            images, matrices, self.interpolation, self.fill_mode, self.fill_value
        )

    def get_config(self):
        return {
            **super().get_config(),
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
        }


def _plain(f):
    return list(f) if isinstance(f, (list, tuple)) else f


class RandomRotation(_AffineLayer):
    """Rotates each image by a random angle during training.

    The angle is drawn uniformly from `factor * 2 pi` (positive = counter-clockwise).

    Args:
        factor: a fraction f of a full turn (angles in [-f, f]) or a pair (lower, upper),
            within [-1, 1].
        fill_mode, interpolation ("bilinear" or "nearest"), fill_value, seed, data_format:
            see the module docstring.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomRotation(0.5, seed=0)
    >>> round(float(layer(np.ones((2, 5, 5, 1)), training=True).numpy().min()), 4)  # no gaps
    1.0
    """

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = factor
        self.lower, self.upper = parse_factor(factor, "factor")

    def matrices(self, b, h, w, rng):
        angle = rng.uniform(self.lower, self.upper, size=b) * 2 * np.pi
        cos, sin = np.cos(angle), np.sin(angle)
        x_off = ((w - 1) - (cos * (w - 1) - sin * (h - 1))) / 2
        y_off = ((h - 1) - (sin * (w - 1) + cos * (h - 1))) / 2
        zero = np.zeros(b)
        return np.stack([cos, -sin, x_off, sin, cos, y_off, zero, zero], axis=1)

    def get_config(self):
        # the parsed (lower, upper) pair as a tuple, as Keras 3.15.1 saves it: 0.2 -> (-0.2, 0.2)
        return {**super().get_config(), "factor": (self.lower, self.upper)}


class RandomZoom(_AffineLayer):
    """Zooms each image by a random factor during training.

    The height zoom is drawn from `[1 + lower, 1 + upper]` (positive = zoom out, negative =
    zoom in), and the width zoom from `width_factor` or, when None, equal to the height zoom
    (aspect kept).

    Args:
        height_factor, width_factor: a number f (range [-f, f]) or a pair, within [-1, 1].

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.RandomZoom(0.2, seed=1)(np.ones((1, 4, 4, 2)), training=True).shape
    (1, 4, 4, 2)
    """

    def __init__(
        self,
        height_factor,
        width_factor=None,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_range = parse_factor(height_factor, "height_factor")
        self.width_range = None
        if width_factor is not None:
            self.width_range = parse_factor(width_factor, "width_factor")

    def matrices(self, b, h, w, rng):
        zy = 1.0 + rng.uniform(*self.height_range, size=b)
        zx = zy if self.width_range is None else 1.0 + rng.uniform(*self.width_range, size=b)
        zero = np.zeros(b)
        x_off, y_off = (w - 1) / 2 * (1 - zx), (h - 1) / 2 * (1 - zy)
        return np.stack([zx, zero, x_off, zero, zy, y_off, zero, zero], axis=1)

    def get_config(self):
        return {
            **super().get_config(),
            "height_factor": _plain(self.height_factor),
            "width_factor": _plain(self.width_factor),
        }


class RandomTranslation(_AffineLayer):
    """Shifts each image by a random fraction of its size during training.

    Images move down by `uniform(height range) * height` rows and right by
    `uniform(width range) * width` columns.

    Args:
        height_factor, width_factor: a fraction f (range [-f, f]) or a pair, within [-1, 1].

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomTranslation(0.0, (0.5, 0.5), fill_mode="constant")
    >>> layer(np.arange(4.0).reshape(1, 1, 4, 1), training=True).numpy().ravel().tolist()
    [0.0, 0.0, 0.0, 1.0]
    """

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_range = parse_factor(height_factor, "height_factor")
        self.width_range = parse_factor(width_factor, "width_factor")

    def matrices(self, b, h, w, rng):
        dy = rng.uniform(*self.height_range, size=b) * h
        dx = rng.uniform(*self.width_range, size=b) * w
        one, zero = np.ones(b), np.zeros(b)
        return np.stack([one, zero, -dx, zero, one, -dy, zero, zero], axis=1)

    def get_config(self):
        return {
            **super().get_config(),
            "height_factor": _plain(self.height_factor),
            "width_factor": _plain(self.width_factor),
        }
