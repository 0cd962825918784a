"""Rescaling, Normalization, Resizing and CenterCrop against numpy references."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test

L = keras.layers


# -- Rescaling ------------------------------------------------------------------------------------


def test_rescaling_scale_and_offset():
    x = np.array([[0, 128, 255]], "uint8")
    y = L.Rescaling(1 / 127.5, offset=-1.0)(x)
    assert y.dtype == np.float32
    np.testing.assert_allclose(np.asarray(y), x / 127.5 - 1.0, atol=1e-6)
    per_channel = L.Rescaling([1.0, 2.0, 3.0], offset=[0.0, 1.0, 2.0], dtype="float64")
    xc = randn(2, 2, 3)
    np.testing.assert_allclose(
        np.asarray(per_channel(xc)), xc * np.array([1, 2, 3]) + np.array([0, 1, 2]), rtol=1e-12
    )
    run_layer_test(
        L.Rescaling,
        {"scale": 0.5, "offset": 2.0},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
    )
    assert per_channel.get_config()["scale"] == [1.0, 2.0, 3.0]


# -- Normalization --------------------------------------------------------------------------------


def test_normalization_adapt_matches_numpy():
    data = randn(50, 4) * np.array([1.0, 2.0, 3.0, 4.0]) + np.array([0.0, 1.0, -2.0, 5.0])
    layer = L.Normalization(dtype="float64")
    layer.adapt(data)
    np.testing.assert_allclose(layer.adapt_mean.numpy(), data.mean(0), rtol=1e-12)
    np.testing.assert_allclose(layer.adapt_variance.numpy(), data.var(0), rtol=1e-12)
    x = randn(3, 4, seed=7)
    np.testing.assert_allclose(np.asarray(layer(x)), (x - data.mean(0)) / data.std(0), rtol=1e-12)
    assert [v.name for v in layer.weights] == ["mean", "variance", "count"]
    assert layer.trainable_weights == []


def test_normalization_adapt_in_batches_and_axes():
    data = randn(30, 2, 3) * 2 + 1
    batches = [data[:7], data[7:19], data[19:]]
    layer = L.Normalization(axis=(1, 2), dtype="float64")
    layer.adapt(batches)
    np.testing.assert_allclose(layer.adapt_mean.numpy(), data.mean(0), rtol=1e-10)
    np.testing.assert_allclose(layer.adapt_variance.numpy(), data.var(0), rtol=1e-10)
    scalar = L.Normalization(axis=None, dtype="float64")
    scalar.adapt(data)
    np.testing.assert_allclose(
        np.asarray(scalar(data)), (data - data.mean()) / data.std(), rtol=1e-10
    )


def test_normalization_mean_and_variance_attributes():
    # keras.io generative/ddim denormalizes with `normalizer.mean + x * normalizer.variance**0.5`;
    # Keras 3.15.1: None before build, then tensors in the broadcast shape and compute dtype
    layer = L.Normalization(axis=-1)
    assert layer.mean is None and layer.variance is None
    data = np.arange(24.0).reshape(2, 4, 3)
    layer.adapt(data)
    assert tuple(layer.mean.shape) == (1, 1, 3) and layer.mean.dtype == "float32"
    np.testing.assert_allclose(np.asarray(layer.mean), [[[10.5, 11.5, 12.5]]])
    np.testing.assert_allclose(np.asarray(layer.variance), np.full((1, 1, 3), 47.25))
    x = np.asarray(layer(data[:1]))
    np.testing.assert_allclose(
        np.asarray(layer.mean + x * layer.variance**0.5), data[:1], rtol=1e-6
    )
    given = L.Normalization(mean=2.0, variance=4.0)
    given.build((None, 3))
    np.testing.assert_allclose(np.asarray(given.mean), [[2.0, 2.0, 2.0]])


def test_normalization_given_stats_invert_and_config():
    layer = L.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0], dtype="float64")
    x = randn(3, 2)
    np.testing.assert_allclose(
        np.asarray(layer(x)), (x - [1, 2]) / np.array([2.0, 3.0]), rtol=1e-12
    )
    inv = L.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0], invert=True, dtype="float64")
    np.testing.assert_allclose(np.asarray(inv(x)), x * [2.0, 3.0] + [1, 2], rtol=1e-12)
    config = layer.get_config()
    assert config["mean"] == [1.0, 2.0] and config["axis"] == (-1,)  # Keras 3.15.1: a tuple
    assert L.Normalization(axis=None).get_config()["axis"] == ()
    assert L.Normalization(axis=[1, 2]).get_config()["axis"] == (1, 2)
    run_layer_test(
        L.Normalization,
        {"mean": 0.5, "variance": 2.0},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
    )
    zero_var = L.Normalization(mean=0.0, variance=0.0)
    assert np.all(np.isfinite(np.asarray(zero_var(np.ones((2, 2), "float32")))))
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        L.Normalization(mean=1.0)


# -- Resizing and CenterCrop ----------------------------------------------------------------------


def resize_ref(x, out_h, out_w, method):
    """Keras's half-pixel convention per output pixel, written out: bilinear blends the four
    neighbours of (o + 0.5) * in / out - 0.5 (clamped); nearest takes floor((o + 0.5) * in/out)."""
    b, h, w, c = x.shape
    y = np.zeros((b, out_h, out_w, c))
    for i in range(out_h):
        for j in range(out_w):
            if method == "nearest":
                r = min(int(np.floor((i + 0.5) * h / out_h)), h - 1)
                q = min(int(np.floor((j + 0.5) * w / out_w)), w - 1)
                y[:, i, j] = x[:, r, q]
                continue
            sy = max((i + 0.5) * h / out_h - 0.5, 0.0)
            sx = max((j + 0.5) * w / out_w - 0.5, 0.0)
            y0, x0 = int(sy), int(sx)
            y1, x1 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
            fy, fx = sy - y0, sx - x0
            y[:, i, j] = (
                (1 - fy) * (1 - fx) * x[:, y0, x0]
                + (1 - fy) * fx * x[:, y0, x1]
                + fy * (1 - fx) * x[:, y1, x0]
                + fy * fx * x[:, y1, x1]
            )
    return y


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
@pytest.mark.parametrize("size", [(7, 9), (3, 2), (5, 4)])
def test_resizing_matches_half_pixel_reference(method, size):
    x = randn(2, 5, 4, 3)
    y = np.asarray(L.Resizing(*size, interpolation=method, dtype="float64")(x))
    np.testing.assert_allclose(y, resize_ref(x, *size, method), rtol=1e-12, atol=1e-12)


def test_resizing_single_image_channels_first_and_ints():
    x = randn(5, 4, 3)
    y = np.asarray(L.Resizing(3, 6, dtype="float64")(x))
    np.testing.assert_allclose(y, resize_ref(x[None], 3, 6, "bilinear")[0], rtol=1e-12)
    xf = randn(2, 3, 5, 4)
    yf = np.asarray(L.Resizing(3, 6, data_format="channels_first", dtype="float64")(xf))
    ref = resize_ref(np.moveaxis(xf, 1, -1), 3, 6, "bilinear")
    np.testing.assert_allclose(yf, np.moveaxis(ref, -1, 1), rtol=1e-12)
    img = np.arange(16, dtype="uint8").reshape(1, 4, 4, 1) * 16
    out = L.Resizing(2, 2)(img)
    assert out.dtype == np.uint8
    expected = np.round(resize_ref(img.astype(float), 2, 2, "bilinear"))
    np.testing.assert_array_equal(np.asarray(out), expected)


def test_resizing_aspect_ratio_crop_and_pad():
    x = randn(1, 4, 8, 1)
    crop = np.asarray(L.Resizing(2, 2, crop_to_aspect_ratio=True, dtype="float64")(x))
    # the largest centred square window is columns 2..5
    np.testing.assert_allclose(crop, resize_ref(x[:, :, 2:6], 2, 2, "bilinear"), rtol=1e-12)
    pad = np.asarray(L.Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=0.5, dtype="float64")(x))
    padded = np.pad(x, [(0, 0), (2, 2), (0, 0), (0, 0)], constant_values=0.5)  # 8 x 8
    np.testing.assert_allclose(pad, resize_ref(padded, 4, 4, "bilinear"), rtol=1e-12)


def test_resizing_layer_test_and_errors():
    run_layer_test(
        L.Resizing,
        {"height": 3, "width": 5},
        input_shape=(2, 4, 4, 2),
        expected_output_shape=(2, 3, 5, 2),
    )
    with pytest.raises(ValueError, match="interpolation"):
        L.Resizing(2, 2, interpolation="lanczos7")
    with pytest.raises(ValueError, match=r"'rs'.*rank 3.*or 4.*\(4, 4\)"):
        L.Resizing(2, 2, name="rs")(np.ones((4, 4), "float32"))


def keras_resize_cases(fn):
    """(input, kwargs, Keras 3 output) of `tests/data/keras/resize_k3.npz` for layer `fn`
    (made by `make_resize_fixtures.py`: Keras 3.15.1 on jax, on TensorFlow for "area")."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras", "resize_k3.npz")
    with np.load(path) as data:
        cases = [(json.loads(str(data[k])), k[4:]) for k in data.files if k.startswith("args")]
        return [
            pytest.param(data["x_" + c["x"]], c["kwargs"], data["y" + i], id=f"{i}-{c['x']}")
            for c, i in cases
            if c["fn"] == fn
        ]


@pytest.mark.parametrize("x,kwargs,expected", keras_resize_cases("Resizing"))
def test_resizing_matches_keras(x, kwargs, expected):
    """Every interpolation, antialias, crop and odd-total padding (floor(total / 2) each side,
    as Keras), uint8 in and out: Keras 3's outputs within 1e-5 (integers exactly)."""
    y = np.asarray(L.Resizing(**kwargs)(x))
    assert y.dtype == expected.dtype
    np.testing.assert_allclose(y.astype(float), expected.astype(float), rtol=0, atol=1e-5)


def test_resizing_pads_floor_half_on_each_side():
    """Observed with Keras 3.15.1 (jax): Resizing(5, 5, pad_to_aspect_ratio=True) of a 2 x 5
    image pads one fill row above and one below (floor(3 / 2)), then resizes 4 x 5 -> 5 x 5."""
    x = np.arange(1.0, 11.0, dtype="float32").reshape(2, 5, 1)
    y = L.Resizing(5, 5, "nearest", pad_to_aspect_ratio=True, fill_value=-1.0)(x)
    row0, row1, fill = [1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [-1] * 5
    np.testing.assert_array_equal(np.asarray(y)[..., 0], [fill, row0, row1, row1, fill])


def test_resizing_antialias_bicubic_layer_test():
    run_layer_test(
        L.Resizing,
        {"height": 3, "width": 2, "interpolation": "bicubic", "antialias": True},
        input_shape=(2, 5, 4, 2),
        expected_output_shape=(2, 3, 2, 2),
    )
    assert L.Resizing(2, 2, antialias=True).get_config()["antialias"] is True
    with pytest.raises(ValueError, match="fill_mode='reflect'"):
        L.Resizing(2, 2, fill_mode="reflect")


def test_center_crop():
    x = randn(2, 6, 7, 3)
    y = np.asarray(L.CenterCrop(3, 4, dtype="float64")(x))
    np.testing.assert_array_equal(y, x[:, 1:4, 1:5])  # start int((size - target) / 2)
    single = np.asarray(L.CenterCrop(2, 2, dtype="float64")(x[0]))
    np.testing.assert_array_equal(single, x[0, 2:4, 2:4])
    # smaller than the target: crop to the aspect ratio, then resize (bilinear)
    small = randn(1, 4, 6, 1)
    up = np.asarray(L.CenterCrop(8, 8, dtype="float64")(small))
    np.testing.assert_allclose(up, resize_ref(small[:, :, 1:5], 8, 8, "bilinear"), rtol=1e-12)
    assert L.CenterCrop(2, 2)(np.ones((1, 4, 4, 1), "uint8")).dtype == np.float32
    run_layer_test(
        L.CenterCrop,
        {"height": 2, "width": 3},
        input_shape=(2, 4, 4, 2),
        expected_output_shape=(2, 2, 3, 2),
    )


def test_resize_and_crop_output_shapes():
    assert L.Resizing(3, 5).compute_output_shape((None, 8, 8, 2)) == (None, 3, 5, 2)
    assert L.Resizing(3, 5, data_format="channels_first").compute_output_shape((2, 8, 8)) == (
        2,
        3,
        5,
    )
    assert L.CenterCrop(2, 4).compute_output_shape((7, 7, 3)) == (2, 4, 3)
