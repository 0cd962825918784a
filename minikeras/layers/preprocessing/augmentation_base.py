"""`ImageAugmentationLayer`: the frame of the Keras 3 image augmentation layers that expose their
random draw (`RandomCrop`, `RandomBrightness`, `RandomHue`, ...).

As in Keras 3's `BaseImagePreprocessingLayer`, a call is two public steps:

- `get_random_transformation(data, training=True, seed=None)` draws the per-image parameters
  (a dict of numpy arrays named and shaped as Keras's, e.g. `{"rgb_delta": (batch, 1, 1, 1)}`)
  from `seed` (an int, a `keras.random.SeedGenerator`) or, when None, the layer's own generator;
- `transform_images(images, transformation, training=True)` applies them, so a transformation
  can be inspected, chosen by hand, or shared between two batches.

`data` and `images` are 3-D or 4-D in the layer's `data_format`. The layers act only when
`training` is true (inside `fit`, or `layer(x, training=True)`); otherwise they return the
images unchanged, cast to float (`RandomCrop` center-crops instead). Dict inputs with
`"bounding_boxes"`, `"labels"` or `"segmentation_masks"` are not supported and are refused.
"""

import numpy as np

from ...core import ops
from ...random.seed_generator import draw_rng
from . import image_utils
from .random_base import BaseRandomLayer


def keras_factor(value, name, low=-1.0, high=1.0):
    """Keras's `_set_factor`: a number f -> (max(-f, low), f); a pair -> sorted pair.

    The pair's ends must lie in [low, high] (Keras checks only that the pair overlaps it, and
    minikeras is stricter: a factor outside the range is almost always a typo).
    """
    message = (
        f"The `{name}` argument should be a number (or a list of two numbers) in the range "
        f"[{low}, {high}]. Received: {name}={value!r}"
    )
    if isinstance(value, (list, tuple)):
        if len(value) != 2 or not all(isinstance(v, (int, float)) for v in value):
            raise ValueError(message)
        lower, upper = sorted(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < low or value > high:
            raise ValueError(message)
        lower, upper = max(-abs(value), low), abs(value)
    else:
        raise ValueError(message)
    if lower < low or upper > high:
        raise ValueError(message)
    return lower, upper


def check_value_range(value_range, layer_name):
    """`value_range` as a sorted list of two numbers (Keras sorts it)."""
    if not isinstance(value_range, (list, tuple)) or len(value_range) != 2:
        raise ValueError(
            f"{layer_name}: the `value_range` argument should be a list of two numbers. "
            f"Received: value_range={value_range!r}"
        )
    return sorted(value_range)


def rescale(images, source, target):
    """Maps pixel values linearly from the range `source` to the range `target`."""
    if tuple(source) == tuple(target):
        return images
    unit = (images - float(source[0])) / float(source[1] - source[0])
    return unit * float(target[1] - target[0]) + float(target[0])


def as_array(value, dtype=None):
    """A transformation entry (numpy array, Tensor, list or number) as a numpy array."""
    value = getattr(value, "data", value) if not isinstance(value, np.ndarray) else value
    return np.asarray(value, dtype=dtype)


class ImageAugmentationLayer(BaseRandomLayer):
    """Base of the augmentation layers with Keras 3's public two-step API (module docstring).

    Subclasses implement `draw(rng, batch, height, width, channels)` (the transformation, from
    a numpy Generator) and `apply(images, transformation)` on 4-D channels-last images; a
    layer that changes images at inference overrides `apply_inference`.
    """

    def call(self, inputs, training=True):
        self._refuse_dict(inputs)
        image_utils.check_image_rank(self, inputs.shape)
        x = (
            inputs if inputs.dtype.kind == "f" else ops.cast(inputs, self.compute_dtype)
        )  # float out
        transformation = self.get_random_transformation(x, training=training) if training else None
        return self.transform_images(x, transformation, training=training)

    def get_random_transformation(self, data, training=True, seed=None):
        """Draws the random parameters of one call.

        Args:
            data: images (3-D or 4-D, in the layer's `data_format`).
            training: when False, the transformation that leaves images unchanged (Keras's).
            seed: an int, a `keras.random.SeedGenerator`, or None for the layer's generator.

        Returns:
            A dict of numpy arrays (or what the layer documents), as Keras names them.
        """
        self._refuse_dict(data)
        shape = tuple(data.shape)
        image_utils.check_image_rank(self, shape)
        batch = shape[0] if len(shape) == 4 else 1
        if self.data_format == "channels_first":
            channels, height, width = shape[-3:]
        else:
            height, width, channels = shape[-3:]
        if not training:
            return self.identity(batch, height, width, channels)
        rng = draw_rng(self.generator if seed is None else seed, type(self).__name__)
        return self.draw(rng, batch, height, width, channels)

    def transform_images(self, images, transformation, training=True):
        """Applies `transformation` (from `get_random_transformation`) to `images`.

        Args:
            images: 3-D or 4-D images in the layer's `data_format`.
            transformation: the layer's transformation; None draws one from the layer.
            training: when False, the inference behaviour (the images unchanged, as floats).

        Returns:
            The transformed images, a float Tensor.
        """
        self._refuse_dict(images)
        x = ops.convert_to_tensor(images)
        image_utils.check_image_rank(self, x.shape)
        if x.dtype.kind != "f":
            x = ops.cast(x, self.compute_dtype)
        if training and transformation is None:
            transformation = self.get_random_transformation(x, training=True)
        x, undo = image_utils.to_channels_last(x, self.data_format)
        if training:
            return undo(self.apply(x, transformation))
        return undo(self.apply_inference(x))

    def identity(self, batch, height, width, channels):
        return None

    def draw(self, rng, batch, height, width, channels):
        return None  # layers that draw inside `apply` (RandomColorJitter), as Keras's base

    def apply(self, images, transformation):
        raise NotImplementedError

    def apply_inference(self, images):
        return images

    def _refuse_dict(self, data):
        if isinstance(data, dict):
            raise NotImplementedError(
                f"{type(self).__name__} ('{self.name}') received a dict with keys "
                f"{sorted(data)}; minikeras's augmentation layers take image tensors only "
                "(bounding boxes, labels and segmentation masks are not supported)."
            )
