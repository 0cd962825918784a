"""`RandomPerspective`: moves the four corners of images randomly (a projective warp)."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, keras_factor


class RandomPerspective(ImageAugmentationLayer):
    """Applies a random perspective warp to each image with probability p during training.

    As Keras 3: per image, p ~ U(factor) and the warp happens when U(0, 1) < p. The corners
    `(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)` (x, y) move to `corner * (1 + d)` with
    each coordinate's `d ~ U(-scale / 2, scale / 2)` (so the top-left corner never moves), and
    `keras.ops.image.perspective_transform` resamples the image (outside: `fill_value`).

    Args:
        factor: a number f in [0, 1] (p in [0, f]) or a pair within [0, 1].
        scale: the distortion strength, in [0, 1].
        interpolation: "bilinear" or "nearest".
        fill_value: the value of pixels read from outside the image.
        seed: an int for a repeatable sequence of warps.
        data_format: "channels_last" (default) or "channels_first".

    The transformation is `{"apply_perspective": (batch,) bool, "start_points": (batch, 4, 2),
    "end_points": (batch, 4, 2), "input_shape": the images' shape}`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomPerspective(factor=(0.0, 0.0))
    >>> x = np.ones((1, 4, 4, 1))
    >>> bool(np.array_equal(layer(x).numpy(), x))
    True
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)
        if not isinstance(scale, (int, float)) or scale < 0.0 or scale > 1.0:
            raise ValueError(
                f"The `scale` argument should be a number in the range [0,1]. Received: "
                f"scale={scale!r}"
            )
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one ('nearest', 'bilinear')."
            )
        self.scale, self.interpolation, self.fill_value = scale, interpolation, fill_value

    def draw(self, rng, batch, height, width, channels):
        p = rng.uniform(self.factor[0], self.factor[1], size=batch)
        apply = rng.uniform(size=batch) < p
        d = rng.uniform(-0.5 * self.scale, 0.5 * self.scale, size=(batch, 4, 2))
        corners = np.array(
            [[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1], [width - 1, height - 1]], np.float32
        )
        start = np.repeat(corners[None], batch, axis=0)
        end = np.where(apply[:, None, None], start + start * d.astype(np.float32), start)
        shape = (
            (batch, channels, height, width)
            if self.data_format == "channels_first"
            else (batch, height, width, channels)
        )
        return {
            "apply_perspective": apply,
            "start_points": start,
            "end_points": end.astype(np.float32),
            "input_shape": shape,
        }

    def apply(self, images, transformation):
        if transformation is None:
            return images
        start = as_array(transformation["start_points"], np.float32)
        end = as_array(transformation["end_points"], np.float32)
        out = ops.image.perspective_transform(
            images, start, end, self.interpolation, self.fill_value, data_format="channels_last"
        )
        apply = as_array(transformation["apply_perspective"]).astype(bool).reshape(-1, 1, 1, 1)
        return ops.where(apply, out, images)

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
        }
