"""`ActivityRegularization`: adds an L1/L2 penalty on its inputs to the training loss."""

from ... import regularizers
from ..layer import Layer


class ActivityRegularization(Layer):
    """Returns its inputs unchanged and adds an activity penalty to `layer.losses`.

    The penalty is `(l1 * sum(|x|) + l2 * sum(x**2)) / batch_size`; training adds it to the loss.

    Args:
        l1: L1 factor (default 0).
        l2: L2 factor (default 0).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.ActivityRegularization(l1=0.5)
    >>> _ = layer(np.array([[1.0, -3.0]], "float32"))
    >>> float(layer.losses[0])
    2.0
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(**kwargs)
        self.l1 = l1
        self.l2 = l2
        self.activity_regularizer = regularizers.L1L2(l1=l1, l2=l2)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {**super().get_config(), "l1": self.l1, "l2": self.l2}
        config.pop("activity_regularizer", None)  # as Keras 3: l1 and l2 say it
        return config
