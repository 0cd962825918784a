"""`ReLU`: rectified linear unit with optional cap, leak and threshold."""

import numbers

from ... import activations
from ..layer import Layer


def _check(name, value, allow_none=False):
    if value is None and allow_none:
        return
    if value is None or not isinstance(value, numbers.Real) or value < 0:
        raise ValueError(
            f"{name} of a ReLU layer must be a number >= 0"
            f"{' or None' if allow_none else ''}. Received: {name}={value!r}"
        )


class ReLU(Layer):
    """Rectified linear unit layer, with Keras's cap, slope and threshold options.

    It returns `max_value` for x >= max_value, x for threshold < x < max_value, and
    `negative_slope * (x - threshold)` otherwise (as Keras computes it).

    Args:
        max_value: float >= 0 cap on the output; None means no cap.
        negative_slope: float >= 0 slope below the threshold (default 0).
        threshold: float >= 0 (default 0).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.ReLU(max_value=1.0)(np.array([-1.0, 0.5, 3.0], "float32")).numpy().tolist()
    [0.0, 0.5, 1.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        _check("max_value", max_value, allow_none=True)
        _check("negative_slope", negative_slope)
        _check("threshold", threshold)
        self.max_value = None if max_value is None else float(max_value)
        self.negative_slope = float(negative_slope)
        self.threshold = float(threshold)
        self.supports_masking = True

    def call(self, inputs):
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }
