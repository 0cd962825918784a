"""`Identity`: returns its inputs unchanged (a placeholder layer)."""

from ..layer import Layer


class Identity(Layer):
    """Returns its inputs unchanged; masks pass through.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Identity()(np.ones((1, 2), "float32")).shape
    (1, 2)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
