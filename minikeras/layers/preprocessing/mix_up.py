"""`MixUp`: blends each image (and its label) with another image of the batch."""

import numpy as np

from ...core import ops
from .augmentation_base import ImageAugmentationLayer, as_array
from .label_mixing import LabelMixingMixin


class MixUp(LabelMixingMixin, ImageAugmentationLayer):
    """Mixes each image with a randomly chosen image of the same batch during training.

    As Keras 3 (Zhang et al., 2017): with a random permutation `p` of the batch and per-image
    weights `w ~ Beta(alpha, alpha)`, images become `w x + (1 - w) x[p]` and labels (when the
    input is a dict `{"images": ..., "labels": ...}`, labels one-hot or soft, `(batch, n)`)
    `w y + (1 - w) y[p]`. Called with images alone it returns images; with a dict, a dict.

    Args:
        alpha: the Beta distribution's parameter; small values mix little.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for a repeatable sequence of mixes.

    The transformation is `{"mix_weight": (batch,), "permutation_order": (batch,)}`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.MixUp(alpha=0.2, seed=1)
    >>> images, labels = np.zeros((4, 2, 2, 3)), np.eye(4)
    >>> out = layer({"images": images, "labels": labels})
    >>> np.allclose(out["labels"].numpy().sum(axis=1), 1.0)
    True
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.alpha = alpha

    def draw(self, rng, batch, height, width, channels):
        order = rng.permutation(batch).astype(np.int64)
        return {
            "mix_weight": rng.beta(self.alpha, self.alpha, size=batch).astype(np.float32),
            "permutation_order": order,
        }

    def apply(self, images, transformation):
        w = as_array(transformation["mix_weight"], images.dtype).reshape(-1, 1, 1, 1)
        order = as_array(transformation["permutation_order"]).astype(int)
        return w * images + (1.0 - w) * ops.take(images, order, axis=0)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
