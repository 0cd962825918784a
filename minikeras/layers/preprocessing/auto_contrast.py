"""`AutoContrast`: stretches each image channel to the full `value_range`."""

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, check_value_range, rescale


class AutoContrast(ImageAugmentationLayer):
    """Stretches the values of each image and channel to span `value_range`.

    As Keras 3: per image and channel, `(x - min) * 255 / (max - min)` in [0, 255] space,
    clipped and mapped back to `value_range`; a constant channel (max == min) is left as it
    is. Not random, and applied at inference too (Keras's `transform_images` ignores
    `training`).

    Args:
        value_range: (low, high) of the pixel values.

    >>> import numpy as np, minikeras as keras
    >>> x = np.array([[[[64.0], [128.0]], [[96.0], [64.0]]]])
    >>> keras.layers.AutoContrast()(x).numpy().ravel().tolist()
    [0.0, 255.0, 127.5, 0.0]
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(None, kwargs.pop("data_format", None), **kwargs)
        self.value_range = check_value_range(value_range, "AutoContrast")

    def call(self, inputs, training=True):
        return super().call(inputs, training=True)  # applied whatever `training` is

    def apply(self, images, transformation):
        x = rescale(images, self.value_range, (0, 255))
        low = ops.min(x, axis=(1, 2), keepdims=True)
        high = ops.max(x, axis=(1, 2), keepdims=True)
        span = high - low
        flat = ops.equal(span, 0.0)  # Keras: 0 / 0 gives NaN, replaced by the input
        scale = 255.0 / ops.where(flat, 1.0, span)
        y = ops.clip(x * scale - low * scale, 0.0, 255.0)  # Keras's x * scale + offset: the
        # extremes land on 0 and 255 as in Keras (Equalization after it bins them alike)
        return ops.where(flat, images, rescale(y, (0, 255), self.value_range))

    def apply_inference(self, images):
        return self.apply(images, None)

    def get_config(self):
        config = {**super().get_config(), "value_range": self.value_range}
        config.pop("seed", None)
        return config
