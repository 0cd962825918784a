"""Wrapper layers: layers that hold and augment another layer."""

from .spectral_normalization import SpectralNormalization
from .time_distributed import TimeDistributed
from .wrapper import Wrapper

__all__ = ["SpectralNormalization", "TimeDistributed", "Wrapper"]
