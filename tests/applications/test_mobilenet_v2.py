"""MobileNetV2 against the model real Keras 3.15 saved (tests/data/keras/mobilenetv2_top_k3.*):
same layers, same weights order, same predictions; plus Keras's parameter counts and checks."""

import json
import os

import h5py
import numpy as np
import pytest

import minikeras as keras
from minikeras import applications
from minikeras.applications import mobilenet_v2

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "keras")
FIXTURE_KW = {"input_shape": (64, 64, 3), "alpha": 0.35, "include_top": True, "classes": 5}


def _path(ext):
    return os.path.join(DATA, f"mobilenetv2_top_k3.{ext}")


@pytest.fixture(scope="module")
def npz():
    return np.load(_path("npz"))


@pytest.fixture(scope="module")
def keras_config():
    with h5py.File(_path("h5"), "r") as f:
        return json.loads(f.attrs["model_config"])


def test_weights_file_reproduces_keras_predictions(npz):
    model = applications.MobileNetV2(weights=_path("weights.h5"), **FIXTURE_KW)
    np.testing.assert_allclose(model.predict(npz["x"], verbose=0), npz["y"], atol=1e-4)
    # get_weights order is Keras 3's (the npz holds Keras's own get_weights())
    weights = model.get_weights()
    assert len(weights) == int(npz["n_weights"])
    for i, w in enumerate(weights):
        np.testing.assert_array_equal(w, npz[f"w{i:03d}"])


@pytest.mark.parametrize("ext", ["h5", "keras"])
def test_load_model_of_keras_files(npz, ext):
    model = keras.saving.load_model(_path(ext))
    np.testing.assert_allclose(model.predict(npz["x"], verbose=0), npz["y"], atol=1e-4)


def _lists(value):
    return [_lists(v) for v in value] if isinstance(value, (tuple, list)) else value


def test_layers_match_keras(keras_config):
    keras.backend.clear_session()
    model = applications.MobileNetV2(weights=None, **FIXTURE_KW)
    config = keras_config["config"]
    assert model.name == config["name"] == "mobilenetv2_0.35_64"
    assert [l.name for l in model.layers] == [l["config"]["name"] for l in config["layers"]]
    assert [type(l).__name__ for l in model.layers] == [l["class_name"] for l in config["layers"]]
    # the arguments Keras used for each layer (filters, strides, padding, epsilon, ...)
    keys = (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "use_bias",
        "epsilon",
        "momentum",
        "max_value",
        "units",
        "activation",
    )
    for layer, saved in zip(model.layers[1:], config["layers"][1:]):
        ours = layer.get_config()
        for key in keys:
            if key in saved["config"]:
                # JSON holds Keras's tuples (kernel_size, strides, padding) as lists
                assert _lists(ours[key]) == saved["config"][key], (layer.name, key)
        if type(layer).__name__ == "ZeroPadding2D":
            assert _lists(ours["padding"]) == saved["config"]["padding"], layer.name


def test_full_size_parameter_count():
    model = applications.MobileNetV2(weights=None)
    assert model.name == "mobilenetv2_1.00_224"
    assert model.count_params() == 3_538_984  # Keras's documented figure
    lines = []
    model.summary(print_fn=lambda line, **kw: lines.append(line))
    assert any("Total params: 3,538,984" in line for line in lines)


@pytest.mark.parametrize("pooling,channels", [("avg", 1280), ("max", 1280)])
def test_feature_extractor_pooling(pooling, channels):
    model = applications.MobileNetV2(
        input_shape=(32, 32, 3), include_top=False, weights=None, pooling=pooling
    )
    assert model.output_shape == (None, channels)
    # without the top: 3,538,984 - (1280 * 1000 + 1000) parameters, for any input size
    assert model.count_params() == 3_538_984 - 1_281_000
    y = model.predict(np.random.default_rng(0).random((2, 32, 32, 3), "float32"), verbose=0)
    assert y.shape == (2, channels) and np.isfinite(y).all()


def test_no_pooling_gives_feature_map():
    model = applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None)
    assert model.output_shape == (None, 2, 2, 1280)


def test_wide_alpha_widens_last_conv():
    model = applications.MobileNetV2(
        input_shape=(32, 32, 3), alpha=1.4, include_top=False, weights=None
    )
    assert model.get_layer("Conv_1").filters == 1792  # 1280 * 1.4, rounded to a multiple of 8
    assert model.get_layer("Conv1").filters == 48
    assert model.name == "mobilenetv2_1.40_32"  # rows of input_shape, as "..._0.35_64"


def test_make_divisible():
    assert mobilenet_v2._make_divisible(32 * 0.35, 8) == 16
    assert mobilenet_v2._make_divisible(16 * 0.35, 8) == 8
    assert mobilenet_v2._make_divisible(1280 * 1.3, 8) == 1664
    assert mobilenet_v2._make_divisible(96 * 0.75, 8) == 72


def test_input_tensor_and_name():
    inp = keras.Input((32, 32, 3))
    model = applications.MobileNetV2(
        input_tensor=inp, include_top=False, weights=None, pooling="avg", name="backbone"
    )
    assert model.name == "backbone"
    assert model.inputs[0] is inp


def test_argument_errors(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="classes` should be 1000"):
        applications.MobileNetV2(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="alpha must be one of"):
        applications.MobileNetV2(weights="imagenet", alpha=0.6, include_top=False)
    with pytest.raises(ValueError, match="at least 32x32"):
        applications.MobileNetV2(input_shape=(16, 16, 3), weights=None, include_top=False)
    with pytest.raises(ValueError, match="The `weights` argument"):
        applications.MobileNetV2(weights=str(tmp_path / "missing.h5"))
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(
        FileNotFoundError, match="mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"
    ):
        applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, include_top=False)


def test_imagenet_weights_come_from_local_cache(tmp_path, monkeypatch):
    # a Keras 2 style weights-only file (the format of Keras's ImageNet files) in the cache
    source = applications.MobileNetV2(
        input_shape=(96, 96, 3), alpha=0.35, include_top=False, weights=None
    )
    rng = np.random.default_rng(0)
    source.set_weights(
        [rng.standard_normal(w.shape).astype("float32") for w in source.get_weights()]
    )
    models = tmp_path / "models"
    models.mkdir()
    source.save_weights(
        str(models / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5")
    )
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path))
    model = applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, include_top=False)
    for a, b in zip(model.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(a, b)
