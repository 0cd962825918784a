"""`MaxNumBoundingBoxes`: pads or truncates a batch's bounding boxes to a fixed number."""

from ...core import ops
from ..convolutional.conv_utils import standardize_data_format
from ..layer import Layer


class MaxNumBoundingBoxes(Layer):
    """Pads or truncates each image's bounding boxes and labels to exactly `max_number`.

    As Keras 3's layer, extra boxes are dropped and missing ones are filled with `fill_value`
    (boxes and labels alike). It takes Keras's detection dict `{"images", "bounding_boxes": {"boxes", "labels"}, ...}`
    (`boxes` `(batch, n, 4)`, `labels` `(batch, n)`, or unbatched without the first axis) and
    returns it with the boxes and labels resized; images, top-level `labels` and segmentation
    masks pass unchanged, and a plain image tensor is returned as is. The box coordinates are
    not read, so no format conversion is involved; as in Keras a dict needs
    `bounding_box_format`. minikeras's other image layers do not transform boxes.

    Args:
        max_number: the number of boxes per image in the output.
        fill_value: the value of padded boxes and labels (-1).
        bounding_box_format: the boxes' format name ("xyxy", ...), required for dict inputs.
        data_format: "channels_last" (default from the config) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.MaxNumBoundingBoxes(3, bounding_box_format="xyxy")
    >>> boxes = {"boxes": np.ones((1, 1, 4)), "labels": np.array([[7]])}
    >>> out = layer({"images": np.zeros((1, 4, 4, 3)), "bounding_boxes": boxes})
    >>> out["bounding_boxes"]["labels"].numpy().tolist()
    [[7, -1, -1]]
    """

    _converts_python_values = (
        True  # Python numbers and lists of them as input, as Keras 3's DataLayer
    )

    def __init__(
        self, max_number, fill_value=-1, bounding_box_format=None, data_format=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)
        self.bounding_box_format = bounding_box_format
        self.data_format = standardize_data_format(data_format)
        self.autocast = False  # boxes, integer labels and images keep their dtypes

    def call(self, data):
        if not isinstance(data, dict):
            return data
        if "bounding_boxes" in data and self.bounding_box_format is None:
            raise ValueError(
                "You passed an input with a 'bounding_boxes' key, but you didn't specify a "
                "bounding box format. Pass a `bounding_box_format` argument to your "
                f"{type(self).__name__} layer, e.g. `bounding_box_format='xyxy'`."
            )
        out = dict(data)
        if "bounding_boxes" in data:
            boxes = {**data["bounding_boxes"]}
            unknown = set(boxes) - {"boxes", "labels"}
            if unknown:
                raise KeyError(
                    f"There are unsupported keys in `bounding_boxes`: {sorted(unknown)}. "
                    "Only `boxes` and `labels` are supported."
                )
            boxes["boxes"] = self._fit(boxes["boxes"], extra=1)
            boxes["labels"] = self._fit(boxes["labels"], extra=0)
            out["bounding_boxes"] = boxes
        return out

    def _fit(self, x, extra):
        """Truncates or pads (with fill_value) the box axis: the one before `extra` last axes."""
        axis = len(x.shape) - 1 - extra
        x = ops.take(x, list(range(min(x.shape[axis], self.max_number))), axis=axis)
        pad = [(0, 0)] * len(x.shape)
        pad[axis] = (0, self.max_number - x.shape[axis])
        return ops.pad(x, pad, constant_values=self.fill_value)

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            shapes = dict(input_shape)
            boxes = dict(shapes["bounding_boxes"])
            for key, extra in (("boxes", 1), ("labels", 0)):
                shape = list(boxes[key])
                shape[len(shape) - 1 - extra] = self.max_number
                boxes[key] = tuple(shape)
            shapes["bounding_boxes"] = boxes
            return shapes
        return input_shape

    def get_config(self):
        # Keras 3.15.1 leaves fill_value out of its config (so it resets to -1 on loading);
        # minikeras stores it
        return {
            **super().get_config(),
            "data_format": self.data_format,
            "bounding_box_format": self.bounding_box_format,
            "max_number": self.max_number,
            "fill_value": self.fill_value,
        }
