"""`RandomErasing`: fills a random rectangle of some images with noise or a constant."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, keras_factor


class RandomErasing(ImageAugmentationLayer):
    """Randomly erases a rectangle of each image during training (Zhong et al., 2017).

    As Keras 3, per image: the box's width is `sqrt(a) * W` and its height `sqrt(b) * H` with
    a, b uniform in `scale`; its corner is uniform over the positions that keep it inside; the
    image is erased when a uniform draw in [0, 1) falls below p, uniform in the factor range.
    Erased pixels take `fill_value` (a number, or one per RGB channel), or by default Gaussian
    noise times `value_range[1]`; either is clipped to `value_range`.

    Args:
        factor: a number f in [0, 1] (p in [0, f]) or a pair within [0, 1].
        scale: a number s in [0, 1] (range [0, s]) or a pair: the box's area fraction range per
            side, squared.
        fill_value: None (noise), a number, or a list of three numbers.
        value_range: (low, high) of the pixel values.
        seed: an int for a repeatable sequence of boxes.
        data_format: "channels_last" (default) or "channels_first".

    The transformation is `{"apply_erasing": (batch,) bool, "batch_masks": bool, same shape as
    the images, "fill_value": the fill, same shape as the images}`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.RandomErasing((1.0, 1.0), scale=(1.0, 1.0), fill_value=7)
    >>> layer(np.zeros((1, 2, 2, 1)), training=True).numpy().ravel().tolist()
    [7.0, 7.0, 7.0, 7.0]
    """

    def __init__(
        self,
        factor=1.0,
        scale=(0.02, 0.33),
        fill_value=None,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)
        self.scale = keras_factor(scale, "scale", 0.0, 1.0)
        if fill_value is not None and not (
            isinstance(fill_value, (int, float))
            or (isinstance(fill_value, (list, tuple)) and len(fill_value) == 3)
        ):
            raise ValueError(
                "The `fill_value` argument should be a number (or a list of three numbers). "
                f"Received: fill_value={fill_value!r}"
            )
        self.fill_value = fill_value
        self.value_range = value_range

    def draw(self, rng, batch, height, width, channels):
        side = np.sqrt(rng.uniform(self.scale[0], self.scale[1], (batch, 2)))
        bounds = []
        for length, size in ((side[:, 0] * width, width), (side[:, 1] * height, height)):
            start = rng.uniform(0.0, 1.0, batch) * (size - length)
            bounds.append((start, start + length))
        (x0, x1), (y0, y1) = bounds
        ys = np.arange(height).reshape(1, height, 1, 1)
        xs = np.arange(width).reshape(1, 1, width, 1)
        col = lambda v: v.reshape(batch, 1, 1, 1)  # noqa: E731
        masks = (xs >= col(x0)) & (xs < col(x1)) & (ys >= col(y0)) & (ys < col(y1))
        masks = np.repeat(masks, channels, axis=-1)  # (batch, h, w, c)
        probability = rng.uniform(self.factor[0], self.factor[1], batch)
        apply = rng.uniform(0.0, 1.0, batch) < probability
        if self.fill_value is None:
            fill = rng.standard_normal(masks.shape) * self.value_range[1]
        else:
            fill = np.broadcast_to(np.asarray(self.fill_value, np.float64), masks.shape)
        fill = np.clip(fill, self.value_range[0], self.value_range[1])
        if self.data_format == "channels_first":
            masks, fill = np.moveaxis(masks, -1, 1), np.moveaxis(fill, -1, 1)
        return {"apply_erasing": apply, "batch_masks": masks, "fill_value": fill}

    def apply(self, images, transformation):
        if transformation is None:
            return images
        masks = as_array(transformation["batch_masks"], bool)
        fill = as_array(transformation["fill_value"], images.dtype)
        if self.data_format == "channels_first":  # the transformation is in the data's layout
            masks, fill = np.moveaxis(masks, -3, -1), np.moveaxis(fill, -3, -1)
        apply = as_array(transformation["apply_erasing"], bool).reshape(-1, 1, 1, 1)
        return ops.where(apply & masks, np.broadcast_to(fill, images.shape), images)

    def get_config(self):
        def plain(v):
            return list(v) if isinstance(v, tuple) else v

        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "fill_value": plain(self.fill_value),
            "value_range": plain(self.value_range),
        }
