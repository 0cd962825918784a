"""NASNet against real Keras 3.15 (fixtures from make_fixtures.py, written on the jax backend:
Keras 3.15 refuses NASNetMobile on torch): NASNetMobile's layer list at 32x32, weight order and
logits after loading Keras's `.weights.h5`; the parameter counts; "tf"-mode preprocess_input."""

import numpy as np
import pytest
from keras_app_fixtures import assert_layout, assert_parameter_counts, load_and_compare

from minikeras.applications import nasnet


@pytest.fixture(scope="module")
def loaded():
    return load_and_compare("nasnet_mobile")[0]


def test_mobile_layers_and_weight_order_match_keras(loaded):
    assert_layout(loaded, "nasnet_mobile")


def test_mobile_loads_keras_weights_file_and_matches_its_outputs(loaded):
    assert loaded.get_layer("normal_concat_12").output.shape[-1] == 6 * 176


@pytest.mark.parametrize(
    "builder", ["NASNetMobile", pytest.param("NASNetLarge", marks=pytest.mark.slow)]
)
def test_parameter_counts_match_keras(builder):
    assert_parameter_counts(builder, notop=builder == "NASNetMobile")


def test_preprocess_input_and_argument_checks():
    x = np.array([[[0.0, 127.5, 255.0]]])
    np.testing.assert_allclose(nasnet.preprocess_input(x), [[[-1.0, 0.0, 1.0]]])
    with pytest.raises(ValueError, match="must be static"):
        nasnet.NASNetLarge(include_top=False, input_shape=(None, None, 3))
    with pytest.raises(ValueError, match="multiple of"):
        nasnet.NASNet(weights=None, penultimate_filters=100, input_shape=(32, 32, 3))
