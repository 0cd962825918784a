"""`Resizing` and `CenterCrop`: image size changes for 3-D (single) or 4-D (batch) images."""

from ...core import ops
from ...core.ops.image import RESIZE_INTERPOLATIONS
from ..convolutional.conv_utils import standardize_data_format
from ..layer import Layer
from . import image_utils


def _resized_shape(shape, height, width, data_format):
    out = list(shape)
    h_axis = len(shape) - (3 if data_format == "channels_last" else 2)
    out[h_axis], out[h_axis + 1] = height, width
    return tuple(out)


class Resizing(Layer):
    """Resizes images to `(height, width)` with `keras.ops.image.resize`.

    Interpolation follows Keras 3's jax backend (see `keras.ops.image.resize`): output pixel o
    is centred on input coordinate (o + 0.5) * in / out - 0.5; "nearest" takes input pixel
    floor((o + 0.5) * in / out). Integer images are resized in float32 and come back rounded
    and clipped to their dtype.

    Args:
        height, width: the output size.
        interpolation: "bilinear" (default), "nearest", "bicubic", "lanczos3", "lanczos5" or
            "area" (Keras's TensorFlow backend only).
        crop_to_aspect_ratio: first crop the largest centred window with the target aspect
            ratio, so the image is not distorted.
        pad_to_aspect_ratio: instead pad the short side with `fill_value` to the target aspect
            ratio, floor(total / 2) rows (or columns) on each side as Keras.
        fill_mode: "constant", the only mode (as Keras).
        fill_value: the padding value of `pad_to_aspect_ratio`.
        antialias: widen the kernel when downsampling so that every input pixel counts.
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Resizing(4, 6)(np.ones((2, 8, 8, 3), "float32")).shape
    (2, 4, 6, 3)
    """

    _converts_python_values = (
        True  # Python numbers and lists of them as input, as Keras 3's DataLayer
    )

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if interpolation not in RESIZE_INTERPOLATIONS:
            raise ValueError(
                f"Resizing supports interpolation {RESIZE_INTERPOLATIONS}. "
                f"Received: interpolation={interpolation!r}"
            )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                "Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True."
            )
        if fill_mode != "constant":
            raise ValueError(
                f"Resizing supports only fill_mode='constant' (as Keras). "
                f"Received: fill_mode={fill_mode!r}"
            )
        self.height, self.width = int(height), int(width)
        if self.height < 1 or self.width < 1:
            raise ValueError(
                f"Resizing: height and width must be >= 1. Received: height={height}, width={width}"
            )
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode, self.fill_value = fill_mode, fill_value
        self.antialias = bool(antialias)
        self.data_format = standardize_data_format(data_format)

    def call(self, inputs):
        image_utils.check_image_rank(self, inputs.shape)
        return ops.image.resize(
            inputs,
            (self.height, self.width),
            interpolation=self.interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def compute_output_shape(self, input_shape):
        return _resized_shape(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
            "data_format": self.data_format,
        }


class CenterCrop(Layer):
    """Crops the central `(height, width)` window of images.

    An image smaller than the target along an axis is instead cropped to the target aspect
    ratio and resized (bilinear), as Keras does. The crop starts at int((size - target) / 2).

    Args:
        height, width: the output size.
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(25.0).reshape(1, 5, 5, 1)
    >>> keras.layers.CenterCrop(3, 3)(x).numpy()[0, :, :, 0]
    array([[ 6.,  7.,  8.],
           [11., 12., 13.],
           [16., 17., 18.]], dtype=float32)
    """

    _converts_python_values = (
        True  # Python numbers and lists of them as input, as Keras 3's DataLayer
    )

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = int(height), int(width)
        self.data_format = standardize_data_format(data_format)

    def call(self, inputs):
        image_utils.check_image_rank(self, inputs.shape)
        x = (
            inputs if inputs.dtype.kind == "f" else ops.cast(inputs, self.compute_dtype)
        )  # float out
        x, undo = image_utils.to_channels_last(x, self.data_format)
        h, w = x.shape[1], x.shape[2]
        if h >= self.height and w >= self.width:
            top, left = int((h - self.height) / 2), int((w - self.width) / 2)
            y = x[:, top : top + self.height, left : left + self.width, :]
        else:
            size = (self.height, self.width)
            y = ops.image.resize(x, size, crop_to_aspect_ratio=True, data_format="channels_last")
        return undo(y)

    def compute_output_shape(self, input_shape):
        return _resized_shape(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "data_format": self.data_format,
        }
