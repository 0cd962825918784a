"""`RandomCrop`: crops a random `height x width` window (the same for the whole batch)."""

import random

from ...core import ops
from .augmentation_base import ImageAugmentationLayer


class RandomCrop(ImageAugmentationLayer):
    """Randomly crops images to `height x width` during training.

    Training: when the images are larger than the target in both height and width, one window
    is drawn for the whole batch (top row uniform in `[0, H - height]`, left column in
    `[0, W - width]`). Otherwise (as Keras 3) the window starts at `(int((H - ch) / 2),
    int((W - cw) / 2))`, where `ch x cw` is the largest window of the target aspect ratio, the
    `height x width` slice from there (clipped to the image) is taken and resized (bilinear)
    to the target.

    Inference: the largest centred window of the target aspect ratio, resized (bilinear) to
    `height x width`, as Keras documents (and as tf.keras 2 does). Keras 3.15 itself returns
    the images uncropped at inference (keras-team/keras#21868), which contradicts its own
    output shape; minikeras follows the documentation.

    Args:
        height, width: the output size.
        seed: an int for a repeatable sequence of windows.
        data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> keras.layers.RandomCrop(4, 2)(x).numpy()[0, :, :, 0].tolist()  # inference: centre
    [[1.0, 2.0], [5.0, 6.0], [9.0, 10.0], [13.0, 14.0]]
    >>> layer = keras.layers.RandomCrop(2, 2, seed=1)
    >>> top, left = layer.get_random_transformation(x)
    >>> y = layer.transform_images(x, (top, left))
    >>> bool((y.numpy()[0, ..., 0] == x[0, top:top + 2, left:left + 2, 0]).all())
    True
    """

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(seed, data_format, name=name, **kwargs)
        for arg, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"RandomCrop: `{arg}` must be a positive integer. Received: {arg}={value!r}"
                )
        self.height, self.width = height, width
        if seed is None:  # Keras 3 writes a drawn seed in the config; its generator stays unseeded
            self.seed = random.randint(1, int(1e9))

    def _fallback(self, h, w):
        # Keras 3's start for images not larger than the target: the centred aspect window's
        crop_h = max(min(h, int(w * self.height / self.width)), 1)
        crop_w = max(min(w, int(h * self.width / self.height)), 1)
        return int((h - crop_h) / 2), int((w - crop_w) / 2)

    def identity(self, batch, height, width, channels):
        return self._fallback(height, width)

    def draw(self, rng, batch, height, width, channels):
        if height > self.height and width > self.width:
            top = int(rng.uniform(0.0, float(height - self.height + 1)))
            left = int(rng.uniform(0.0, float(width - self.width + 1)))
            return min(top, height - self.height), min(left, width - self.width)
        return self._fallback(height, width)

    def apply(self, images, transformation):
        top, left = (int(v) for v in transformation)
        y = images[:, top : top + self.height, left : left + self.width, :]
        if tuple(y.shape[1:3]) != (self.height, self.width):
            y = ops.image.resize(
                y, (self.height, self.width), interpolation="bilinear", data_format="channels_last"
            )
        return y

    def apply_inference(self, images):
        return ops.image.resize(
            images,
            (self.height, self.width),
            interpolation="bilinear",
            crop_to_aspect_ratio=True,
            data_format="channels_last",
        )

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if self.data_format == "channels_first":
            shape[-2:] = [self.height, self.width]
        else:
            shape[-3:-1] = [self.height, self.width]
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
