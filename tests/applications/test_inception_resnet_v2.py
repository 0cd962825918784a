"""InceptionResNetV2 against real Keras 3.15 (fixtures from make_fixtures.py): the layer list at
75x75 (the smallest size, auto-named conv/BN/activation layers and CustomScaleLayers), weight
order and logits after loading Keras's `.weights.h5`; the parameter counts; "tf"-mode
preprocess_input."""

import numpy as np
import pytest
from keras_app_fixtures import assert_layout, assert_parameter_counts, load_and_compare

from minikeras.applications import inception_resnet_v2


@pytest.fixture(scope="module")
def loaded():
    return load_and_compare("inception_resnet_v2")[0]


def test_layers_and_weight_order_match_keras(loaded):
    assert_layout(loaded, "inception_resnet_v2")


def test_loads_keras_weights_file_and_matches_its_outputs(loaded):
    assert loaded.get_layer("custom_scale_layer").scale == 0.17


@pytest.mark.slow
def test_parameter_counts_match_keras():
    # Keras 3.15: 55,873,736 with the top (documented 55.9M)
    assert_parameter_counts("InceptionResNetV2")


def test_custom_scale_layer_and_preprocess_input():
    layer = inception_resnet_v2.CustomScaleLayer(0.5)
    y = layer([np.ones((1, 2), "float32"), np.full((1, 2), 4.0, "float32")])
    np.testing.assert_allclose(y.numpy(), [[3.0, 3.0]])
    x = np.array([[[0.0, 127.5, 255.0]]])
    np.testing.assert_allclose(inception_resnet_v2.preprocess_input(x), [[[-1.0, 0.0, 1.0]]])
    with pytest.raises(ValueError, match="at least 75x75"):
        inception_resnet_v2.InceptionResNetV2(weights=None, input_shape=(64, 64, 3))
