"""Convolution and pooling ops (channels-last), built on the numba kernels in `kernels/`."""

__all__ = []
