"""`Flatten`: flattens every axis but the batch axis, in row-major order."""

import math

from ...core import ops
from ..convolutional.conv_utils import standardize_data_format
from ..layer import InputSpec, Layer


class Flatten(Layer):
    """Flattens the input to `(batch, prod(other axes))`, row-major (last axis fastest).

    Inputs shaped `(batch,)` become `(batch, 1)`.

    Args:
        data_format: `"channels_last"` or `"channels_first"` (default: the global
            `keras.config.image_data_format()`, as Keras); with channels-first
            inputs the channel axis is moved last before flattening, so the result matches the
            channels-last layout (as Keras).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Flatten()(np.ones((2, 3, 4), "float32")).shape
    (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        rank = inputs.ndim
        if self.data_format == "channels_first" and rank > 2:
            inputs = ops.transpose(inputs, (0, *range(2, rank), 1))  # channels last
        return ops.reshape(inputs, (inputs.shape[0], math.prod(inputs.shape[1:])))

    def compute_output_shape(self, input_shape):
        rest = tuple(input_shape[1:])
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
