"""`ELU`: exponential linear unit."""

from ... import activations
from ..layer import Layer


class ELU(Layer):
    """`x` for x > 0, `alpha * (exp(x) - 1)` otherwise.

    Args:
        alpha: scale of the negative part (default 1.0).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.ELU()(np.array([0.0, 2.0], "float32")).numpy().tolist()
    [0.0, 2.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        # Keras 3 leaves `alpha` out of its config (so files from it load with alpha=1.0);
        # minikeras keeps it so that a round trip preserves a custom alpha.
        return {**super().get_config(), "alpha": self.alpha}
