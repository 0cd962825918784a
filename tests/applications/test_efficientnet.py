"""EfficientNetB0-B7 against what real Keras 3.15 built (tests/data/keras/applications_k3.json):
B0's layer names, classes, connections and arguments (initializers, drop-connect rates, SE
shapes); every variant's parameter count; the identity preprocess_input."""

import json
import os

import numpy as np
import pytest
from helpers_applications import (
    assert_forward_pass,
    assert_matches_keras,
    build_like_keras,
    keras_entry,
)

import minikeras as keras
from minikeras import applications
from minikeras.applications import efficientnet

with open(
    os.path.join(os.path.dirname(__file__), "..", "data", "keras", "applications_k3.json")
) as _f:
    KERAS_COUNTS = json.load(_f)["counts"]


@pytest.fixture(scope="module")
def small_b0():
    return build_like_keras(applications.EfficientNetB0, "EfficientNetB0")


def test_b0_layers_match_keras(small_b0):
    assert_matches_keras(small_b0, "EfficientNetB0")
    conv = small_b0.get_layer("block2a_expand_conv").get_config()["kernel_initializer"]
    assert conv["class_name"] == "VarianceScaling"
    assert conv["config"]["mode"] == "fan_out" and conv["config"]["scale"] == 2.0


def test_b0_forward_pass_at_minimum_size(small_b0):
    # raw [0, 255] pixels: the model rescales them itself
    y = assert_forward_pass(small_b0, efficientnet.preprocess_input)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)  # softmax top


def test_b0_full_size_parameter_count_without_calling():
    # Keras 3.15: 5,330,571 at 224x224 (documented 5.3M), counting Normalization's 7 weights
    keras.backend.clear_session()
    model = applications.EfficientNetB0(weights=None)
    assert model.count_params() == keras_entry("EfficientNetB0")["params_full"] == 5_330_571
    assert model.input_shape == (None, 224, 224, 3)


@pytest.mark.parametrize(
    "variant", [1, 2, 3] + [pytest.param(v, marks=pytest.mark.slow) for v in (4, 5, 6, 7)]
)
def test_scaled_variants_parameter_counts(variant):
    # without the top the count does not depend on the input size, so build at 32x32
    name = f"EfficientNetB{variant}"
    keras.backend.clear_session()
    model = getattr(applications, name)(weights=None, include_top=False, input_shape=(32, 32, 3))
    assert model.name == name.lower()
    assert model.count_params() == KERAS_COUNTS[name]["params_notop"]
    width = model.get_layer("top_conv").filters
    # the top adds Dense(width -> 1000); Keras's full count = no-top count + that
    assert KERAS_COUNTS[name]["params_full"] == model.count_params() + width * 1000 + 1000


def test_preprocess_input_is_identity():
    x = np.array([[[[0.0, 127.5, 255.0]]]])
    assert efficientnet.preprocess_input(x) is x


def test_argument_errors_and_missing_imagenet_file(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="at least 32x32"):
        applications.EfficientNetB0(weights=None, include_top=False, input_shape=(31, 64, 3))
    with pytest.raises(ValueError, match=r"should be \(240, 240, 3\)"):
        applications.EfficientNetB1(weights="imagenet", input_shape=(224, 224, 3))
    for env in ("MINIKERAS_HOME", "KERAS_HOME", "HOME"):
        monkeypatch.setenv(env, str(tmp_path))
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError, match="efficientnetb0_notop.h5"):
        applications.EfficientNetB0(include_top=False)
