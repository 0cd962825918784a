"""`RandomColorJitter`: random brightness, contrast, saturation and hue, in that order."""

from ...random.seed_generator import draw_rng
from .augmentation_base import ImageAugmentationLayer
from .random_brightness import RandomBrightness
from .random_contrast import RandomContrast
from .random_hue import RandomHue
from .random_saturation import RandomSaturation


class RandomColorJitter(ImageAugmentationLayer):
    """Randomly jitters the colours of images during training.

    Applies, in Keras 3's order and each only when its factor is given, `RandomBrightness`,
    `RandomContrast`, `RandomSaturation` and `RandomHue` with that factor and `value_range`
    (see those layers for the meaning of each factor). All draws come from this layer's
    generator, so a `seed` repeats the whole sequence. As in Keras, the draws happen inside
    `transform_images`: `get_random_transformation` returns None.

    Args:
        value_range: (low, high) of the pixel values.
        brightness_factor, contrast_factor, saturation_factor, hue_factor: each a number or a
            pair, or None to skip that step.
        seed: an int for a repeatable sequence of jitters.
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomColorJitter(value_range=(0, 1), brightness_factor=(0.1, 0.1))
    >>> y = layer(np.full((1, 1, 1, 3), 0.5), training=True).numpy()
    >>> [round(float(v), 6) for v in y.ravel()]
    [0.6, 0.6, 0.6]
    """

    def __init__(
        self,
        value_range=(0, 255),
        brightness_factor=None,
        contrast_factor=None,
        saturation_factor=None,
        hue_factor=None,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        steps = (
            (RandomBrightness, brightness_factor),
            (RandomContrast, contrast_factor),
            (RandomSaturation, saturation_factor),
            (RandomHue, hue_factor),
        )
        self._steps = tuple(
            cls(factor=factor, value_range=value_range, seed=seed)
            for cls, factor in steps
            if factor is not None
        )

    def apply(self, images, transformation):
        rng = draw_rng(self.generator, "RandomColorJitter")
        b, h, w, c = images.shape
        for step in self._steps:
            if isinstance(step, RandomContrast):
                images = step.transform(images, rng)
            else:
                images = step.apply(images, step.draw(rng, b, h, w, c))
        return images

    def get_config(self):
        def plain(v):
            return list(v) if isinstance(v, tuple) else v

        return {
            **super().get_config(),
            "value_range": plain(self.value_range),
            "brightness_factor": plain(self.brightness_factor),
            "contrast_factor": plain(self.contrast_factor),
            "saturation_factor": plain(self.saturation_factor),
            "hue_factor": plain(self.hue_factor),
        }
