"""`RandomElasticTransform`: random smooth local distortions of images."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, keras_factor

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


class RandomElasticTransform(ImageAugmentationLayer):
    """Elastically distorts each image with probability p during training.

    As Keras 3: per image, p ~ U(factor) and the distortion applies when U(0, 1) < p; one
    strength `d ~ U(scale)` per batch gives `alpha = 0.1 d max(h, w)` and
    `sigma = 0.05 d min(h, w)` for `keras.ops.image.elastic_transform` (displacement fields of
    blurred normal noise, drawn from an int seed kept in the transformation). Every image is
    then clipped to `value_range`. With `factor` or `scale` at most 0, nothing happens (not
    even the clip).

    Args:
        factor: a number f in [0, 1] (p in [0, f]) or a pair within [0, 1].
        scale: a number s in [0, 1] (d in [0, s]) or a pair within [0, 1].
        interpolation: "bilinear" or "nearest".
        fill_mode: "reflect" (default), "constant", "nearest", "wrap" or "mirror".
        fill_value: the value outside with `fill_mode="constant"`.
        value_range: (low, high) of the pixel values.
        seed: an int for a repeatable sequence of distortions.
        data_format: "channels_last" (default) or "channels_first".

    The transformation is `{"apply_transform": (batch,) bool, "distortion_factor": d,
    "seed": int}` (Keras keeps a seed there too), or None when nothing can happen.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomElasticTransform(factor=(1.0, 1.0), scale=0.5, seed=2)
    >>> float(layer(np.full((1, 8, 8, 1), 50.0)).numpy().round(3).max())  # reflect fill
    50.0
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)
        self.scale = keras_factor(scale, "scale", 0.0, 1.0)
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one ('nearest', 'bilinear')."
            )
        if fill_mode not in FILL_MODES:
            raise NotImplementedError(
                f"Unknown `fill_mode` {fill_mode}. Expected of one {set(FILL_MODES)}."
            )
        self.interpolation, self.fill_mode, self.fill_value = interpolation, fill_mode, fill_value
        self.value_range = value_range

    def get_random_transformation(self, data, training=True, seed=None):
        if self.scale[1] == 0 or self.factor[1] == 0:
            return None
        return super().get_random_transformation(data, training=training, seed=seed)

    def draw(self, rng, batch, height, width, channels):
        p = rng.uniform(self.factor[0], self.factor[1], size=batch)
        apply = rng.uniform(size=batch) < p
        strength = np.float32(rng.uniform(self.scale[0], self.scale[1]))
        return {
            "apply_transform": apply,
            "distortion_factor": strength,
            "seed": int(rng.integers(0, 2**31 - 1)),
        }

    def apply(self, images, transformation):
        if transformation is None:
            return images
        _, h, w, _ = images.shape
        d = float(as_array(transformation["distortion_factor"]))
        alpha, sigma = max(h, w) * 0.1 * d, min(h, w) * 0.05 * d
        if sigma > 0:
            out = ops.image.elastic_transform(
                images,
                alpha,
                sigma,
                self.interpolation,
                self.fill_mode,
                self.fill_value,
                seed=int(as_array(transformation["seed"])),
                data_format="channels_last",
            )
        else:
            out = images  # no displacement
        apply = as_array(transformation["apply_transform"]).astype(bool).reshape(-1, 1, 1, 1)
        y = ops.where(apply, out, images)
        return ops.clip(y, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
        }
