"""Preprocessing layers: rescaling, normalization, resizing, random image augmentation, and the
lookup, hashing and encoding layers for structured data and text."""

from .category_encoding import CategoryEncoding
from .discretization import Discretization
from .hashed_crossing import HashedCrossing
from .hashing import Hashing
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
    "CategoryEncoding", "CenterCrop", "Discretization", "HashedCrossing", "Hashing",
    "IntegerLookup", "Normalization", "RandomContrast", "RandomFlip", "RandomRotation",
    "RandomTranslation", "RandomZoom", "Rescaling", "Resizing",
    "StringLookup", "TextVectorization",
]  # fmt: skip
