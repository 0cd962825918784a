"""Spatial layers: zero padding, cropping, up-sampling and spatial dropout."""

from .cropping import Cropping1D, Cropping2D, Cropping3D
from .spatial_dropout import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D
from .up_sampling import UpSampling1D, UpSampling2D, UpSampling3D
from .zero_padding import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D

__all__ = [
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
]
