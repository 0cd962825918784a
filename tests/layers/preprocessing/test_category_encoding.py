"""CategoryEncoding against Keras 3 (docstring examples and Keras 3.15.1 runs)."""

import numpy as np
import pytest

import minikeras as keras
from lookup_fixtures import case_id, cases, check_case


@pytest.mark.parametrize("case", cases("CategoryEncoding"), ids=case_id)
def test_matches_keras_run(case):
    check_case(case)


def test_count_weights_docstring_example():
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count")
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]])
    out = layer([[0, 1], [0, 0], [1, 2], [3, 1]], count_weights=weights).numpy()
    np.testing.assert_allclose(
        out, [[0.1, 0.2, 0, 0], [0.2, 0, 0, 0], [0, 0.2, 0.3, 0], [0, 0.2, 0, 0.4]], rtol=1e-6
    )


def test_symbolic_shape_and_errors():
    inp = keras.Input(shape=(2,), dtype="int32")
    assert keras.layers.CategoryEncoding(5)(inp).shape == (None, 5)
    with pytest.raises(ValueError, match=r"\[0, 4\)"):
        keras.layers.CategoryEncoding(4)([5])
    with pytest.raises(ValueError, match="count_weights"):
        keras.layers.CategoryEncoding(4)([1], count_weights=[1.0])
