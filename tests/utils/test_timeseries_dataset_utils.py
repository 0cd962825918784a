"""Tests for minikeras/utils/timeseries_dataset_utils.py: the windows and targets of Keras 3's
`timeseries_dataset_from_array`, checked against the examples in its docstring (written out
with numpy here) and its argument checks, and the dataset used as keras.io's weather
forecasting example uses it (`take`, `fit`, `evaluate`, `predict`)."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.utils import timeseries_dataset_from_array

pytestmark = pytest.mark.filterwarnings("error")


def batches(ds):
    return [tuple(t.numpy() for t in b) if isinstance(b, tuple) else b.numpy() for b in ds]


def test_docstring_example_1_strides_and_sampling_rate():
    """Indices 0..98, sequence_length=10, sampling_rate=2, sequence_stride=3: sequences
    [0 2 .. 18], [3 5 .. 21], [6 .. 24], ..., last [78 80 .. 96]."""
    ds = timeseries_dataset_from_array(
        np.arange(99), None, sequence_length=10, sampling_rate=2, sequence_stride=3, batch_size=4
    )
    x = np.concatenate(batches(ds))
    np.testing.assert_array_equal(x[0], np.arange(0, 20, 2))
    np.testing.assert_array_equal(x[1], np.arange(3, 23, 2))
    np.testing.assert_array_equal(x[2], np.arange(6, 26, 2))
    np.testing.assert_array_equal(x[-1], np.arange(78, 98, 2))
    assert len(x) == 27 and len(ds) == 7 and x.dtype == np.arange(99).dtype


def test_docstring_example_2_temporal_regression():
    """inputs data[:-10], targets data[10:]: window 0 is steps 0-9 and its target step 10."""
    data = np.random.default_rng(0).standard_normal((50, 3)).astype("float32")
    ds = timeseries_dataset_from_array(data[:-10], data[10:], sequence_length=10, batch_size=8)
    inputs, targets = next(iter(ds))
    np.testing.assert_array_equal(inputs.numpy()[0], data[:10])
    np.testing.assert_array_equal(targets.numpy()[0], data[10])
    x, y = (np.concatenate(part) for part in zip(*batches(ds)))
    assert x.shape == (31, 10, 3) and y.shape == (31, 3)  # 40 - 9 windows
    for i in (5, 30):
        np.testing.assert_array_equal(x[i], data[i : i + 10])
        np.testing.assert_array_equal(y[i], data[i + 10])


def test_docstring_example_3_many_to_many():
    """X = arange(100), Y = 2X, windows of 20 with stride 20: the second sample of the target
    dataset is steps 20-39 doubled."""
    x_ds = timeseries_dataset_from_array(
        np.arange(100), None, sequence_length=20, sequence_stride=20, batch_size=16
    )
    y_ds = timeseries_dataset_from_array(
        np.arange(100) * 2, None, sequence_length=20, sequence_stride=20, batch_size=16
    )
    for x, y in zip(x_ds, y_ds):
        np.testing.assert_array_equal(x.numpy()[1], np.arange(20, 40))
        np.testing.assert_array_equal(y.numpy()[1], np.arange(20, 40) * 2)
        assert x.shape == (5, 20)


def test_start_end_index_and_fewer_targets():
    """Only data[start:end] is windowed and targets are indexed from start_index too (Keras
    slices both); the window count is capped by the number of targets."""
    data = np.arange(30)
    ds = timeseries_dataset_from_array(
        data, data * 10, sequence_length=4, start_index=5, end_index=20, batch_size=None
    )
    items = batches(ds)
    assert len(items) == 12  # 15 steps - 3
    np.testing.assert_array_equal(items[0][0], [5, 6, 7, 8])
    assert items[0][1] == 50 and items[-1][1] == 160
    ds = timeseries_dataset_from_array(data, np.arange(3), sequence_length=4, batch_size=None)
    assert len(ds) == 3


def test_shuffle_with_seed_is_keras_permutation():
    """Keras shuffles the start positions with np.random.RandomState(seed); each window keeps
    its own target."""
    data = np.arange(40)
    ds = timeseries_dataset_from_array(
        data, data + 100, sequence_length=5, sequence_stride=2, shuffle=True, seed=7, batch_size=6
    )
    x, y = (np.concatenate(part) for part in zip(*batches(ds)))
    expected = np.arange(0, 36, 2)
    np.random.RandomState(7).shuffle(expected)
    np.testing.assert_array_equal(x[:, 0], expected)
    np.testing.assert_array_equal(y, expected + 100)


def test_take_fit_evaluate_predict_as_the_weather_example():
    """keras.io timeseries_weather_forecasting: `for batch in dataset.take(1)`, `.numpy()` on
    batch items, then fit/evaluate/predict straight on the datasets."""
    rng = np.random.default_rng(1)
    features = rng.standard_normal((120, 3)).astype("float32")
    train = timeseries_dataset_from_array(
        features[:80], features[8:88, [1]], sequence_length=4, sampling_rate=2, batch_size=16
    )
    val = timeseries_dataset_from_array(
        features[80:], features[88:, [1]], sequence_length=4, sampling_rate=2, batch_size=16
    )
    taken = list(train.take(1))
    assert len(taken) == 1 and len(train.take(100)) == len(train) == 5
    inputs, targets = taken[0]
    assert inputs.numpy().shape == (16, 4, 3) and targets.numpy().shape == (16, 1)
    x_in = keras.Input((inputs.shape[1], inputs.shape[2]))
    model = keras.Model(x_in, keras.layers.Dense(1)(keras.layers.LSTM(4)(x_in)))
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(train, epochs=2, validation_data=val, verbose=0)
    assert len(history.history["val_loss"]) == 2
    assert np.isfinite(model.evaluate(val, verbose=0))
    assert model.predict(train, verbose=0).shape == (74, 1)  # 80 - 3 * 2 windows
    for x, _y in val.take(2):
        assert x[0][:, 1].numpy().shape == (4,) and model.predict(x, verbose=0).shape == (16, 1)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"start_index": -1}, "start_index"),
        ({"start_index": 50}, "start_index"),
        ({"start_index": 5, "end_index": 3}, "end_index"),
        ({"end_index": 50}, "end_index"),
        ({"sampling_rate": 0}, "sampling_rate"),
        ({"sequence_stride": 50}, "sequence_stride"),
        ({"format": "torch"}, "format"),
    ],
)
def test_argument_errors_as_keras(kwargs, match):
    with pytest.raises(ValueError, match=match):
        timeseries_dataset_from_array(np.arange(20), None, 3, **kwargs)


def test_keras_preprocessing_names():
    """keras.io's weather example calls `keras.preprocessing.timeseries_dataset_from_array`;
    Keras 3 keeps these names in `keras.preprocessing` (and `.image`, `.sequence`)."""
    assert keras.preprocessing.timeseries_dataset_from_array is timeseries_dataset_from_array
    assert (
        keras.preprocessing.image_dataset_from_directory is keras.utils.image_dataset_from_directory
    )
    assert keras.preprocessing.sequence.pad_sequences is keras.utils.pad_sequences
    assert keras.preprocessing.image.img_to_array is keras.utils.img_to_array
