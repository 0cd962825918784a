"""Preprocessing layers: rescaling, normalization, resizing, random image augmentation, and the
lookup, hashing and encoding layers for structured data and text."""

from .integer_lookup import IntegerLookup
from .normalization import Normalization
from .random_affine import RandomRotation, RandomTranslation, RandomZoom
from .random_contrast import RandomContrast
from .random_flip import RandomFlip
from .rescaling import Rescaling
from .resizing import CenterCrop, Resizing
from .string_lookup import StringLookup
from .text_vectorization import TextVectorization

__all__ = [
    "CenterCrop", "IntegerLookup", "Normalization", "RandomContrast", "RandomFlip", "RandomRotation",
    "RandomTranslation", "RandomZoom", "Rescaling", "Resizing",
    "StringLookup", "TextVectorization",
]  # fmt: skip
