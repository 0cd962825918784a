"""ZeroPadding, Cropping, UpSampling and SpatialDropout layers against numpy."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test

L = keras.layers


# -- zero padding ---------------------------------------------------------------------------------


def test_zero_padding_1d_2d_3d():
    x = randn(2, 3, 2)
    y = np.asarray(L.ZeroPadding1D((1, 2), dtype="float64")(x))
    np.testing.assert_array_equal(y, np.pad(x, [(0, 0), (1, 2), (0, 0)]))
    x2 = randn(2, 3, 4, 2)
    y2 = np.asarray(L.ZeroPadding2D(((1, 0), (2, 1)), dtype="float64")(x2))
    np.testing.assert_array_equal(y2, np.pad(x2, [(0, 0), (1, 0), (2, 1), (0, 0)]))
    y2s = np.asarray(L.ZeroPadding2D((1, 2), dtype="float64")(x2))
    np.testing.assert_array_equal(y2s, np.pad(x2, [(0, 0), (1, 1), (2, 2), (0, 0)]))
    cf = np.asarray(L.ZeroPadding2D(1, data_format="channels_first", dtype="float64")(x2))
    np.testing.assert_array_equal(cf, np.pad(x2, [(0, 0), (0, 0), (1, 1), (1, 1)]))
    x3 = randn(1, 2, 2, 2, 1)
    y3 = np.asarray(L.ZeroPadding3D(dtype="float64")(x3))
    np.testing.assert_array_equal(y3, np.pad(x3, [(0, 0), (1, 1), (1, 1), (1, 1), (0, 0)]))


@pytest.mark.parametrize(
    "cls,kwargs,shape,expected",
    [
        (L.ZeroPadding1D, {"padding": 2}, (2, 3, 2), (2, 7, 2)),
        (L.ZeroPadding2D, {"padding": ((1, 0), (0, 2))}, (2, 3, 3, 2), (2, 4, 5, 2)),
        (L.ZeroPadding3D, {"padding": 1}, (1, 2, 2, 2, 1), (1, 4, 4, 4, 1)),
        (L.Cropping1D, {"cropping": (1, 2)}, (2, 5, 2), (2, 2, 2)),
        (L.Cropping2D, {"cropping": ((1, 0), (1, 2))}, (2, 4, 5, 2), (2, 3, 2, 2)),
        (L.Cropping3D, {"cropping": 1}, (1, 3, 4, 3, 1), (1, 1, 2, 1, 1)),
        (L.UpSampling1D, {"size": 3}, (2, 2, 2), (2, 6, 2)),
        (L.UpSampling2D, {"size": (2, 1)}, (2, 2, 3, 2), (2, 4, 3, 2)),
        (L.UpSampling2D, {"interpolation": "bilinear"}, (2, 2, 3, 2), (2, 4, 6, 2)),
        (L.UpSampling3D, {"size": 2}, (1, 2, 1, 2, 1), (1, 4, 2, 4, 1)),
    ],
)
def test_spatial_layer_tests(cls, kwargs, shape, expected):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_output_shape=expected,
        expected_num_trainable_weights=0,
    )


def test_padding_and_cropping_configs():
    config = L.ZeroPadding2D(((1, 0), (2, 1))).get_config()
    # tuples, as Keras 3.15.1's get_config returns them
    assert config["padding"] == ((1, 0), (2, 1)) and config["data_format"] == "channels_last"
    assert L.ZeroPadding1D(2).get_config()["padding"] == (2, 2)
    assert L.Cropping1D().get_config()["cropping"] == (1, 1)
    assert L.Cropping2D(((1, 0), (0, 0))).get_config()["cropping"] == ((1, 0), (0, 0))
    assert L.UpSampling1D().get_config()["size"] == 2
    assert L.UpSampling2D(interpolation="bilinear").get_config()["interpolation"] == "bilinear"


# -- cropping -------------------------------------------------------------------------------------


def test_cropping_values_and_errors():
    x = randn(2, 5, 6, 3)
    y = np.asarray(L.Cropping2D(((1, 2), (0, 3)), dtype="float64")(x))
    np.testing.assert_array_equal(y, x[:, 1:3, 0:3])
    yf = np.asarray(L.Cropping2D(1, data_format="channels_first", dtype="float64")(x))
    np.testing.assert_array_equal(yf, x[:, :, 1:-1, 1:-1])
    x3 = randn(1, 4, 4, 4, 1)
    y3 = np.asarray(L.Cropping3D(((1, 1), (0, 2), (2, 0)), dtype="float64")(x3))
    np.testing.assert_array_equal(y3, x3[:, 1:3, 0:2, 2:4])
    with pytest.raises(ValueError, match=r"'crop'.*removes all of axis 1.*\(1, 3, 6, 3\)"):
        L.Cropping2D(((2, 1), (0, 0)), name="crop")(np.ones((1, 3, 6, 3), "float32"))
    with pytest.raises(ValueError, match=r"rank 3.*\(2, 5\)"):
        L.Cropping1D()(np.ones((2, 5), "float32"))
    with pytest.raises(ValueError, match="cropping"):
        L.Cropping2D(((1, -1), (0, 0)))


# -- up-sampling ----------------------------------------------------------------------------------


def test_upsampling_nearest_repeats():
    x = randn(2, 2, 3, 2)
    y = np.asarray(L.UpSampling2D((2, 3), dtype="float64")(x))
    np.testing.assert_array_equal(y, x.repeat(2, axis=1).repeat(3, axis=2))
    x1 = randn(2, 3, 2)
    np.testing.assert_array_equal(
        np.asarray(L.UpSampling1D(2, dtype="float64")(x1)), x1.repeat(2, axis=1)
    )
    x3 = randn(1, 2, 2, 1, 2)
    y3 = np.asarray(L.UpSampling3D((1, 2, 3), dtype="float64")(x3))
    np.testing.assert_array_equal(y3, x3.repeat(2, axis=2).repeat(3, axis=3))


def bilinear_ref(x, out_h, out_w):
    """Half-pixel bilinear resize, one output pixel at a time (TensorFlow's resize v2 rule)."""
    b, h, w, c = x.shape
    y = np.zeros((b, out_h, out_w, c))
    for i in range(out_h):
        sy = (i + 0.5) * h / out_h - 0.5
        y0 = int(np.floor(sy))
        fy = sy - y0
        for j in range(out_w):
            sx = (j + 0.5) * w / out_w - 0.5
            x0 = int(np.floor(sx))
            fx = sx - x0

            def px(r, q):
                return x[:, min(max(r, 0), h - 1), min(max(q, 0), w - 1)]

            y[:, i, j] = (1 - fy) * ((1 - fx) * px(y0, x0) + fx * px(y0, x0 + 1)) + fy * (
                (1 - fx) * px(y0 + 1, x0) + fx * px(y0 + 1, x0 + 1)
            )
    return y


def test_upsampling2d_bilinear_matches_half_pixel_reference():
    x = randn(2, 3, 4, 2)
    y = np.asarray(L.UpSampling2D((2, 3), interpolation="bilinear", dtype="float64")(x))
    np.testing.assert_allclose(y, bilinear_ref(x, 6, 12), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="interpolation"):
        L.UpSampling2D(interpolation="cubic")


def keras_upsampling_cases():
    """(input, kwargs, Keras 3 output) of `tests/data/keras/resize_k3.npz` for UpSampling2D
    (made by `make_resize_fixtures.py` with Keras 3.15.1 on jax)."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras", "resize_k3.npz")
    with np.load(path) as data:
        cases = [(json.loads(str(data[k])), k[4:]) for k in data.files if k.startswith("args")]
        return [
            pytest.param(
                data["x_" + c["x"]],
                c["kwargs"],
                data["y" + i],
                id=f"{c['kwargs']['interpolation']}-{c['x']}",
            )
            for c, i in cases
            if c["fn"] == "UpSampling2D"
        ]


@pytest.mark.parametrize("x,kwargs,expected", keras_upsampling_cases())
def test_upsampling2d_matches_keras(x, kwargs, expected):
    """nearest, bilinear, bicubic, lanczos3 and lanczos5, channels last and first: Keras 3's
    outputs within 1e-5."""
    y = np.asarray(L.UpSampling2D(**kwargs)(x))
    np.testing.assert_allclose(y, expected, rtol=0, atol=1e-5)


def test_upsampling2d_bicubic_layer_test_and_errors():
    run_layer_test(
        L.UpSampling2D,
        {"size": (2, 3), "interpolation": "bicubic"},
        input_shape=(2, 3, 2, 2),
        expected_output_shape=(2, 6, 6, 2),
    )
    assert L.UpSampling2D(interpolation="Lanczos5").interpolation == "lanczos5"  # lowered, as Keras
    with pytest.raises(ValueError, match=r"interpolation.*Received: interpolation='area'"):
        L.UpSampling2D(interpolation="area")  # Keras refuses it too (at call time)


# -- spatial dropout ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls,shape,noise_axes",
    [
        (L.SpatialDropout1D, (4, 6, 5), (1,)),
        (L.SpatialDropout2D, (4, 3, 3, 5), (1, 2)),
        (L.SpatialDropout3D, (4, 2, 2, 2, 5), (1, 2, 3)),
    ],
)
def test_spatial_dropout_drops_whole_channels(cls, shape, noise_axes):
    x = np.ones(shape, "float32")
    layer = cls(0.5, seed=3)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)  # inference: identity
    y = np.asarray(layer(x, training=True))
    assert set(np.unique(y)) <= {0.0, 2.0} and 0 < (y == 0).mean() < 1
    # one draw per (sample, channel): constant along the spatial axes
    np.testing.assert_array_equal(
        y, np.broadcast_to(y[(slice(None),) + (slice(0, 1),) * len(noise_axes)], shape)
    )
    # a seed repeats the masks
    again = np.asarray(cls(0.5, seed=3)(x, training=True))
    np.testing.assert_array_equal(again, y)


def test_spatial_dropout_channels_first_and_gradient():
    x = np.ones((3, 4, 2, 2), "float32")
    y = np.asarray(L.SpatialDropout2D(0.5, data_format="channels_first", seed=0)(x, training=True))
    np.testing.assert_array_equal(y, np.broadcast_to(y[:, :, :1, :1], y.shape))
    run_layer_test(
        L.SpatialDropout2D,
        {"rate": 0.3, "seed": 1},
        input_shape=(2, 3, 3, 2),
        expected_output_shape=(2, 3, 3, 2),
    )
    with pytest.raises(ValueError, match="rate"):
        L.SpatialDropout1D(1.5)


@pytest.mark.parametrize(
    "layer,shape",
    [
        (L.ZeroPadding2D(((1, 0), (2, 3))), (2, 3, 4, 1)),
        (L.Cropping1D((1, 2)), (2, 6, 3)),
        (L.Cropping3D(1, data_format="channels_first"), (1, 2, 3, 4, 5)),
        (L.UpSampling2D((2, 3), interpolation="bilinear"), (1, 2, 3, 1)),
        (L.UpSampling1D(3), (2, 2, 1)),
    ],
)
def test_compute_output_shape_matches_call(layer, shape):
    out = layer.compute_output_shape(shape)  # a list for UpSampling1D, as Keras 3
    assert tuple(out) == np.asarray(layer(np.ones(shape, "float32"))).shape


def test_spatial_dropout_config_has_no_trainable_as_keras3():
    """Keras 3's spatial dropouts take no `trainable` argument and leave it out of get_config
    (keras/src/layers/regularization/spatial_dropout.py), so Keras 3 refused minikeras's files."""
    assert "trainable" not in L.SpatialDropout1D(0.2).get_config()
    config = L.SpatialDropout2D(0.2, data_format="channels_first").get_config()
    assert set(config) == {"name", "dtype", "rate", "seed", "data_format"}
    assert L.SpatialDropout2D.from_config(config).data_format == "channels_first"


def test_zero_padding1d_data_format_as_keras():
    """Keras 3.15.1: ZeroPadding1D takes data_format and saves it; channels_first pads the
    last axis: (1, 2, 3) -> (1, 2, 5)."""
    layer = keras.layers.ZeroPadding1D(data_format="channels_first")
    assert layer.get_config()["data_format"] == "channels_first"
    assert keras.layers.ZeroPadding1D().get_config()["data_format"] == "channels_last"
    out = layer(np.ones((1, 2, 3), "float32")).numpy()
    assert out.shape == (1, 2, 5) and out[..., 0].sum() == 0 and out[..., 1:4].min() == 1


def test_up_sampling_compute_output_shape_types_as_keras():
    """Keras 3.15.1: UpSampling1D gives a list, UpSampling2D/3D give tuples."""
    assert keras.layers.UpSampling1D(2).compute_output_shape((None, 5, 4)) == [None, 10, 4]
    assert keras.layers.UpSampling2D(2).compute_output_shape((None, 5, 5, 4)) == (None, 10, 10, 4)
    assert keras.layers.UpSampling1D(2)(keras.Input((5, 4))).shape == (None, 10, 4)


def test_spatial_dropout_config_as_keras():
    """Keras 3.15.1: SpatialDropout1D's config is exactly rate/seed/name/dtype, dtype a plain
    string; 2D/3D add data_format."""
    cfg = keras.layers.SpatialDropout1D(0.3).get_config()
    assert sorted(cfg) == ["dtype", "name", "rate", "seed"] and cfg["dtype"] == "float32"
    cfg = keras.layers.SpatialDropout2D(0.3).get_config()
    assert sorted(cfg) == ["data_format", "dtype", "name", "rate", "seed"]
    assert keras.layers.SpatialDropout2D.from_config(cfg).rate == 0.3
