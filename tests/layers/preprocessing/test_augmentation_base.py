"""The shared frame of the Keras 3 augmentation layers: identity at inference, seeded repeats,
`get_random_transformation` / `transform_images`, 3-D / 4-D / channels-first inputs, and use as
the first layers of a keras.io `data_augmentation` Sequential."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.layers.preprocessing.augmentation_base import keras_factor

L = keras.layers

LAYERS = [
    (L.RandomBrightness, {"factor": 0.3}),
    (L.RandomGrayscale, {"factor": 0.5}),
    (L.RandomSaturation, {"factor": 0.7}),
    (L.RandomHue, {"factor": 0.4}),
    (L.RandomSharpness, {"factor": 0.8}),
    (L.Solarization, {"addition_factor": 0.3, "threshold_factor": 0.6}),
    (L.RandomShear, {"x_factor": 0.3, "y_factor": 0.2}),
    (L.RandomInvert, {"factor": (0.8, 1.0)}),
    (L.RandomPosterization, {"factor": 6}),
    (L.RandomColorDegeneration, {"factor": 0.6}),
    (L.RandomErasing, {"factor": (1.0, 1.0), "scale": (0.2, 0.5)}),
    (L.MixUp, {"alpha": 0.4}),
    (L.CutMix, {"factor": (0.5, 1.0)}),
    (L.RandomGaussianBlur, {"factor": (0.8, 1.0), "sigma": (0.5, 1.0)}),
    (L.RandomPerspective, {"factor": (0.8, 1.0), "scale": 0.5}),
    (L.RandomElasticTransform, {"factor": (0.8, 1.0), "scale": 0.5}),
    (L.RandAugment, {"num_ops": 3}),
    (L.AugMix, {"num_chains": 2}),
    (
        L.RandomColorJitter,
        {
            "brightness_factor": 0.2,
            "contrast_factor": 0.3,
            "saturation_factor": 0.6,
            "hue_factor": 0.2,
        },
    ),
]


def _images(shape=(4, 5, 6, 3), seed=0):
    return np.random.default_rng(seed).uniform(0, 255, shape).astype("float32")


@pytest.mark.parametrize("cls,kwargs", LAYERS, ids=lambda v: getattr(v, "__name__", ""))
def test_identity_at_inference_and_float_output(cls, kwargs):
    """Keras 3: the colour layers return their input unchanged unless training."""
    x = _images()
    layer = cls(**kwargs, seed=1)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
    out = layer(x.astype("uint8"), training=False)
    assert out.dtype == np.float32  # Keras's image layers output floats


@pytest.mark.parametrize("cls,kwargs", LAYERS, ids=lambda v: getattr(v, "__name__", ""))
def test_training_changes_images_and_seeds_repeat(cls, kwargs):
    x = _images()
    a, b = cls(**kwargs, seed=7), cls(**kwargs, seed=7)
    first = [np.asarray(a(x, training=True)) for _ in range(2)]
    second = [np.asarray(b(x, training=True)) for _ in range(2)]
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])  # the generator advances
    assert first[0].shape == x.shape and np.all(np.isfinite(first[0]))
    if cls is not L.RandomGrayscale:  # (grayscale may leave a whole batch untouched)
        assert not np.allclose(first[0], x)


@pytest.mark.parametrize("cls,kwargs", LAYERS, ids=lambda v: getattr(v, "__name__", ""))
def test_channels_first_and_single_images_match_channels_last(cls, kwargs):
    x = _images((2, 4, 5, 3))
    last = cls(**kwargs, seed=4)
    first = cls(**kwargs, seed=4, data_format="channels_first")
    y_last = np.asarray(last(x, training=True))
    y_first = np.asarray(first(np.moveaxis(x, -1, 1), training=True))
    np.testing.assert_allclose(np.moveaxis(y_first, 1, -1), y_last, rtol=1e-5, atol=1e-3)
    single = cls(**kwargs, seed=4)(x[0], training=True)
    assert single.shape == x[0].shape


@pytest.mark.parametrize(
    "cls,kwargs",
    [p for p in LAYERS if p[0] is not L.RandomColorJitter],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_transformation_api(cls, kwargs):
    """`transform_images(x, get_random_transformation(x))` is one training call; an int seed
    always draws the same transformation."""
    x = _images((3, 4, 4, 3))
    layer = cls(**kwargs, seed=9)
    t1 = layer.get_random_transformation(x, seed=123)
    t2 = layer.get_random_transformation(x, seed=123)
    pairs = zip(t1.values(), t2.values()) if isinstance(t1, dict) else [(t1, t2)]
    for a, b in pairs:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    y = np.asarray(layer.transform_images(x, t1))
    np.testing.assert_array_equal(np.asarray(layer.transform_images(x, t1)), y)
    np.testing.assert_array_equal(np.asarray(layer.transform_images(x, t1, training=False)), x)


def test_data_augmentation_sequential_in_a_model_fit():
    """keras.io's pattern: a data_augmentation Sequential as the first layers of a model."""
    aug = keras.Sequential(
        [
            L.RandomCrop(6, 6),
            L.RandomFlip("horizontal"),
            L.RandomBrightness(0.2),
            L.RandomGrayscale(0.3),
            L.RandomSaturation(0.6),
            L.RandomHue(0.1),
            L.RandomSharpness(0.5),
            L.Solarization(threshold_factor=0.8),
            L.RandomColorJitter(brightness_factor=0.1, contrast_factor=0.1),
            L.RandomShear(0.2),
            L.RandomInvert(0.1),
            L.RandomPosterization(6),
            L.RandomColorDegeneration(0.2),
            L.AutoContrast(),
        ]
    )
    inputs = keras.Input((8, 8, 3))
    x = aug(inputs)
    x = L.Rescaling(1 / 255.0)(x)
    outputs = L.Dense(2, activation="softmax")(L.GlobalAveragePooling2D()(x))
    model = keras.Model(inputs, outputs)
    model.compile("adam", "sparse_categorical_crossentropy")
    data = _images((8, 8, 8, 3))
    history = model.fit(data, np.arange(8) % 2, epochs=1, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert model.predict(data, verbose=0).shape == (8, 2)


def test_keras_factor_parsing():
    """Keras's `_set_factor`: f -> (max(-f, low), f); pairs sorted; out of range refused."""
    assert keras_factor(0.3, "factor") == (-0.3, 0.3)
    assert keras_factor(0.3, "factor", 0.0, 1.0) == (0.0, 0.3)
    assert keras_factor([0.6, 0.2], "factor") == (0.2, 0.6)
    for bad in (1.5, (0.1, 0.2, 0.3), "x", (-2, 0.5)):
        with pytest.raises(ValueError, match="factor"):
            keras_factor(bad, "factor")
