"""Discretization against Keras 3 (docstring examples; adapted boundaries of Keras 3.15.1)."""

import numpy as np
import pytest

import minikeras as keras
from lookup_fixtures import case_id, cases, check_case


@pytest.mark.parametrize("case", cases("Discretization"), ids=case_id)
def test_matches_keras_run(case):
    check_case(case)


def test_adapted_config_round_trip():
    layer = keras.layers.Discretization(num_bins=4)
    layer.adapt(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
    again = keras.layers.Discretization.from_config(layer.get_config())
    assert again.bin_boundaries == layer.bin_boundaries
    with pytest.raises(ValueError, match="bin_boundaries"):
        keras.layers.Discretization(bin_boundaries=[0.0]).adapt(np.zeros(3))
