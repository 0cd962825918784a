"""`UnitNormalization`: scale each sample to unit L2 norm along `axis`."""

from ...core import ops
from ..layer import Layer


class UnitNormalization(Layer):
    """`x / sqrt(max(sum(x ** 2, axis), 1e-12))`: unit L2 norm along `axis`.

    Args:
        axis: an int or a list of ints (default the last axis).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.UnitNormalization()(np.array([[3.0, 4.0]], "float32")).numpy()
    array([[0.6, 0.8]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            axis = [int(a) for a in axis]
        elif not isinstance(axis, int):
            raise TypeError(
                f"Invalid value for `axis` argument: expected an int or a list/tuple of ints. "
                f"Received: axis={axis!r}"
            )
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs):
        axes = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        square_sum = ops.sum(ops.square(inputs), axis=axes, keepdims=True)
        return inputs * ops.rsqrt(ops.maximum(square_sum, 1e-12))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
