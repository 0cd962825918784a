"""Dict inputs `{"images": ..., "labels": ...}` for the layers that mix images of a batch
(`MixUp`, `CutMix`): the labels are mixed with the weights the images were mixed with."""

from ...core import ops
from .augmentation_base import as_array


class LabelMixingMixin:
    """Adds Keras 3's dict form to an `ImageAugmentationLayer` whose transformation has
    `"mix_weight"` and `"permutation_order"`: `layer({"images": x, "labels": y})` returns the
    same dict with mixed images and labels `w y + (1 - w) y[permutation]` (when training)."""

    def call(self, inputs, training=True):
        if not isinstance(inputs, dict):
            return super().call(inputs, training=training)
        data = self._check_keys(inputs)
        images = ops.convert_to_tensor(data["images"])
        if images.dtype.kind != "f":
            images = ops.cast(images, self.compute_dtype)
        transformation = self.get_random_transformation(images, training=training)
        out = dict(data)
        out["images"] = self.transform_images(images, transformation, training=training)
        if "labels" in data:
            out["labels"] = self.transform_labels(data["labels"], transformation, training)
        return out

    def get_random_transformation(self, data, training=True, seed=None):
        if isinstance(data, dict):
            data = self._check_keys(data)["images"]
        return super().get_random_transformation(data, training=training, seed=seed)

    def transform_labels(self, labels, transformation, training=True):
        """Mixes `(batch, n)` labels as the images: `w y + (1 - w) y[permutation]`."""
        y = ops.convert_to_tensor(labels)
        if y.dtype.kind != "f":
            y = ops.cast(y, self.compute_dtype)
        if not training or transformation is None:
            return y
        w = as_array(transformation["mix_weight"], y.dtype).reshape((-1,) + (1,) * (y.ndim - 1))
        order = as_array(transformation["permutation_order"]).astype(int)
        return w * y + (1.0 - w) * ops.take(y, order, axis=0)

    def _check_keys(self, data):
        if "images" not in data:
            raise ValueError(
                f"{type(self).__name__} ('{self.name}'): a dict input needs an 'images' key. "
                f"Received keys: {sorted(data)}"
            )
        other = sorted(set(data) - {"images", "labels"})
        if other:
            raise NotImplementedError(
                f"{type(self).__name__} ('{self.name}') received a dict with keys {other}; "
                "minikeras supports only 'images' and 'labels' (bounding boxes and "
                "segmentation masks are not supported)."
            )
        return data
