"""Wrapper layers: layers that hold and augment another layer."""

from .time_distributed import TimeDistributed
from .wrapper import Wrapper

__all__ = ["TimeDistributed", "Wrapper"]
