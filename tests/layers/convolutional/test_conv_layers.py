"""Conv1D/2D/3D, DepthwiseConv1D/2D and SeparableConv1D/2D against direct numpy loops."""

import itertools
import json

import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test

L = keras.layers


# -- references: channels-last, one output cell and one kernel tap at a time --------------------


def tf_pads(n, k, s, d, padding):
    k_eff = (k - 1) * d + 1
    if padding == "valid":
        return 0, 0
    if padding == "causal":
        return k_eff - 1, 0
    out = -(-n // s)  # "same": ceil(n / s) outputs, the smaller half of the padding first
    total = max((out - 1) * s + k_eff - n, 0)
    return total // 2, total - total // 2


def conv_ref(x, w, strides=1, padding="valid", dilation=1, bias=None):
    r = x.ndim - 2
    s = (strides,) * r if isinstance(strides, int) else tuple(strides)
    d = (dilation,) * r if isinstance(dilation, int) else tuple(dilation)
    ks, cg, f = w.shape[:r], w.shape[-2], w.shape[-1]
    groups, fg = x.shape[-1] // cg, f // (x.shape[-1] // cg)
    pads = [tf_pads(n, k, ss, dd, padding) for n, k, ss, dd in zip(x.shape[1:-1], ks, s, d)]
    xp = np.pad(x, [(0, 0), *pads, (0, 0)])
    out_sp = [(n - (k - 1) * dd - 1) // ss + 1 for n, k, ss, dd in zip(xp.shape[1:-1], ks, s, d)]
    out = np.zeros((x.shape[0], *out_sp, f))
    for o in itertools.product(*map(range, out_sp)):
        for tap in itertools.product(*map(range, ks)):
            pos = tuple(oi * si + ti * di for oi, si, ti, di in zip(o, s, tap, d))
            for g in range(groups):
                patch = xp[(slice(None), *pos, slice(g * cg, (g + 1) * cg))]
                out[(slice(None), *o, slice(g * fg, (g + 1) * fg))] += (
                    patch @ w[tap][:, g * fg : (g + 1) * fg]
                )
    return out if bias is None else out + bias


def depthwise_ref(x, w, strides=1, padding="valid", dilation=1):
    """Output channel c * dm + m is input channel c correlated with w[..., c, m]."""
    parts = [
        conv_ref(x[..., c : c + 1], w[..., c : c + 1, :], strides, padding, dilation)
        for c in range(x.shape[-1])
    ]
    return np.concatenate(parts, axis=-1)


def call64(layer_cls, kwargs, x):
    layer = layer_cls(**kwargs, dtype="float64")
    return layer, np.asarray(layer(x))


# -- Conv1D / Conv2D / Conv3D --------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"filters": 3, "kernel_size": 3},
        {"filters": 2, "kernel_size": (3, 2), "padding": "same", "strides": 2},
        {"filters": 4, "kernel_size": 2, "dilation_rate": 2, "padding": "same"},
        {"filters": 4, "kernel_size": 2, "groups": 2, "activation": "relu"},
        {"filters": 2, "kernel_size": 3, "use_bias": False, "strides": (1, 2)},
    ],
)
def test_conv2d_matches_loop(kwargs):
    x = randn(2, 5, 5, 2)
    layer, y = call64(L.Conv2D, kwargs, x)
    w = layer.kernel.numpy()
    b = layer.bias.numpy() if layer.bias is not None else None
    ref = conv_ref(
        x,
        w,
        kwargs.get("strides", 1),
        kwargs.get("padding", "valid"),
        kwargs.get("dilation_rate", 1),
        b,
    )
    if kwargs.get("activation") == "relu":
        ref = np.maximum(ref, 0)
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-12)


def test_conv2d_layer_test_and_weights():
    layer, _ = run_layer_test(
        L.Conv2D,
        {"filters": 3, "kernel_size": 3, "padding": "same"},
        input_shape=(2, 5, 5, 2),
        expected_output_shape=(2, 5, 5, 3),
        expected_num_trainable_weights=2,
    )
    assert [(v.name, v.shape) for v in layer.weights] == [("kernel", (3, 3, 2, 3)), ("bias", (3,))]


def test_conv2d_grouped_and_strided_layer_test():
    run_layer_test(
        L.Conv2D,
        {"filters": 4, "kernel_size": 2, "groups": 2, "strides": 2},
        input_shape=(2, 5, 5, 2),
        expected_output_shape=(2, 2, 2, 4),
    )


def test_conv2d_channels_first():
    x = randn(2, 2, 5, 4)  # (batch, channels, h, w)
    layer, y = call64(
        L.Conv2D,
        {"filters": 3, "kernel_size": 3, "data_format": "channels_first", "padding": "same"},
        x,
    )
    ref = conv_ref(np.moveaxis(x, 1, -1), layer.kernel.numpy(), padding="same")
    np.testing.assert_allclose(y, np.moveaxis(ref, -1, 1), rtol=1e-10)
    run_layer_test(
        L.Conv2D,
        {"filters": 2, "kernel_size": 2, "data_format": "channels_first"},
        input_shape=(2, 2, 4, 4),
        expected_output_shape=(2, 2, 3, 3),
    )


@pytest.mark.parametrize("padding", ["valid", "same", "causal"])
def test_conv1d_matches_loop(padding):
    x = randn(2, 7, 3)
    layer, y = call64(
        L.Conv1D, {"filters": 2, "kernel_size": 3, "padding": padding, "dilation_rate": 2}, x
    )
    ref = conv_ref(x, layer.kernel.numpy(), 1, padding, 2, layer.bias.numpy())
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-12)


def test_conv1d_causal_sees_no_future():
    layer = L.Conv1D(1, 3, padding="causal", dtype="float64")
    x = randn(1, 6, 1)
    y0 = np.asarray(layer(x))
    x2 = x.copy()
    x2[0, 4] += 10.0  # changing step 4 leaves outputs 0..3 alone
    y1 = np.asarray(layer(x2))
    np.testing.assert_array_equal(y0[0, :4], y1[0, :4])
    run_layer_test(
        L.Conv1D,
        {"filters": 2, "kernel_size": 2, "padding": "causal"},
        input_shape=(2, 5, 2),
        expected_output_shape=(2, 5, 2),
    )


def test_conv3d_matches_loop_and_layer_test():
    x = randn(1, 3, 4, 3, 2)
    layer, y = call64(L.Conv3D, {"filters": 2, "kernel_size": (2, 3, 2), "padding": "same"}, x)
    np.testing.assert_allclose(
        y, conv_ref(x, layer.kernel.numpy(), padding="same"), rtol=1e-10, atol=1e-12
    )
    run_layer_test(
        L.Conv3D,
        {"filters": 2, "kernel_size": 2},
        input_shape=(1, 3, 3, 3, 2),
        expected_output_shape=(1, 2, 2, 2, 2),
    )


def test_conv_config_is_keras_shaped():
    layer = L.Conv2D(4, 3, strides=2, padding="SAME", activation="relu", name="c")
    config = layer.get_config()
    json.dumps(config)
    # tuples, as Keras 3.15.1's get_config returns them (JSON turns them into lists)
    assert config["kernel_size"] == (3, 3) and config["strides"] == (2, 2)
    assert config["padding"] == "same" and config["data_format"] == "channels_last"
    assert config["groups"] == 1 and config["activation"] == "relu"
    assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
    clone = L.Conv2D.from_config(config)
    assert clone.strides == (2, 2) and clone.kernel_size == (3, 3)
    assert L.Convolution2D is L.Conv2D and L.Convolution1D is L.Conv1D
    assert "Convolution3D" in L.LAYER_CLASSES


# -- bad input ------------------------------------------------------------------------------------


def test_conv2d_rank_wrong_input_names_layer():
    with pytest.raises(ValueError, match=r"'c2'.*rank 4.*\(2, 5, 3\)"):
        L.Conv2D(2, 3, name="c2")(np.ones((2, 5, 3), "float32"))
    layer = L.Conv2D(2, 3, name="c2b")
    layer(np.ones((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"c2b.*rank 4.*\(5, 5, 3\)"):
        layer(np.ones((5, 5, 3), "float32"))


def test_conv2d_kernel_larger_than_input():
    with pytest.raises(ValueError, match=r"'big'.*kernel size \(5, 5\).*\(1, 4, 6, 1\)"):
        L.Conv2D(2, 5, name="big")(np.ones((1, 4, 6, 1), "float32"))
    layer = L.Conv2D(2, 3, name="big2")
    layer(np.ones((1, 5, 5, 1), "float32"))
    with pytest.raises(ValueError, match=r"big2.*larger than the input.*\(1, 2, 5, 1\)"):
        layer(np.ones((1, 2, 5, 1), "float32"))
    with pytest.raises(ValueError, match="dilation"):
        L.Conv1D(1, 3, dilation_rate=3)(np.ones((1, 6, 1), "float32"))
    # "same" padding accepts any size
    assert L.Conv2D(2, 5, padding="same")(np.ones((1, 2, 2, 1), "float32")).shape == (1, 2, 2, 2)


def test_conv2d_channel_mismatch_after_build():
    layer = L.Conv2D(2, 3, name="chan")
    layer(np.ones((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"chan.*3 channels.*\(1, 5, 5, 4\).*4 channels"):
        layer(np.ones((1, 5, 5, 4), "float32"))


def test_conv_groups_must_divide():
    with pytest.raises(ValueError, match=r"'g'.*divisible by the number of groups.*groups=2.*3 ch"):
        L.Conv2D(4, 3, groups=2, name="g")(np.ones((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match="filters must be evenly divisible"):
        L.Conv2D(3, 3, groups=2)
    with pytest.raises(ValueError, match="groups"):
        L.Conv2D(4, 3, groups=0)


def test_conv_bad_arguments():
    with pytest.raises(ValueError, match="filters"):
        L.Conv2D(0, 3)
    with pytest.raises(ValueError, match="kernel_size"):
        L.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="padding"):
        L.Conv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="dilation_rate > 1"):
        L.Conv2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="data_format"):
        L.Conv2D(2, 3, data_format="nhwc")


# -- depthwise and separable --------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kernel_size": 3, "depth_multiplier": 2},
        {"kernel_size": (2, 3), "padding": "same", "strides": 2},
        {"kernel_size": 2, "dilation_rate": 2, "use_bias": False},
    ],
)
def test_depthwise_conv2d_matches_loop(kwargs):
    x = randn(2, 5, 5, 3)
    layer, y = call64(L.DepthwiseConv2D, kwargs, x)
    ref = depthwise_ref(
        x,
        layer.kernel.numpy(),
        kwargs.get("strides", 1),
        kwargs.get("padding", "valid"),
        kwargs.get("dilation_rate", 1),
    )
    if layer.bias is not None:
        ref = ref + layer.bias.numpy()
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-12)


def test_depthwise_layer_tests_and_weights():
    layer, _ = run_layer_test(
        L.DepthwiseConv2D,
        {"kernel_size": 3, "depth_multiplier": 2},
        input_shape=(2, 5, 5, 2),
        expected_output_shape=(2, 3, 3, 4),
    )
    assert [(v.name, v.shape) for v in layer.weights] == [("kernel", (3, 3, 2, 2)), ("bias", (4,))]
    assert "depthwise_initializer" in layer.get_config()
    run_layer_test(
        L.DepthwiseConv1D,
        {"kernel_size": 2, "padding": "same"},
        input_shape=(2, 5, 3),
        expected_output_shape=(2, 5, 3),
    )


def test_depthwise_conv1d_matches_loop():
    x = randn(2, 6, 2)
    layer, y = call64(L.DepthwiseConv1D, {"kernel_size": 3, "depth_multiplier": 3}, x)
    ref = depthwise_ref(x, layer.kernel.numpy()) + layer.bias.numpy()
    np.testing.assert_allclose(y, ref, rtol=1e-10)


@pytest.mark.parametrize("rank", [1, 2])
def test_separable_conv_matches_loop(rank):
    cls = L.SeparableConv1D if rank == 1 else L.SeparableConv2D
    x = randn(2, *(5,) * rank, 2)
    layer, y = call64(
        cls, {"filters": 3, "kernel_size": 3, "depth_multiplier": 2, "padding": "same"}, x
    )
    dw = depthwise_ref(x, layer.depthwise_kernel.numpy(), padding="same")
    ref = conv_ref(dw, layer.pointwise_kernel.numpy()) + layer.bias.numpy()
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-12)


def test_separable_layer_tests_and_weight_order():
    layer, _ = run_layer_test(
        L.SeparableConv2D,
        {"filters": 3, "kernel_size": 2, "depth_multiplier": 2},
        input_shape=(2, 4, 4, 2),
        expected_output_shape=(2, 3, 3, 3),
    )
    assert [(v.name, v.shape) for v in layer.weights] == [
        ("depthwise_kernel", (2, 2, 2, 2)),
        ("pointwise_kernel", (1, 1, 4, 3)),
        ("bias", (3,)),
    ]
    run_layer_test(
        L.SeparableConv1D,
        {"filters": 2, "kernel_size": 2, "strides": 2},
        input_shape=(2, 5, 2),
        expected_output_shape=(2, 2, 2),
    )
    assert L.SeparableConvolution2D is L.SeparableConv2D


def test_depthwise_bad_input():
    with pytest.raises(ValueError, match="depth_multiplier"):
        L.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match=r"'dw'.*rank 4"):
        L.DepthwiseConv2D(3, name="dw")(np.ones((1, 5, 5, 2, 1), "float32"))
    layer = L.SeparableConv2D(2, 3, name="sep")
    layer(np.ones((1, 4, 4, 2), "float32"))
    with pytest.raises(ValueError, match=r"sep.*2 channels.*\(1, 4, 4, 3\)"):
        layer(np.ones((1, 4, 4, 3), "float32"))


def test_conv_in_functional_model_infers_shapes():
    inputs = keras.Input((8, 8, 3))
    y = L.Conv2D(4, 3, strides=2, padding="same")(inputs)
    y = L.DepthwiseConv2D(3)(y)
    y = L.SeparableConv2D(5, 1)(y)
    assert tuple(y.shape) == (None, 2, 2, 5)
    model = keras.Model(inputs, y)
    assert model(np.ones((2, 8, 8, 3), "float32")).shape == (2, 2, 2, 5)


@pytest.mark.parametrize("activation", ["relu", "tanh", None])
def test_conv_bias_and_activation_epilogue(activation):
    # relu and linear take the fused bias + activation path, others the plain ops
    layer, _ = run_layer_test(
        L.Conv2D,
        {"filters": 3, "kernel_size": 2, "activation": activation},
        input_shape=(2, 4, 4, 2),
        expected_output_shape=(2, 3, 3, 3),
    )
    x = randn(2, 4, 4, 2, dtype="float32")
    layer.bias.assign(np.array([0.5, -0.5, 0.1], "float32"))
    ref = conv_ref(
        x.astype("float64"), layer.kernel.numpy().astype("float64"), bias=layer.bias.numpy()
    )
    ref = {"relu": lambda v: np.maximum(v, 0), "tanh": np.tanh, None: lambda v: v}[activation](ref)
    np.testing.assert_allclose(np.asarray(layer(x)), ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "layer,shape",
    [
        (L.Conv2D(3, 3, strides=2), (2, 7, 6, 2)),
        (L.Conv1D(2, 3, padding="causal", dilation_rate=2), (2, 7, 2)),
        (
            L.Conv2D(2, 2, padding="same", strides=(2, 3), data_format="channels_first"),
            (1, 2, 5, 7),
        ),
        (L.Conv3D(2, 2), (1, 3, 4, 3, 1)),
        (L.DepthwiseConv2D(3, depth_multiplier=3, padding="same"), (1, 4, 5, 2)),
        (L.SeparableConv1D(4, 3, strides=2), (2, 9, 3)),
        (L.Conv2DTranspose(3, 3, strides=2), (1, 3, 4, 2)),
        (L.Conv2DTranspose(3, 3, strides=2, padding="same", output_padding=1), (1, 3, 4, 2)),
        (L.Conv1DTranspose(2, 2, strides=3, data_format="channels_first"), (1, 2, 4)),
    ],
)
def test_compute_output_shape_matches_call(layer, shape):
    # Keras 3 returns a list from the transposed convolutions and a tuple from the others
    expected = np.asarray(layer(np.ones(shape, "float32"))).shape
    assert tuple(layer.compute_output_shape(shape)) == expected
    unknown = (None,) + tuple(shape[1:])
    assert tuple(layer.compute_output_shape(unknown)) == (None,) + expected[1:]


@pytest.mark.parametrize(
    "cls,kwargs,expected",
    [
        ("DepthwiseConv2D", {"kernel_size": 5}, {"kernel_size": (5, 5), "strides": (1, 1)}),
        ("Conv1D", {"filters": 2, "kernel_size": 3}, {"kernel_size": (3,), "dilation_rate": (1,)}),
        ("SeparableConv2D", {"filters": 2, "kernel_size": 3}, {"kernel_size": (3, 3)}),
        (
            "Conv2DTranspose",
            {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1},
            {"strides": (2, 2), "output_padding": (1, 1)},
        ),
        ("Conv3D", {"filters": 1, "kernel_size": (1, 2, 3)}, {"kernel_size": (1, 2, 3)}),
        ("ConvLSTM2D", {"filters": 2, "kernel_size": 3}, {"kernel_size": (3, 3)}),
        (
            "MaxPooling2D",
            {"pool_size": [3, 3], "strides": [1, 2]},
            {"pool_size": (3, 3), "strides": (1, 2)},
        ),
        ("AveragePooling1D", {"pool_size": 2}, {"pool_size": (2,), "strides": (2,)}),
        ("UpSampling2D", {}, {"size": (2, 2)}),
        ("ZeroPadding2D", {}, {"padding": ((1, 1), (1, 1))}),
        ("Cropping1D", {}, {"cropping": (1, 1)}),
        ("Reshape", {"target_shape": [2, 3]}, {"target_shape": (2, 3)}),
        ("Permute", {"dims": [2, 1]}, {"dims": (2, 1)}),
    ],
)
def test_config_sizes_are_tuples_as_keras(cls, kwargs, expected):
    """Keras 3.15.1 observed (torch): conv, pooling, padding and reshaping layers return their
    sizes as tuples from get_config (keras.io convmixer checks `kernel_size == (5, 5)`)."""
    config = getattr(L, cls)(**kwargs).get_config()
    for key, value in expected.items():
        assert config[key] == value and type(config[key]) is tuple


_WEIGHT_KEYS = ("initializer", "regularizer", "constraint")


@pytest.mark.parametrize(
    "make,expected",
    [
        (
            lambda L: L.Conv1D(4, 3, 2, "causal", None, 1, 2, "relu", False),
            {
                "filters": 4,
                "kernel_size": [3],
                "strides": [2],
                "padding": "causal",
                "dilation_rate": [1],
                "groups": 2,
                "activation": "relu",
                "use_bias": False,
            },
        ),
        (
            lambda L: L.Conv3DTranspose(2, 3, 2, "same", None, 1, 1, "tanh"),
            {
                "filters": 2,
                "kernel_size": [3, 3, 3],
                "strides": [2, 2, 2],
                "padding": "same",
                "output_padding": [1, 1, 1],
                "dilation_rate": [1, 1, 1],
                "activation": "tanh",
                "use_bias": True,
            },
        ),
        (
            lambda L: L.DepthwiseConv1D(3, 1, "same", 2),
            {
                "depth_multiplier": 2,
                "kernel_size": [3],
                "strides": [1],
                "padding": "same",
                "dilation_rate": [1],
                "activation": "linear",
                "use_bias": True,
            },
        ),
        (
            lambda L: L.SeparableConv2D(4, 3, 2, "same", None, 1, 2, "relu"),
            {
                "depth_multiplier": 2,
                "filters": 4,
                "kernel_size": [3, 3],
                "strides": [2, 2],
                "padding": "same",
                "dilation_rate": [1, 1],
                "activation": "relu",
                "use_bias": True,
            },
        ),
    ],
)
def test_positional_arguments_follow_keras_signatures(make, expected):
    """Keras 3.15.1 observed: these positional calls give these configs (each family has its
    own order; Conv3DTranspose takes data_format before output_padding, unlike the 1-D and 2-D
    transposed layers). The concrete classes only set `rank`; the family bases pass the shared
    arguments to BaseConv by keyword."""
    config = json.loads(json.dumps(make(keras.layers).get_config(), default=list))
    plain = {k: v for k, v in config.items() if not k.endswith(_WEIGHT_KEYS)}
    for key in ("name", "trainable", "dtype", "data_format"):
        plain.pop(key)
    assert plain == expected


@pytest.mark.parametrize(
    "make",
    [
        lambda L: L.DepthwiseConv2D(3, groups=1),
        lambda L: L.SeparableConv1D(2, 3, groups=1),
        lambda L: L.Conv2DTranspose(2, 3, groups=1),
    ],
)
def test_groups_is_refused_where_keras_has_none(make):
    """Keras 3.15.1 observed: ValueError 'Unrecognized keyword arguments passed to
    DepthwiseConv2D: {'groups': 1}' (likewise SeparableConv1D, Conv2DTranspose)."""
    with pytest.raises(
        ValueError, match=r"Unrecognized keyword arguments passed to \w+: \{'groups'"
    ):
        make(keras.layers)
