"""The named augmentation operations that `RandAugment` and `AugMix` choose from, built with
Keras 3's arguments, and one way to run any of them on 4-D channels-last images."""

from .augmentation_base import ImageAugmentationLayer
from .auto_contrast import AutoContrast
from .equalization import Equalization
from .random_affine import RandomRotation, RandomTranslation
from .random_brightness import RandomBrightness
from .random_color_degeneration import RandomColorDegeneration
from .random_contrast import RandomContrast
from .random_posterization import RandomPosterization
from .random_sharpness import RandomSharpness
from .random_shear import RandomShear
from .solarization import Solarization


def build_ops(names, factor, value_range, interpolation):
    """{name: layer} for Keras's operation names, each made as Keras's RandAugment / AugMix
    make it from the parsed `factor` pair (posterization keeps `max(1, int(8 * factor[1]))`
    bits). They work on channels-last images: the caller converts."""
    fmt = {"data_format": "channels_last"}
    makers = {
        "random_shear": lambda: RandomShear(
            x_factor=factor, y_factor=factor, interpolation=interpolation, **fmt
        ),
        "random_translation": lambda: RandomTranslation(
            height_factor=factor, width_factor=factor, interpolation=interpolation, **fmt
        ),
        "random_rotation": lambda: RandomRotation(
            factor=factor, interpolation=interpolation, **fmt
        ),
        "random_brightness": lambda: RandomBrightness(
            factor=factor, value_range=value_range, **fmt
        ),
        "random_color_degeneration": lambda: RandomColorDegeneration(
            factor=factor, value_range=value_range, **fmt
        ),
        "random_contrast": lambda: RandomContrast(factor=factor, value_range=value_range, **fmt),
        "random_sharpness": lambda: RandomSharpness(factor=factor, value_range=value_range, **fmt),
        "solarization": lambda: Solarization(
            addition_factor=factor, threshold_factor=factor, value_range=value_range, **fmt
        ),
        "random_posterization": lambda: RandomPosterization(
            factor=max(1, int(8 * factor[1])), value_range=value_range, **fmt
        ),
        "auto_contrast": lambda: AutoContrast(value_range=value_range, **fmt),
        "equalization": lambda: Equalization(value_range=value_range, **fmt),
    }
    return {name: makers[name]() for name in names}


def run_op(layer, images, rng):
    """One training-time application of `layer` to 4-D channels-last images, its random
    parameters drawn from the numpy Generator `rng`."""
    if isinstance(layer, ImageAugmentationLayer):
        b, h, w, c = images.shape
        return layer.apply(images, layer.draw(rng, b, h, w, c))
    return layer.transform(images, rng)  # RandomTranslation, RandomRotation, RandomContrast
