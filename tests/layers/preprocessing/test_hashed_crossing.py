"""HashedCrossing against Keras 3 (docstring examples and Keras 3.15.1 runs)."""

import numpy as np
import pytest

import minikeras as keras
from lookup_fixtures import case_id, cases, check_case


@pytest.mark.parametrize("case", cases("HashedCrossing"), ids=case_id)
def test_matches_keras_run(case):
    check_case(case)


def test_symbolic_and_errors():
    a = keras.Input(shape=(1,), dtype="string")
    b = keras.Input(shape=(1,), dtype="int64")
    out = keras.layers.HashedCrossing(4, output_mode="one_hot")((a, b))
    assert out.shape == (None, 4)
    with pytest.raises(ValueError, match="list or tuple"):
        keras.layers.HashedCrossing(4)(np.array([1]))
