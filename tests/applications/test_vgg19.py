"""VGG19 against the layer list real Keras 3.15 built (tests/data/keras/applications_k3.json):
same names, classes, connections and arguments; Keras's parameter counts; "caffe"
preprocessing."""

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
from minikeras.applications import vgg19


@pytest.fixture(scope="module")
def small_vgg19():
    return build_like_keras(applications.VGG19, "VGG19")


def test_layers_match_keras(small_vgg19):
    assert_matches_keras(small_vgg19, "VGG19")


def test_forward_pass_at_minimum_size(small_vgg19):
    y = assert_forward_pass(small_vgg19, vgg19.preprocess_input)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)  # softmax top


@pytest.mark.parametrize("pooling", ["avg", "max"])
def test_without_top(pooling):
    keras.backend.clear_session()
    model = applications.VGG19(
        weights=None, include_top=False, input_shape=(32, 32, 3), pooling=pooling
    )
    assert model.count_params() == keras_entry("VGG19")["params_notop"] == 20_024_384
    assert model.output_shape == (None, 512)
    assert_forward_pass(model, vgg19.preprocess_input, batch=1)


@pytest.mark.slow
def test_full_size_parameter_count():
    # Keras 3.15 (and its documentation): 143,667,240 at 224x224; 143M float32 weights to build
    model = applications.VGG19(weights=None)
    assert model.count_params() == keras_entry("VGG19")["params_full"] == 143_667_240


def test_preprocess_is_caffe_mode():
    x = np.array([[[[255.0, 0.0, 0.0]]]])
    np.testing.assert_allclose(
        vgg19.preprocess_input(x), [[[[-103.939, -116.779, 131.32]]]], rtol=1e-6
    )


def test_argument_errors_and_missing_imagenet_file(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="at least 32x32"):
        applications.VGG19(weights=None, include_top=False, input_shape=(32, 16, 3))
    with pytest.raises(ValueError, match="classes` should be 1000"):
        applications.VGG19(weights="imagenet", classes=2)
    for env in ("MINIKERAS_HOME", "KERAS_HOME", "HOME"):
        monkeypatch.setenv(env, str(tmp_path))
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError, match="vgg19_weights_tf_dim_ordering_tf_kernels_notop"):
        applications.VGG19(include_top=False)
