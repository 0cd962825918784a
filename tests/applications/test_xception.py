"""Xception against the layer list real Keras 3.15 built (tests/data/keras/applications_k3.json):
same names, classes, connections and arguments; Keras's parameter counts; "tf" preprocessing."""

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
from minikeras.applications import xception


@pytest.fixture(scope="module")
def small_xception():
    return build_like_keras(applications.Xception, "Xception")


def test_layers_match_keras(small_xception):
    assert_matches_keras(small_xception, "Xception")


def test_forward_pass_at_minimum_size(small_xception):
    y = assert_forward_pass(small_xception, xception.preprocess_input)
    assert y.shape == (2, 5)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)  # softmax top


def test_parameter_counts_without_calling():
    # Keras 3.15: 22,910,480 (documented 22.9M) for the default 299x299 model
    keras.backend.clear_session()
    model = applications.Xception(weights=None)
    assert model.count_params() == keras_entry("Xception")["params_full"] == 22_910_480
    assert model.output_shape == (None, 1000)
    model = applications.Xception(
        weights=None, include_top=False, input_shape=(71, 71, 3), pooling="max"
    )
    assert model.count_params() == keras_entry("Xception")["params_notop"]
    assert model.output_shape == (None, 2048)


def test_preprocess_is_tf_mode():
    x = np.array([[[[0.0, 127.5, 255.0]]]])
    np.testing.assert_allclose(xception.preprocess_input(x), [[[[-1.0, 0.0, 1.0]]]])


def test_argument_errors():
    with pytest.raises(ValueError, match="at least 71x71"):
        applications.Xception(weights=None, include_top=False, input_shape=(70, 80, 3))
    with pytest.raises(ValueError, match=r"should be \(299, 299, 3\)"):
        applications.Xception(weights="imagenet", input_shape=(224, 224, 3))
    with pytest.raises(ValueError, match="classes` should be 1000"):
        applications.Xception(weights="imagenet", classes=3)


def test_imagenet_weights_are_not_downloaded(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError, match="xception_weights_tf_dim_ordering_tf_kernels_no"):
        applications.Xception(include_top=False)
