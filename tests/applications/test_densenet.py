"""DenseNet121/169/201 against the layer lists real Keras 3.15 built
(tests/data/keras/applications_k3.json): same names, classes, connections and arguments; Keras's
parameter counts; "torch" preprocessing."""

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
from minikeras.applications import densenet


@pytest.fixture(scope="module")
def small_densenet121():
    return build_like_keras(applications.DenseNet121, "DenseNet121")


def test_densenet121_layers_match_keras(small_densenet121):
    assert_matches_keras(small_densenet121, "DenseNet121")


def test_densenet121_forward_pass_at_minimum_size(small_densenet121):
    y = assert_forward_pass(small_densenet121, densenet.preprocess_input)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)  # softmax top


@pytest.mark.parametrize("builder", ["DenseNet169", "DenseNet201"])
def test_deeper_models_match_keras(builder):
    model = build_like_keras(getattr(applications, builder), builder)
    assert_matches_keras(model, builder)


def test_full_size_parameter_count_without_calling():
    # Keras 3.15: 8,062,504 for DenseNet121 at 224x224 (documented 8.1M)
    keras.backend.clear_session()
    model = applications.DenseNet121(weights=None)
    assert model.count_params() == keras_entry("DenseNet121")["params_full"] == 8_062_504
    model = applications.DenseNet121(
        weights=None, include_top=False, input_shape=(32, 32, 3), pooling="max"
    )
    assert model.count_params() == keras_entry("DenseNet121")["params_notop"]
    assert model.output_shape == (None, 1024) and model.layers[-1].name == "max_pool"


def test_preprocess_is_torch_mode():
    x = np.array([[[[255.0, 0.0, 127.5]]]])
    expected = [[[[(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0.5 - 0.406) / 0.225]]]]
    np.testing.assert_allclose(densenet.preprocess_input(x), expected, rtol=1e-6)


def test_argument_errors_and_missing_imagenet_file(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="at least 32x32"):
        applications.DenseNet121(weights=None, include_top=False, input_shape=(31, 64, 3))
    with pytest.raises(ValueError, match="classes` should be 1000"):
        applications.DenseNet169(weights="imagenet", classes=3)
    for env in ("MINIKERAS_HOME", "KERAS_HOME", "HOME"):
        monkeypatch.setenv(env, str(tmp_path))
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError, match="densenet201_weights_tf_dim_ordering_tf_kernels"):
        applications.DenseNet201()
