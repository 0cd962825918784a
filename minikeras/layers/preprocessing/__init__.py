"""Preprocessing layers: rescaling, normalization, resizing, random image augmentation, and the
lookup, hashing and encoding layers for structured data and text."""

from .aug_mix import AugMix
from .auto_contrast import AutoContrast
from .category_encoding import CategoryEncoding
from .clahe import ContrastLimitedAdaptiveHistogramEqualization
from .cut_mix import CutMix
from .discretization import Discretization
from .equalization import Equalization
from .hashed_crossing import HashedCrossing
from .hashing import Hashing
from .integer_lookup import IntegerLookup
from .max_num_bounding_boxes import MaxNumBoundingBoxes
from .mel_spectrogram import MelSpectrogram
from .mix_up import MixUp
from .normalization import Normalization
from .pipeline import Pipeline
from .rand_augment import RandAugment
from .random_affine import RandomRotation, RandomTranslation, RandomZoom
from .random_brightness import RandomBrightness
from .random_color_degeneration import RandomColorDegeneration
from .random_color_jitter import RandomColorJitter
from .random_contrast import RandomContrast
from .random_crop import RandomCrop
from .random_elastic_transform import RandomElasticTransform
from .random_erasing import RandomErasing
from .random_flip import RandomFlip
from .random_gaussian_blur import RandomGaussianBlur
from .random_grayscale import RandomGrayscale
from .random_hue import RandomHue
from .random_invert import RandomInvert
from .random_perspective import RandomPerspective
from .random_posterization import RandomPosterization
from .random_saturation import RandomSaturation
from .random_sharpness import RandomSharpness
from .random_shear import RandomShear
from .rescaling import Rescaling
from .resizing import CenterCrop, Resizing
from .solarization import Solarization
from .stft_spectrogram import STFTSpectrogram
from .string_lookup import StringLookup
from .text_vectorization import TextVectorization

__all__ = [
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "Normalization",
    "RandomContrast",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    # Keras 3 image augmentation (augmentation_base.ImageAugmentationLayer)
    "RandomBrightness",
    "RandomColorJitter",
    "RandomCrop",
    "RandomGrayscale",
    "RandomHue",
    "RandomSaturation",
    "RandomSharpness",
    "Solarization",
    "RandomShear",
    "RandomInvert",
    "RandomPosterization",
    "RandomColorDegeneration",
    "AutoContrast",
    "RandomErasing",
    "Equalization",
    "MixUp",
    "CutMix",
    "RandomGaussianBlur",
    "RandomPerspective",
    "RandomElasticTransform",
    "RandAugment",
    "AugMix",
    "StringLookup",
    "TextVectorization",
    "Pipeline",
    "MelSpectrogram",
    "STFTSpectrogram",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "MaxNumBoundingBoxes",
]
