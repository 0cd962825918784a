"""MobileNetV3 against real Keras 3.15 (fixtures from make_fixtures.py): Small (hard swish,
squeeze-and-excite) and Large minimalistic alpha=0.75 (ReLU only): layer lists with Keras's
auto-numbered activations, weight order, and logits after loading Keras's `.weights.h5` and
(Small) its legacy `.h5`; parameter counts; the identity preprocess_input."""

import numpy as np
import pytest
from keras_app_fixtures import assert_layout, assert_parameter_counts, build, load_and_compare

from minikeras.applications import mobilenet_v3


@pytest.mark.parametrize("stem", ["mobilenet_v3_small", "mobilenet_v3_large_min"])
def test_layers_and_weight_order_match_keras(stem):
    assert_layout(build(stem), stem)


@pytest.mark.parametrize("stem", ["mobilenet_v3_small", "mobilenet_v3_large_min"])
def test_loads_keras_weights_file_and_matches_its_outputs(stem):
    load_and_compare(stem)


def test_small_loads_keras_legacy_h5_weights():
    load_and_compare("mobilenet_v3_small", "_legacy.h5")


@pytest.mark.parametrize("builder", ["MobileNetV3Small", "MobileNetV3Large"])
def test_parameter_counts_match_keras(builder):
    assert_parameter_counts(builder)


def test_preprocess_input_is_identity_and_imagenet_checks(tmp_path, monkeypatch):
    x = np.zeros((1, 2, 2, 3))
    assert mobilenet_v3.preprocess_input(x) is x
    with pytest.raises(ValueError, match="alpha can be one of"):
        mobilenet_v3.MobileNetV3Small(alpha=0.5)
    with pytest.raises(ValueError, match="at least 32x32"):
        mobilenet_v3.MobileNetV3Small(weights=None, input_shape=(16, 16, 3))
    for env in ("MINIKERAS_HOME", "KERAS_HOME", "HOME"):
        monkeypatch.setenv(env, str(tmp_path))
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError, match="weights_mobilenet_v3_large_224_1.0_float.h5"):
        with pytest.warns(UserWarning, match="224"):
            mobilenet_v3.MobileNetV3Large()
