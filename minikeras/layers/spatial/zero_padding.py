"""`ZeroPadding1D/2D/3D`: zeros added before and after each spatial axis."""

from ...core import ops
from ..convolutional.conv_utils import (
    check_rank,
    spatial_axes,
    standardize_data_format,
    standardize_pairs,
)
from ..layer import Layer


class BaseZeroPadding(Layer):
    """Pads `rank` spatial axes with `padding` = ((before, after), ...) zeros."""

    def __init__(self, rank, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.padding = standardize_pairs(padding, rank, "padding")
        self.data_format = standardize_data_format(data_format)

    def build(self, input_shape):
        check_rank(self, input_shape, self.rank, self.data_format)

    def call(self, inputs):
        check_rank(self, inputs.shape, self.rank, self.data_format)
        widths = [(0, 0)] * inputs.ndim
        for axis, pair in zip(spatial_axes(self.data_format, self.rank), self.padding):
            widths[axis] = pair
        return ops.pad(inputs, widths)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, (lo, hi) in zip(spatial_axes(self.data_format, self.rank), self.padding):
            out[axis] = None if out[axis] is None else out[axis] + lo + hi
        return tuple(out)

    def get_config(self):
        return {
            **super().get_config(),
            "padding": tuple(tuple(p) for p in self.padding),
            "data_format": self.data_format,
        }


class ZeroPadding1D(BaseZeroPadding):
    """Zeros at the start and end of the steps axis: `(batch, steps, features)`.

    Args:
        padding: an int (both ends) or (left, right).
        data_format: "channels_last" (default) or "channels_first" `(batch, features, steps)`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.ZeroPadding1D((1, 2))(np.ones((1, 2, 1))).numpy().ravel().tolist()
    [0.0, 1.0, 1.0, 0.0, 0.0]
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        if (
            isinstance(padding, (list, tuple))
            and len(padding) == 2
            and all(isinstance(p, int) for p in padding)
        ):
            padding = (tuple(padding),)  # (left, right) of the one spatial axis
        super().__init__(1, padding, data_format, **kwargs)

    def get_config(self):
        config = super().get_config()  # with data_format, as Keras 3.15.1
        config["padding"] = tuple(self.padding[0])
        return config


class ZeroPadding2D(BaseZeroPadding):
    """Zero rows and columns around images.

    Args:
        padding: an int (all sides), (symmetric_height, symmetric_width) or
            ((top, bottom), (left, right)).
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.ZeroPadding2D(((1, 0), (2, 1)))(np.ones((1, 3, 3, 2))).shape
    (1, 4, 6, 2)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(2, padding, data_format, **kwargs)


class ZeroPadding3D(BaseZeroPadding):
    """Zeros around volumes `(batch, depth, height, width, channels)`.

    Args:
        padding: an int (all sides), 3 ints (symmetric per axis) or 3 (before, after) pairs.
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.ZeroPadding3D()(np.ones((1, 2, 2, 2, 1))).shape
    (1, 4, 4, 4, 1)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, padding, data_format, **kwargs)
