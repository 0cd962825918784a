"""Tests for minikeras/layers/preprocessing/max_num_bounding_boxes.py: outputs observed with
Keras 3.15.1 (jax): boxes and labels padded with fill_value or truncated to max_number, batched
and unbatched, images and other keys unchanged, Keras's error without a box format."""

import numpy as np
import pytest

import minikeras as keras
from helpers_saving import check_saving_roundtrip

BOXES = np.arange(24, dtype="float32").reshape(2, 3, 4)
LABELS = np.array([[1, 2, 3], [4, 5, 6]], "int32")
IMAGES = np.random.default_rng(0).integers(0, 255, (2, 8, 8, 3)).astype("float32")


def call(layer, boxes=BOXES, box_labels=LABELS, images=IMAGES, **extra):
    bounding_boxes = {"boxes": boxes, "labels": box_labels}
    return layer({"images": images, "bounding_boxes": bounding_boxes, **extra})


def test_pads_with_fill_value():
    out = call(keras.layers.MaxNumBoundingBoxes(4, bounding_box_format="xyxy"))
    boxes, labels = out["bounding_boxes"]["boxes"].numpy(), out["bounding_boxes"]["labels"].numpy()
    np.testing.assert_array_equal(boxes[:, :3], BOXES)
    np.testing.assert_array_equal(boxes[:, 3], -1.0)
    assert labels.tolist() == [[1, 2, 3, -1], [4, 5, 6, -1]]
    np.testing.assert_array_equal(out["images"].numpy(), IMAGES)


def test_truncates_unbatched_and_passes_other_keys():
    out = call(keras.layers.MaxNumBoundingBoxes(2, bounding_box_format="xyxy"))
    assert out["bounding_boxes"]["labels"].numpy().tolist() == [[1, 2], [4, 5]]
    np.testing.assert_array_equal(out["bounding_boxes"]["boxes"].numpy(), BOXES[:, :2])
    layer = keras.layers.MaxNumBoundingBoxes(4, fill_value=0, bounding_box_format="xyxy")
    one = call(layer, BOXES[0], LABELS[0], IMAGES[0], labels=np.array([1]))
    assert one["bounding_boxes"]["labels"].numpy().tolist() == [1, 2, 3, 0]
    assert one["labels"].numpy().tolist() == [1]
    np.testing.assert_array_equal(layer(IMAGES).numpy(), IMAGES)


def test_errors_config_and_saving():
    with pytest.raises(ValueError, match="didn't specify a bounding box format"):
        call(keras.layers.MaxNumBoundingBoxes(4))
    config = keras.layers.MaxNumBoundingBoxes(5, fill_value=0).get_config()
    assert config["max_number"] == 5 and config["bounding_box_format"] is None
    again = keras.layers.MaxNumBoundingBoxes.from_config(config)
    assert again.fill_value == 0  # minikeras saves fill_value (Keras 3.15.1 drops it)
    check_saving_roundtrip(keras.layers.MaxNumBoundingBoxes, {"max_number": 3}, IMAGES, {})
