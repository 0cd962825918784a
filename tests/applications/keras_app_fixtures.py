"""Checks of the newer applications against the files real Keras 3 wrote for them
(`tests/applications/fixtures/`, from `make_fixtures.py`): the layer list, the weight order, the
outputs after loading Keras's weight files, and the parameter counts of every variant."""

import importlib
import json
import os

import numpy as np

import minikeras as keras

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
with open(os.path.join(FIXTURES, "keras_apps.json")) as _f:
    KERAS = json.load(_f)

# float32 rounding: Keras (XLA convs) and minikeras (im2col + BLAS) sum in different orders, and
# the differences grow through 100-800 layers; observed up to ~2e-6 of the output scale
RTOL = 1e-4


def build(stem, **overrides):
    """minikeras's model with the arguments Keras's fixture model was built with, in a fresh
    session (auto-numbered layer names assume one)."""
    entry = KERAS["fixtures"][stem]
    kwargs = dict(entry["kwargs"], **overrides)
    kwargs["input_shape"] = tuple(kwargs["input_shape"])
    keras.backend.clear_session()
    return getattr(keras.applications, entry["builder"])(**kwargs)


_MODULES = {
    "ConvNeXtTiny": "minikeras.applications.convnext",
    "EfficientNetV2B0": "minikeras.applications.efficientnet_v2",
    "MobileNet": "minikeras.applications.mobilenet",
    "MobileNetV3Small": "minikeras.applications.mobilenet_v3",
    "MobileNetV3Large": "minikeras.applications.mobilenet_v3",
    "InceptionResNetV2": "minikeras.applications.inception_resnet_v2",
    "NASNetMobile": "minikeras.applications.nasnet",
}


def assert_layout(model, stem):
    """Keras's model name, layer names and classes in order, weight shapes in Keras's order
    (the order a weights file is read by position) and parameter count."""
    entry = KERAS["fixtures"][stem]
    assert model.name == entry["name"]
    assert [[layer.name, type(layer).__name__] for layer in model.layers] == entry["layers"]
    assert [list(w.shape) for w in model.weights] == entry["weight_shapes"]
    assert model.count_params() == entry["params"]


def assert_matches_keras_outputs(model, stem):
    """Keras's logits on the fixture images, through the module's `preprocess_input`."""
    data = np.load(os.path.join(FIXTURES, stem + ".npz"))
    module = importlib.import_module(_MODULES[KERAS["fixtures"][stem]["builder"]])
    y = model.predict(module.preprocess_input(data["x"].copy()), verbose=0)
    expected = data["y"]
    scale = float(np.abs(expected).max())
    np.testing.assert_allclose(y, expected, rtol=0, atol=RTOL * scale)
    return y


def load_and_compare(stem, file_suffix=".weights.h5"):
    """Builds the model, loads Keras's weights file into it and compares the outputs."""
    model = build(stem)
    model.load_weights(os.path.join(FIXTURES, stem + file_suffix))
    return model, assert_matches_keras_outputs(model, stem)


def assert_parameter_counts(builder, notop=True):
    """Keras's count of the default model (the top's weights do not depend on the input size,
    so it is built at the smallest size) and of the model without the top."""
    entry = KERAS["counts"][builder]
    size = entry["notop_size"]
    build_fn = getattr(keras.applications, builder)
    keras.backend.clear_session()
    model = build_fn(weights=None, input_shape=(size, size, 3))
    assert model.count_params() == entry["params_full"]
    if notop:
        keras.backend.clear_session()
        model = build_fn(weights=None, include_top=False, input_shape=(size, size, 3))
        assert model.count_params() == entry["params_notop"]
