"""`Activation`: applies an activation function to its input."""

from ... import activations
from ..layer import Layer


class Activation(Layer):
    """Applies `activation` elementwise; masks pass through.

    Args:
        activation: a name from `keras.activations` (`"relu"`, `"softmax"`, ...) or a callable.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Activation("relu")(np.array([-1.0, 2.0], "float32")).numpy().tolist()
    [0.0, 2.0]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
