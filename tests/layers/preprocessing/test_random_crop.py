"""RandomCrop: random window in training, Keras's fallback for small inputs, centre crop at
inference (Keras's documented behaviour), against numpy slices and real Keras 3 outputs."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("RandomCrop"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15: fallback windows and resizes in training, explicit windows, and
    `ops.image.resize(crop_to_aspect_ratio=True)` (the inference crop Keras documents)."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-4)


def test_training_window_is_a_slice_shared_by_the_batch():
    """Keras draws one (top, left) per call, uniform over the valid offsets."""
    x = np.random.default_rng(0).uniform(size=(3, 9, 10, 2)).astype("float32")
    layer = keras.layers.RandomCrop(4, 5, seed=11)
    seen = set()
    for _ in range(60):
        top, left = layer.get_random_transformation(x)
        assert 0 <= top <= 5 and 0 <= left <= 5
        seen.add((top, left))
        y = np.asarray(layer.transform_images(x, (top, left)))
        np.testing.assert_array_equal(y, x[:, top : top + 4, left : left + 5])
    assert len(seen) > 15  # the window moves
    y = np.asarray(layer(x, training=True))
    assert y.shape == (3, 4, 5, 2)
    assert any((y == x[:, t : t + 4, l : l + 5]).all() for t in range(6) for l in range(6))


def test_inference_is_the_centred_aspect_window_resized():
    """Keras's docstring (and tf.keras 2): largest centred window of the target aspect ratio,
    resized; here 6 x 8 -> 3 x 3 takes columns 1..6, and a 2x downscale averages 2 x 2 blocks."""
    x = np.arange(48.0, dtype="float32").reshape(1, 6, 8, 1)
    y = np.asarray(keras.layers.RandomCrop(3, 3)(x, training=False))
    window = x[0, :, 1:7, 0]
    expected = window.reshape(3, 2, 3, 2).mean(axis=(1, 3))
    np.testing.assert_allclose(y[0, :, :, 0], expected, rtol=1e-6)


def test_single_image_channels_first_and_models():
    x = np.random.default_rng(1).uniform(size=(2, 3, 7, 9)).astype("float32")  # channels first
    layer = keras.layers.RandomCrop(4, 5, seed=2, data_format="channels_first")
    assert layer(x, training=True).shape == (2, 3, 4, 5)
    assert layer(x[0], training=True).shape == (3, 4, 5)
    assert layer(x).shape == (2, 3, 4, 5)
    assert layer.compute_output_shape((None, 3, 7, 9)) == (None, 3, 4, 5)
    aug = keras.Sequential(
        [
            keras.Input((7, 9, 3)),
            keras.layers.RandomFlip("horizontal"),
            keras.layers.RandomCrop(4, 5),
        ]
    )
    assert aug.output_shape == (None, 4, 5, 3)
    inputs = keras.Input((7, 9, 3))
    outputs = keras.layers.Flatten()(keras.layers.RandomCrop(4, 4)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(2)(outputs))
    assert model.predict(np.zeros((2, 7, 9, 3), "float32"), verbose=0).shape == (2, 2)


def test_config_gradient_and_errors():
    run_layer_test(
        keras.layers.RandomCrop,
        {"height": 3, "width": 2, "seed": 1},
        input_shape=(2, 5, 4, 2),
        expected_output_shape=(2, 3, 2, 2),
    )
    layer = keras.layers.RandomCrop(3, 2, seed=5)
    assert {"height": 3, "width": 2, "seed": 5, "data_format": "channels_last"}.items() <= (
        layer.get_config().items()
    )
    with pytest.raises(ValueError, match="height"):
        keras.layers.RandomCrop(0, 2)
    with pytest.raises(NotImplementedError, match="bounding boxes"):
        layer({"images": np.zeros((1, 4, 4, 3)), "bounding_boxes": {}}, training=True)
