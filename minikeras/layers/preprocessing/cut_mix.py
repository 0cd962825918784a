"""`CutMix`: pastes a random box of another image of the batch into each image."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array, keras_factor
from .label_mixing import LabelMixingMixin


class CutMix(LabelMixingMixin, ImageAugmentationLayer):
    """Replaces a random box of each image by the same box of another image during training.

    As Keras 3 (Yun et al., 2019), per batch: `a ~ U(factor) + 1e-6`; per image
    `lam ~ Beta(a, a)`, a box of (fractional) sides `sqrt(1 - lam) * (w, h)` at offsets
    `U(0, 1) * (side_left_over)`, covering the pixels whose integer (x, y) lie in
    `[x0, x1) x [y0, y1)`, filled from image `permutation[i]`. Labels (dict input
    `{"images", "labels"}`) mix by `mix_weight = 1 - box area / image area`:
    `mix_weight * y + (1 - mix_weight) * y[permutation]`. A single (3-D) image is returned
    unchanged, as in Keras.

    Args:
        factor: a number f in [0, 1] (a ~ U(0, f)) or a pair within [0, 1].
        seed: an int for a repeatable sequence of boxes.
        data_format: "channels_last" (default) or "channels_first".

    The transformation is `{"permutation_order": (batch,), "batch_masks": bool, the images'
    shape in their layout, "mix_weight": (batch, 1, 1, 1)}`, or None for a single image.

    >>> import numpy as np, minikeras as keras
    >>> x = np.stack([np.zeros((4, 4, 1)), np.ones((4, 4, 1))])
    >>> t = {"permutation_order": np.array([1, 0]),
    ...      "batch_masks": np.zeros((2, 4, 4, 1), bool), "mix_weight": np.ones((2, 1, 1, 1))}
    >>> t["batch_masks"][0, :2, :2] = True
    >>> keras.layers.CutMix().transform_images(x, t).numpy()[0, ..., 0].tolist()[:2]
    [[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]
    """

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(factor, "factor", 0.0, 1.0)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        if not training or len(images.shape) == 3:
            return None
        return super().get_random_transformation(data, training=training, seed=seed)

    def draw(self, rng, batch, height, width, channels):
        a = np.float32(rng.uniform(self.factor[0], self.factor[1])) + np.float32(1e-6)
        lam = rng.beta(a, a, size=batch).astype(np.float32)
        ratio = np.sqrt(np.float32(1.0) - lam)

        def bounds(length):
            crop = (ratio * np.float32(length)).astype(np.float32)
            start = rng.uniform(size=batch).astype(np.float32) * (np.float32(length) - crop)
            return start, start + crop

        x0, x1 = bounds(width)
        y0, y1 = bounds(height)
        gy, gx = np.meshgrid(
            np.arange(height, dtype=np.float32), np.arange(width, dtype=np.float32), indexing="ij"
        )
        box = lambda v: v[:, None, None, None]  # noqa: E731
        inside = (
            (gx[None, :, :, None] >= box(x0))
            & (gx[None, :, :, None] < box(x1))
            & (gy[None, :, :, None] >= box(y0))
            & (gy[None, :, :, None] < box(y1))
        )
        masks = np.repeat(inside, channels, axis=-1)
        if self.data_format == "channels_first":
            masks = np.moveaxis(masks, -1, 1)
        mix_weight = 1.0 - box((x1 - x0) * (y1 - y0)) / np.float32(width * height)
        order = rng.permutation(batch).astype(np.int32)
        return {
            "permutation_order": order,
            "batch_masks": masks,
            "mix_weight": mix_weight.astype(np.float32),
        }

    def apply(self, images, transformation):
        if transformation is None:
            return images
        masks = as_array(transformation["batch_masks"]).astype(bool)
        if self.data_format == "channels_first":  # the transformation is in the data's layout
            masks = np.moveaxis(masks, -3, -1)
        order = as_array(transformation["permutation_order"]).astype(int)
        return ops.where(masks, ops.take(images, order, axis=0), images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
