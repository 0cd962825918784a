"""Core layers."""

from .dense import Dense
from .input_layer import Input, InputLayer

__all__ = ["Dense", "Input", "InputLayer"]
