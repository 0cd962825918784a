"""ResNet50V2/101V2/152V2 against the layer lists real Keras 3.15 built
(tests/data/keras/applications_k3.json): same names, classes, connections and arguments; Keras's
parameter counts; "tf" preprocessing."""

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
from minikeras.applications import resnet_v2


@pytest.fixture(scope="module")
def small_resnet50v2():
    return build_like_keras(applications.ResNet50V2, "ResNet50V2")


def test_resnet50v2_layers_match_keras(small_resnet50v2):
    assert_matches_keras(small_resnet50v2, "ResNet50V2")


def test_resnet50v2_forward_pass_at_minimum_size(small_resnet50v2):
    y = assert_forward_pass(small_resnet50v2, resnet_v2.preprocess_input)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)  # softmax top


@pytest.mark.parametrize("builder", ["ResNet101V2", "ResNet152V2"])
def test_deeper_models_match_keras(builder):
    model = build_like_keras(getattr(applications, builder), builder)
    assert_matches_keras(model, builder)


def test_full_size_parameter_counts_without_calling():
    # Keras 3.15: 25,613,800 for ResNet50V2 at 224x224 (documented 25.6M)
    keras.backend.clear_session()
    model = applications.ResNet50V2(weights=None)
    assert model.count_params() == keras_entry("ResNet50V2")["params_full"] == 25_613_800
    model = applications.ResNet50V2(
        weights=None, include_top=False, input_shape=(32, 32, 3), pooling="max"
    )
    assert model.count_params() == keras_entry("ResNet50V2")["params_notop"]
    assert model.output_shape == (None, 2048) and model.layers[-1].name == "max_pool"


def test_preprocess_is_tf_mode():
    x = np.array([[[[0.0, 127.5, 255.0]]]])
    np.testing.assert_allclose(resnet_v2.preprocess_input(x), [[[[-1.0, 0.0, 1.0]]]])


def test_argument_errors_and_missing_imagenet_file(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="at least 32x32"):
        applications.ResNet50V2(weights=None, include_top=False, input_shape=(31, 64, 3))
    with pytest.raises(ValueError, match="classes` should be 1000"):
        applications.ResNet101V2(weights="imagenet", classes=3)
    for env in ("MINIKERAS_HOME", "KERAS_HOME", "HOME"):
        monkeypatch.setenv(env, str(tmp_path))
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError, match="resnet152v2_weights_tf_dim_ordering_tf_kernels"):
        applications.ResNet152V2()
