"""`UpSampling1D/2D/3D`: repeat rows/columns (nearest), or an interpolating resize for 2-D."""

from ...core import ops
from ..convolutional.conv_utils import (
    check_rank,
    spatial_axes,
    standardize_data_format,
    standardize_tuple,
)
from ..layer import Layer


class BaseUpSampling(Layer):
    """Repeats each entry of `rank` spatial axes `size` times."""

    def __init__(self, rank, size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.size = standardize_tuple(size, rank, "size")
        self.data_format = standardize_data_format(data_format)

    def build(self, input_shape):
        check_rank(self, input_shape, self.rank, self.data_format)

    def call(self, inputs):
        check_rank(self, inputs.shape, self.rank, self.data_format)
        y = inputs
        for axis, n in zip(spatial_axes(self.data_format, self.rank), self.size):
            if n != 1:
                y = ops.repeat(y, n, axis=axis)
        return y

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, n in zip(spatial_axes(self.data_format, self.rank), self.size):
            out[axis] = None if out[axis] is None else out[axis] * n
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "size": tuple(self.size), "data_format": self.data_format}


class UpSampling1D(BaseUpSampling):
    """Repeats each step `size` times: `(batch, steps, features)` -> `(batch, steps * size, ...)`.

    Args:
        size: the repeat count.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.UpSampling1D(2)(np.array([[[1.0], [2.0]]])).numpy().ravel().tolist()
    [1.0, 1.0, 2.0, 2.0]
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(1, size, "channels_last", **kwargs)

    def compute_output_shape(self, input_shape):
        return list(super().compute_output_shape(input_shape))  # a list, as Keras 3's

    def get_config(self):
        config = super().get_config()
        del config["data_format"]
        config["size"] = self.size[0]
        return config


class UpSampling2D(BaseUpSampling):
    """Enlarges images by `size` = (rows, cols): nearest (repeat) or an interpolating resize.

    Any interpolation other than "nearest" is `keras.ops.image.resize` to `size` times the
    input, with Keras 3's jax-backend numerics (output pixel o centred on input coordinate
    (o + 0.5) / size - 0.5, pixels beyond the border dropped and the weights renormalised).

    Args:
        size: an int or (rows, cols).
        data_format: "channels_last" (default) or "channels_first".
        interpolation: "nearest" (default), "bilinear", "bicubic", "lanczos3" or "lanczos5".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.UpSampling2D((2, 3))(np.ones((1, 2, 2, 1))).shape
    (1, 4, 6, 1)
    """

    INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(2, size, data_format, **kwargs)
        self.interpolation = str(interpolation).lower()
        if self.interpolation not in self.INTERPOLATIONS:
            raise ValueError(
                f"UpSampling2D supports interpolation {self.INTERPOLATIONS}. "
                f"Received: interpolation={interpolation!r}"
            )

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        check_rank(self, inputs.shape, 2, self.data_format)
        h_axis, w_axis = spatial_axes(self.data_format, 2)
        size = (inputs.shape[h_axis] * self.size[0], inputs.shape[w_axis] * self.size[1])
        return ops.image.resize(
            inputs, size, interpolation=self.interpolation, data_format=self.data_format
        )

    def get_config(self):
        return {**super().get_config(), "interpolation": self.interpolation}


class UpSampling3D(BaseUpSampling):
    """Repeats entries along depth, height and width of `(batch, depth, height, width, channels)`.

    Args:
        size: an int or (depth, height, width) repeat counts.
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.UpSampling3D()(np.ones((1, 1, 2, 3, 1))).shape
    (1, 2, 4, 6, 1)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(3, size, data_format, **kwargs)
