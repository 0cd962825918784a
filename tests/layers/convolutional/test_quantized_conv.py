"""int8 Conv1D/2D/3D (`layers/convolutional/quantized_conv.py`), a minikeras extension.

By default minikeras does what Keras 3.15.1 does (no convolution is quantized). With
`include_conv=True` the int8 convolution is Keras's int8 Dense on every window: the fixture
(`tests/quantization/make_conv_int8_fixtures.py`) holds Keras's quantized kernel, scale and
outputs of that Dense, which the layer must match bit for bit."""

import json
import os
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras import GradientTape
from minikeras.core.ops.fused_bias_act import max_pool_next
from minikeras.models import inference_fusion

FIXTURE = os.path.join(
    os.path.dirname(__file__), "..", "..", "quantization", "fixtures", "conv_int8_cases.npz"
)
CASES = ["conv2d_valid", "conv2d_same_s2", "conv2d_dilated", "conv1d_causal", "conv3d_valid"]
CLASSES = {1: keras.layers.Conv1D, 2: keras.layers.Conv2D, 3: keras.layers.Conv3D}


def _layer(name, fixture, **kwargs):
    """The fixture case's layer (geometry from the fixture), built with its float weights."""
    geometry = json.loads(str(fixture[f"{name}_geometry"]))
    rank = len(geometry["kernel_size"])
    layer = CLASSES[rank](**geometry, **kwargs)
    layer.build((None,) + fixture[f"{name}_x"].shape[1:])
    layer.kernel.assign(fixture[f"{name}_kernel"])
    layer.bias.assign(fixture[f"{name}_bias"])
    return layer


@pytest.fixture(scope="module")
def cases():
    return np.load(FIXTURE)


@pytest.mark.parametrize("name", CASES)
def test_matches_keras_int8_dense_on_the_windows(cases, name):
    layer = _layer(name, cases, activation="relu")
    layer.quantize("int8", include_conv=True)
    assert layer.dtype_policy.name == "int8_from_float32"
    assert layer._kernel.dtype == "int8" and layer._kernel.shape == cases[f"{name}_kernel"].shape
    np.testing.assert_array_equal(layer._kernel.numpy(), cases[f"{name}_q"])
    np.testing.assert_array_equal(layer.kernel_scale.numpy(), cases[f"{name}_scale"])
    np.testing.assert_array_equal(layer(cases[f"{name}_x"]).numpy(), cases[f"{name}_y"])
    assert [w.name for w in layer.weights] == ["bias", "kernel", "kernel_scale"]
    assert [w.name for w in layer.trainable_weights] == ["bias"]


def test_against_float64_reference_with_stated_tolerance(cases):
    """The int8 layer against the float64 convolution of the float kernel: the error of the
    per-window quantization (<= 2**-8 of each window's range times the kernel's column sums)
    and of the kernel's (<= half a step per weight) stays under 2 % of the output's range."""
    layer = _layer("conv2d_valid", cases)
    x = cases["conv2d_valid_x"]
    exact = keras.ops.conv(x.astype("float64"), cases["conv2d_valid_kernel"].astype("float64"))
    exact = exact.numpy() + cases["conv2d_valid_bias"]
    layer.quantize("int8", include_conv=True)
    err = np.abs(layer(x).numpy() - exact).max()
    assert err <= 0.02 * np.abs(exact).max(), err


def test_keras_default_behaviour_is_kept():
    """Without `include_conv`: Conv2D.quantize raises Keras's NotImplementedError and
    model.quantize warns and leaves the convolutions float32 (what Keras 3.15.1 does)."""
    inputs = keras.Input((6, 6, 2))
    h = keras.layers.Conv2D(3, 3, name="conv")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2, name="head")(keras.layers.Flatten()(h)))
    with pytest.raises(NotImplementedError, match="Layer Conv2D does not have a `quantize`"):
        model.get_layer("conv").quantize("int8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.quantize("int8")
    assert any("Conv2D does not have a `quantize`" in str(w.message) for w in caught)
    assert model.get_layer("conv").dtype_policy.name == "float32"
    assert model.get_layer("conv").kernel.dtype == "float32"
    assert model.get_layer("head").dtype_policy.name == "int8_from_float32"
    assert "quantization_config" not in model.get_layer("conv").get_config()


def test_other_convolutions_and_modes_refuse():
    for layer in (
        keras.layers.Conv2DTranspose(2, 3),
        keras.layers.DepthwiseConv2D(3),
        keras.layers.SeparableConv2D(2, 3),
    ):
        layer.build((None, 5, 5, 2))
        with pytest.raises(NotImplementedError, match="does not have a `quantize`"):
            layer.quantize("int8", include_conv=True)
    with pytest.raises(NotImplementedError, match="quantized_build"):
        keras.layers.Conv2DTranspose(2, 3, dtype="int8_from_float32").build((None, 5, 5, 2))
    conv = keras.layers.Conv2D(4, 3)
    conv.build((None, 5, 5, 2))
    with pytest.raises(NotImplementedError, match="Expected one of \\('int8',\\)"):
        conv.quantize("int4", include_conv=True)
    grouped = keras.layers.Conv2D(4, 3, groups=2)
    grouped.build((None, 5, 5, 2))
    with pytest.raises(NotImplementedError, match="groups=2"):
        grouped.quantize("int8", include_conv=True)

    class Sub(keras.layers.Conv2D):
        pass

    sub = Sub(2, 3)
    sub.build((None, 5, 5, 2))
    with pytest.raises(NotImplementedError):
        sub.quantize("int8", include_conv=True)
    sub.quantize("int8", include_conv=True, type_check=False)
    assert sub.quantization_mode == "int8"


def _model():
    keras.utils.set_random_seed(4)
    inputs = keras.Input((10, 10, 3))
    h = keras.layers.Conv2D(8, 3, activation="relu", name="c1")(inputs)
    h = keras.layers.MaxPooling2D()(h)
    h = keras.layers.Conv2D(6, 3, padding="same", name="c2")(h)
    h = keras.layers.Flatten()(h)
    return keras.Model(inputs, keras.layers.Dense(4, name="head")(h))


@pytest.mark.parametrize("ext", [".keras", ".h5", ".weights.h5"])
def test_saved_and_loaded_in_every_format(tmp_path, ext):
    model = _model()
    model.quantize("int8", include_conv=True)
    x = np.random.default_rng(0).normal(size=(3, 10, 10, 3)).astype("float32")
    y = model.predict(x, verbose=0)
    path = str(tmp_path / f"m{ext}")
    if ext == ".weights.h5":
        model.save_weights(path)
        other = _model()
        other.quantize("int8", include_conv=True)
        other.load_weights(path)
    else:
        model.save(path)
        other = keras.models.load_model(path)
    np.testing.assert_array_equal(other.predict(x, verbose=0), y)
    conv = other.get_layer("c2")
    assert conv.dtype_policy.name == "int8_from_float32" and conv._kernel.dtype == "int8"


def test_gradients_reach_inputs_through_the_dequantized_kernel(cases):
    layer = _layer("conv2d_same_s2", cases, activation="relu")
    layer.quantize("int8", include_conv=True)
    x = cases["conv2d_same_s2_x"]
    weights = np.arange(6, dtype="float32")
    xv = keras.Variable(x)
    with keras.GradientTape() as tape:
        y = layer(xv)
        loss = keras.ops.sum(y * weights)
    dx = tape.gradient(loss, xv).numpy()
    w = layer._kernel.numpy().astype("float32") / layer.kernel_scale.numpy()
    xf = keras.Variable(x)
    mask = (y.numpy() > 0).astype("float32") * weights
    with keras.GradientTape() as tape:
        out = keras.ops.sum(keras.ops.conv(xf, w, strides=2, padding="same") * mask)
    np.testing.assert_allclose(dx, tape.gradient(out, xf).numpy(), rtol=1e-5, atol=1e-5)


def test_training_freezes_the_int8_kernel_and_trains_the_bias():
    model = _model()
    model.quantize("int8", include_conv=True)
    conv = model.get_layer("c1")
    kernel, bias = conv._kernel.numpy().copy(), conv.bias.numpy().copy()
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(1)
    model.fit(rng.normal(size=(8, 10, 10, 3)), rng.normal(size=(8, 4)), epochs=2, verbose=0)
    np.testing.assert_array_equal(conv._kernel.numpy(), kernel)
    assert not np.array_equal(conv.bias.numpy(), bias)


def test_lora_on_a_quantized_convolution(cases, tmp_path):
    """The update is conv(x, A) @ B * alpha / rank, i.e. the float convolution with A @ B."""
    layer = _layer("conv2d_valid", cases)
    layer.quantize("int8", include_conv=True)
    x = cases["conv2d_valid_x"]
    base = layer(x).numpy()
    layer.enable_lora(2, lora_alpha=4)
    rng = np.random.default_rng(2)
    layer.lora_kernel_b.assign(rng.normal(size=(2, 5)).astype("float32"))
    a, b = layer.lora_kernel_a.numpy(), layer.lora_kernel_b.numpy()
    delta = keras.ops.conv(x.astype("float64"), (a @ b).astype("float64") * 2).numpy()
    np.testing.assert_allclose(layer(x).numpy(), base + delta, rtol=1e-5, atol=1e-5)


def _pre_relu(cases):
    """The fixture's int8 layer before its ReLU, from the same layer without activation."""
    layer = _layer("conv2d_valid", cases)
    layer.quantize("int8", include_conv=True)
    return layer(cases["conv2d_valid_x"]).numpy()


def test_channels_first_and_weight_only(cases):
    x_last = cases["conv2d_valid_x"]
    layer = keras.layers.Conv2D(5, 3, activation="relu", data_format="channels_first")
    layer.build((None, 3, 9, 8))
    layer.kernel.assign(cases["conv2d_valid_kernel"])
    layer.bias.assign(cases["conv2d_valid_bias"])
    layer.quantize("int8", include_conv=True)
    y = layer(np.moveaxis(x_last, -1, 1)).numpy()
    np.testing.assert_array_equal(np.moveaxis(y, 1, -1), cases["conv2d_valid_y"])
    layer.enable_lora(3)
    layer.lora_kernel_b.assign(np.ones((3, 5), "float32"))
    delta = keras.ops.conv(x_last, layer.lora_kernel_a.numpy() @ np.ones((3, 5), "float32"))
    want = np.maximum(_pre_relu(cases) + delta.numpy(), 0)
    got = np.moveaxis(layer(np.moveaxis(x_last, -1, 1)).numpy(), 1, -1)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)

    weight_only = _layer("conv2d_valid", cases)
    config = keras.quantizers.Int8QuantizationConfig(activation_quantizer=None)
    weight_only.quantize(config=config, include_conv=True)
    w = cases["conv2d_valid_q"].astype("float32") / cases["conv2d_valid_scale"]
    want = keras.ops.conv(x_last, w).numpy() + cases["conv2d_valid_bias"]
    np.testing.assert_allclose(weight_only(x_last).numpy(), want, rtol=1e-6, atol=1e-6)
    restored = keras.layers.Conv2D.from_config(weight_only.get_config())
    assert restored.quantization_config.activation_quantizer is None


@pytest.mark.parametrize("channels", [1, 3])
def test_a_quantized_conv_before_pooling_pools_in_predict(monkeypatch, channels):
    """predict runs an int8 Conv2D and the MaxPooling2D(2) after it as one kernel (one channel:
    `conv_int8_3x3`'s direct loop; more: pooled per chunk) with the numbers of the layers
    called one by one; under a tape the convolution returns its full output."""
    keras.utils.set_random_seed(4)
    inputs = keras.Input((10, 10, channels))
    h = keras.layers.Conv2D(8, 3, activation="relu", name="c1")(inputs)
    h = keras.layers.MaxPooling2D()(h)
    h = keras.layers.Flatten()(h)
    model = keras.Model(inputs, keras.layers.Dense(4, name="head")(h))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the layers without a quantized form
        model.quantize("int8", include_conv=True)
    x = np.random.default_rng(5).normal(size=(4, 10, 10, channels)).astype("float32")
    z = x
    for layer in model.layers[1:]:
        z = layer(z)
    seen = []
    original = inference_fusion.call_pooled

    def spy(conv, inputs, **kwargs):
        y, pooled = original(conv, inputs, **kwargs)
        seen.append((conv.name, pooled, tuple(y.shape)))
        return y, pooled

    monkeypatch.setattr(inference_fusion, "call_pooled", spy)
    np.testing.assert_array_equal(model.predict(x, verbose=0), z.numpy())
    assert seen == [("c1", True, (4, 4, 4, 8))]
    conv = model.get_layer("c1")
    xt = keras.ops.convert_to_tensor(x)
    with max_pool_next() as done, GradientTape() as tape:
        tape.watch(xt)
        y = conv(xt)
    assert not done and tuple(y.shape) == (4, 8, 8, 8)


def test_a_quantized_conv_with_lora_before_pooling_is_not_pooled_early(monkeypatch):
    """With LoRA the layer adds `conv(x, A) @ B` to the int8 product: the op must not pool its
    output then; predict gives the layers' answer one by one."""
    keras.utils.set_random_seed(6)
    inputs = keras.Input((10, 10, 1))
    h = keras.layers.Conv2D(4, 3, activation="relu", name="c1")(inputs)
    h = keras.layers.MaxPooling2D()(h)
    model = keras.Model(inputs, keras.layers.Flatten()(h))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.quantize("int8", include_conv=True)
    conv = model.get_layer("c1")
    conv.enable_lora(2)
    a, b = conv._lora_factors()
    b.assign(np.random.default_rng(0).normal(size=b.shape).astype("float32"))
    x = np.random.default_rng(1).normal(size=(2, 10, 10, 1)).astype("float32")
    z = x
    for layer in model.layers[1:]:
        z = layer(z)
    np.testing.assert_allclose(model.predict(x, verbose=0), z.numpy(), rtol=1e-6, atol=1e-6)
