"""`LeakyReLU`: x for x >= 0, `negative_slope * x` otherwise."""

import numbers

from ... import activations
from ..layer import Layer


class LeakyReLU(Layer):
    """Leaky rectifier: `x` for x >= 0, `negative_slope * x` otherwise.

    Args:
        negative_slope: float >= 0; Keras 3's layer default is 0.3 (the function
            `keras.activations.leaky_relu` defaults to 0.2). Keras 2's name `alpha` is accepted.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.LeakyReLU(0.5)(np.array([-2.0, 2.0], "float32")).numpy().tolist()
    [-1.0, 2.0]
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:  # Keras 2 spelling (and Keras 2 configs)
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        if (
            negative_slope is None
            or not isinstance(negative_slope, numbers.Real)
            or negative_slope < 0
        ):
            raise ValueError(
                "The negative_slope of a LeakyReLU layer must be a number >= 0. "
                f"Received: negative_slope={negative_slope!r}"
            )
        self.negative_slope = float(negative_slope)
        self.supports_masking = True

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
