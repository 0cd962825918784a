"""MobileNet (v1) against real Keras 3.15 (fixtures from make_fixtures.py): alpha=0.25's layer
list, weight order and logits after loading Keras's own `.weights.h5` file (not repacked); the
parameter counts; the "tf"-mode preprocess_input and the ImageNet argument checks."""

import numpy as np
import pytest
from keras_app_fixtures import assert_layout, assert_parameter_counts, build, load_and_compare

from minikeras.applications import mobilenet


def test_alpha_025_layers_and_weight_order_match_keras():
    assert_layout(build("mobilenet_025"), "mobilenet_025")


def test_alpha_025_loads_keras_weights_file_and_matches_its_outputs():
    load_and_compare("mobilenet_025")


def test_parameter_counts_match_keras():
    # Keras 3.15: 4,253,864 with the top (documented 4.3M)
    assert_parameter_counts("MobileNet")


def test_preprocess_input_scales_to_minus_one_one():
    x = np.array([[[0.0, 127.5, 255.0]]])
    np.testing.assert_allclose(mobilenet.preprocess_input(x), [[[-1.0, 0.0, 1.0]]])


def test_imagenet_argument_checks(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="depth multiplier must be 1"):
        mobilenet.MobileNet(depth_multiplier=2)
    with pytest.raises(ValueError, match="alpha can be one of"):
        mobilenet.MobileNet(alpha=0.3)
    for env in ("MINIKERAS_HOME", "KERAS_HOME", "HOME"):
        monkeypatch.setenv(env, str(tmp_path))
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError, match="mobilenet_2_5_128_tf_no_top.h5"):
        mobilenet.MobileNet(alpha=0.25, include_top=False, input_shape=(128, 128, 3))
