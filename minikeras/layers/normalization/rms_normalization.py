"""`RMSNormalization`: divide each sample by its root mean square over the feature axes."""

from ...core import ops
from ..layer import Layer


class RMSNormalization(Layer):
    """`x * rsqrt(mean(square(x), axis) + epsilon) * scale` (Zhang & Sennrich, 2019).

    The mean is not subtracted, which is what sets it apart from `LayerNormalization` (even with
    that layer's `rms_scaling=True`). As in Keras 3, building turns `axis` into a sorted list
    (`-1` becomes `[-1]`), and `get_config` reports it so.

    Args:
        axis: an int or a list of ints, the normalised axes (default the last).
        epsilon: added to the mean square (default 1e-6, as Keras).

    Weights: `scale` (shape of the normalised axes, initialised to ones).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RMSNormalization(epsilon=0.0)
    >>> layer(np.array([[3.0, 4.0]], "float32")).numpy().round(4)
    array([[0.8485, 1.1314]], dtype=float32)
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            axis = [int(a) for a in axis]
        elif isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(
                f"RMSNormalization layer '{self.name}': expected an int or a list of ints for "
                f"`axis`. Received: axis={axis!r}"
            )
        self.axis = axis
        self.epsilon = epsilon

    def _check_axes(self, input_shape):
        rank = len(input_shape)
        for a in [self.axis] if isinstance(self.axis, int) else self.axis:
            if not -rank <= a < rank:
                raise ValueError(
                    f"RMSNormalization layer '{self.name}': axis {a} is out of bounds for input "
                    f"shape {tuple(input_shape)}. Received: axis={self.axis}"
                )

    def build(self, input_shape):
        self._check_axes(input_shape)
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        shape = tuple(input_shape[a] for a in self.axis)
        if any(d is None for d in shape):
            raise ValueError(
                f"RMSNormalization layer '{self.name}': the normalised axes {self.axis} must be "
                f"known. Received input shape {tuple(input_shape)}."
            )
        self.scale = self.add_weight(shape=shape, initializer="ones", name="scale")
        self.built = True

    def call(self, x):
        return ops.rms_normalization(x, scale=self.scale, axis=self.axis, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        self._check_axes(input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
