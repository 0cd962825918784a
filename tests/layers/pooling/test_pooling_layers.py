"""Max/average pooling and global pooling layers against direct numpy loops."""

import itertools

import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test

L = keras.layers


def pool_ref(x, pool, strides, padding, mode):
    """Channels-last pooling; "same" windows are clipped to the input (padding never counts)."""
    r = x.ndim - 2
    pool = (pool,) * r if isinstance(pool, int) else pool
    strides = pool if strides is None else ((strides,) * r if isinstance(strides, int) else strides)
    starts, outs = [], []
    for n, k, s in zip(x.shape[1:-1], pool, strides):
        if padding == "valid":
            outs.append((n - k) // s + 1)
            starts.append(0)
        else:
            o = -(-n // s)
            outs.append(o)
            starts.append(max((o - 1) * s + k - n, 0) // 2)
    y = np.zeros((x.shape[0], *outs, x.shape[-1]))
    for o in itertools.product(*map(range, outs)):
        window = tuple(
            slice(max(i * s - p, 0), min(i * s - p + k, n))
            for i, s, p, k, n in zip(o, strides, starts, pool, x.shape[1:-1])
        )
        cells = x[(slice(None), *window)].reshape(x.shape[0], -1, x.shape[-1])
        y[(slice(None), *o)] = cells.max(1) if mode == "max" else cells.mean(1)
    return y


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"pool_size": 2},
        {"pool_size": 3, "strides": 2},
        {"pool_size": (2, 3), "padding": "same"},
        {"pool_size": 3, "strides": 1, "padding": "same"},
    ],
)
def test_pooling2d_matches_loop(mode, kwargs):
    cls = L.MaxPooling2D if mode == "max" else L.AveragePooling2D
    x = randn(2, 5, 6, 3)
    y = np.asarray(cls(**kwargs, dtype="float64")(x))
    ref = pool_ref(
        x, kwargs.get("pool_size", 2), kwargs.get("strides"), kwargs.get("padding", "valid"), mode
    )
    np.testing.assert_allclose(y, ref, rtol=1e-12)


@pytest.mark.parametrize(
    "cls,mode,shape,expected",
    [
        (L.MaxPooling1D, "max", (2, 5, 2), (2, 2, 2)),
        (L.AveragePooling1D, "average", (2, 5, 2), (2, 2, 2)),
        (L.MaxPooling2D, "max", (2, 4, 5, 2), (2, 2, 2, 2)),
        (L.AveragePooling2D, "average", (2, 4, 5, 2), (2, 2, 2, 2)),
        (L.MaxPooling3D, "max", (1, 4, 4, 3, 2), (1, 2, 2, 1, 2)),
        (L.AveragePooling3D, "average", (1, 4, 4, 3, 2), (1, 2, 2, 1, 2)),
    ],
)
def test_pooling_layer_tests(cls, mode, shape, expected):
    layer, out = run_layer_test(
        cls,
        {"pool_size": 2},
        input_shape=shape,
        expected_output_shape=expected,
        expected_num_trainable_weights=0,
    )
    x = randn(*shape, dtype="float32")
    np.testing.assert_allclose(np.asarray(layer(x)), pool_ref(x, 2, None, "valid", mode), rtol=1e-6)


def test_pooling_same_padding_and_channels_first():
    x = randn(2, 3, 5, 5)  # channels first
    y = np.asarray(
        L.AveragePooling2D(2, padding="same", data_format="channels_first", dtype="float64")(x)
    )
    ref = pool_ref(np.moveaxis(x, 1, -1), 2, None, "same", "average")
    np.testing.assert_allclose(y, np.moveaxis(ref, -1, 1), rtol=1e-12)
    run_layer_test(
        L.MaxPooling1D,
        {"pool_size": 3, "strides": 2, "padding": "same"},
        input_shape=(2, 5, 2),
        expected_output_shape=(2, 3, 2),
    )


def test_pooling_config_and_aliases():
    config = L.MaxPooling2D(name="p").get_config()
    assert config["pool_size"] == (2, 2) and config["strides"] == (2, 2)  # tuples, as Keras 3
    assert config["padding"] == "valid" and config["data_format"] == "channels_last"
    assert L.MaxPooling2D.from_config(config).pool_size == (2, 2)
    assert L.MaxPool2D is L.MaxPooling2D and L.AvgPool1D is L.AveragePooling1D
    assert L.GlobalAvgPool2D is L.GlobalAveragePooling2D
    assert L.GlobalMaxPool3D is L.GlobalMaxPooling3D


def test_pooling_bad_input():
    with pytest.raises(ValueError, match=r"'p'.*rank 4.*\(2, 4, 3\)"):
        L.MaxPooling2D(name="p")(np.ones((2, 4, 3), "float32"))
    with pytest.raises(ValueError, match=r"'q'.*pool size \(3, 3\).*\(1, 2, 5, 1\)"):
        L.AveragePooling2D(3, name="q")(np.ones((1, 2, 5, 1), "float32"))
    with pytest.raises(ValueError, match="pool_size"):
        L.MaxPooling2D(pool_size=(2, 0))


# -- global pooling -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls,axes,mode",
    [
        (L.GlobalAveragePooling1D, (1,), "mean"),
        (L.GlobalMaxPooling1D, (1,), "max"),
        (L.GlobalAveragePooling2D, (1, 2), "mean"),
        (L.GlobalMaxPooling2D, (1, 2), "max"),
        (L.GlobalAveragePooling3D, (1, 2, 3), "mean"),
        (L.GlobalMaxPooling3D, (1, 2, 3), "max"),
    ],
)
def test_global_pooling(cls, axes, mode):
    shape = (2,) + (3,) * len(axes) + (2,)
    x = randn(*shape)
    fn = np.mean if mode == "mean" else np.max
    np.testing.assert_allclose(np.asarray(cls(dtype="float64")(x)), fn(x, axis=axes), rtol=1e-12)
    keep = np.asarray(cls(keepdims=True, dtype="float64")(x))
    np.testing.assert_allclose(keep, fn(x, axis=axes, keepdims=True), rtol=1e-12)
    xf = np.moveaxis(x, -1, 1)
    first = np.asarray(cls(data_format="channels_first", dtype="float64")(xf))
    np.testing.assert_allclose(first, fn(x, axis=axes), rtol=1e-12)
    run_layer_test(cls, {}, input_shape=shape, expected_output_shape=(2, 2))


def test_global_average_pooling1d_mask():
    x = randn(2, 4, 3)
    mask = np.array([[1, 1, 0, 0], [1, 0, 1, 1]], bool)
    y = np.asarray(L.GlobalAveragePooling1D(dtype="float64")(x, mask=mask))
    ref = np.stack([x[0, :2].mean(0), x[1, [0, 2, 3]].mean(0)])
    np.testing.assert_allclose(y, ref, rtol=1e-12)
    # the mask arrives from an Embedding-style input mask and is consumed
    t = keras.Tensor(x)
    t._keras_mask = keras.Tensor(mask)
    out = L.GlobalAveragePooling1D(dtype="float64")(t)
    np.testing.assert_allclose(np.asarray(out), ref, rtol=1e-12)
    assert out._keras_mask is None
    keep = np.asarray(L.GlobalAveragePooling1D(keepdims=True, dtype="float64")(x, mask=mask))
    assert keep.shape == (2, 1, 3)


@pytest.mark.parametrize(
    "layer,shape",
    [
        (L.MaxPooling2D(3, 2, "same"), (2, 7, 6, 2)),
        (L.AveragePooling1D(2), (2, 7, 2)),
        (L.MaxPooling3D(2, data_format="channels_first"), (1, 2, 4, 5, 6)),
        (L.GlobalAveragePooling2D(), (2, 3, 4, 5)),
        (L.GlobalMaxPooling1D(keepdims=True, data_format="channels_first"), (2, 3, 4)),
    ],
)
def test_compute_output_shape_matches_call(layer, shape):
    assert layer.compute_output_shape(shape) == np.asarray(layer(np.ones(shape, "float32"))).shape


@pytest.mark.parametrize("name", ["AveragePooling1D", "AveragePooling2D", "AveragePooling3D"])
def test_average_pooling_requires_pool_size_as_keras(name):
    """Keras 3.15.1: AveragePooling{1,2,3}D() raises TypeError (pool_size has no default),
    while MaxPooling keeps its default."""
    with pytest.raises(TypeError, match="pool_size"):
        getattr(keras.layers, name)()
    assert keras.layers.MaxPooling1D().pool_size == (2,)
