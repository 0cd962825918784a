"""`Reshape`: reshapes every sample to `target_shape` (one entry may be -1)."""

import math

from ...core import ops
from ..layer import Layer


class Reshape(Layer):
    """Reshapes inputs to `(batch, *target_shape)`.

    Args:
        target_shape: the shape without the batch axis; one entry may be -1, inferred from the
            number of values per sample.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Reshape((-1, 2))(np.ones((3, 12), "float32")).shape
    (3, 6, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if isinstance(target_shape, int):
            target_shape = (target_shape,)
        target_shape = tuple(-1 if d is None else int(d) for d in target_shape)
        if target_shape.count(-1) > 1:
            raise ValueError(
                "The `target_shape` argument must not contain more than one `-1` "
                f"value. Received: target_shape={target_shape}"
            )
        if any(d < -1 or d == 0 for d in target_shape):
            raise ValueError(
                "The `target_shape` argument must hold positive sizes and at most "
                f"one -1. Received: target_shape={target_shape}"
            )
        self.target_shape = target_shape

    def _resolve(self, sample_shape):
        """`target_shape` with its -1 filled in for samples of `sample_shape` (None if unknown)."""
        target = self.target_shape
        if any(d is None for d in sample_shape):
            return tuple(None if d == -1 else d for d in target)
        size = math.prod(sample_shape)
        known = math.prod(d for d in target if d != -1)
        if -1 in target:
            if size % known:
                raise ValueError(
                    f"Reshape layer '{self.name}': cannot reshape samples of shape "
                    f"{tuple(sample_shape)} ({size} values) into target_shape={target}: {size} "
                    f"is not divisible by {known}."
                )
            return tuple(size // known if d == -1 else d for d in target)
        if known != size:
            raise ValueError(
                f"Reshape layer '{self.name}': the total size must be unchanged. Cannot reshape "
                f"samples of shape {tuple(sample_shape)} ({size} values) into "
                f"target_shape={target} ({known} values)."
            )
        return target

    def call(self, inputs):
        if not inputs.shape:
            raise ValueError(
                f"Reshape layer '{self.name}': expected inputs with a batch axis. Received a "
                "scalar (shape ())."
            )
        return ops.reshape(inputs, (inputs.shape[0],) + self._resolve(inputs.shape[1:]))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape[1:]))

    def get_config(self):
        return {**super().get_config(), "target_shape": tuple(self.target_shape)}
