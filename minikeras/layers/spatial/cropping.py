"""`Cropping1D/2D/3D`: drop rows at the start and end of each spatial axis."""

from ..convolutional.conv_utils import (
    check_rank,
    spatial_axes,
    standardize_data_format,
    standardize_pairs,
)
from ..layer import Layer


class BaseCropping(Layer):
    """Crops `rank` spatial axes by `cropping` = ((before, after), ...)."""

    def __init__(self, rank, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.cropping = standardize_pairs(cropping, rank, "cropping")
        self.data_format = standardize_data_format(data_format)

    def _placeholder_room(self):
        # an axis of unknown size must outlast the crop (Layer._trace)
        return max(lo + hi for lo, hi in self.cropping) + 1, 1

    def _check(self, shape):
        check_rank(self, shape, self.rank, self.data_format)
        for axis, (lo, hi) in zip(spatial_axes(self.data_format, self.rank), self.cropping):
            if shape[axis] is not None and lo + hi >= shape[axis]:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}): cropping "
                    f"{[list(c) for c in self.cropping]} removes all of axis {axis} (size "
                    f"{shape[axis]}); the crop along each axis must be smaller than its size. "
                    f"Received input shape {tuple(shape)}."
                )

    def build(self, input_shape):
        self._check(input_shape)

    def call(self, inputs):
        self._check(inputs.shape)
        key = [slice(None)] * inputs.ndim
        for axis, (lo, hi) in zip(spatial_axes(self.data_format, self.rank), self.cropping):
            key[axis] = slice(lo, inputs.shape[axis] - hi)
        return inputs[tuple(key)]

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, (lo, hi) in zip(spatial_axes(self.data_format, self.rank), self.cropping):
            out[axis] = None if out[axis] is None else out[axis] - lo - hi
        return tuple(out)

    def get_config(self):
        return {
            **super().get_config(),
            "cropping": tuple(tuple(c) for c in self.cropping),
            "data_format": self.data_format,
        }


class Cropping1D(BaseCropping):
    """Crops the steps axis of `(batch, steps, features)`.

    Args:
        cropping: an int (both ends) or (start, end).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Cropping1D((1, 2))(np.arange(5.0).reshape(1, 5, 1)).numpy().ravel().tolist()
    [1.0, 2.0]
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        if (
            isinstance(cropping, (list, tuple))
            and len(cropping) == 2
            and all(isinstance(c, int) for c in cropping)
        ):
            cropping = (tuple(cropping),)
        super().__init__(1, cropping, "channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]
        config["cropping"] = tuple(self.cropping[0])
        return config


class Cropping2D(BaseCropping):
    """Crops rows and columns of images `(batch, height, width, channels)`.

    Args:
        cropping: an int (all sides), (symmetric_height, symmetric_width) or
            ((top, bottom), (left, right)).
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Cropping2D(((1, 0), (1, 1)))(np.ones((1, 4, 5, 2))).shape
    (1, 3, 3, 2)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(2, cropping, data_format, **kwargs)


class Cropping3D(BaseCropping):
    """Crops volumes `(batch, depth, height, width, channels)` along their three spatial axes.

    Args:
        cropping: an int (all sides), 3 ints (symmetric per axis) or 3 (start, end) pairs.
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Cropping3D()(np.ones((1, 3, 4, 5, 1))).shape
    (1, 1, 2, 3, 1)
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, cropping, data_format, **kwargs)
