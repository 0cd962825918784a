"""Preprocessing layers: rescaling, normalization, resizing and random image augmentation."""

from .normalization import Normalization
from .random_affine import RandomRotation, RandomTranslation, RandomZoom
from .random_contrast import RandomContrast
from .random_flip import RandomFlip
from .rescaling import Rescaling
from .resizing import CenterCrop, Resizing

__all__ = [
    "CenterCrop", "Normalization", "RandomContrast", "RandomFlip", "RandomRotation",
    "RandomTranslation", "RandomZoom", "Rescaling", "Resizing",
]  # fmt: skip
