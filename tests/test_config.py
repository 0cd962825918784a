import numpy as np
import pytest

import minikeras as keras


def test_set_epsilon_changes_the_crossentropy_clip():
    y, p = np.array([[1.0]], "float32"), np.array([[0.0]], "float32")
    try:
        keras.config.set_epsilon(1e-3)
        loss = float(keras.losses.binary_crossentropy(y, p)[0])
        assert loss == pytest.approx(-np.log(1e-3), rel=1e-4)
    finally:
        keras.config.set_epsilon(1e-7)
    assert float(keras.losses.binary_crossentropy(y, p)[0]) == pytest.approx(-np.log(1e-7), rel=1e-3)


def test_snake_case_aliases_as_keras_exports_them():
    assert isinstance(keras.regularizers.l2(1e-4), keras.regularizers.L2)
    assert isinstance(keras.initializers.he_normal(), keras.initializers.HeNormal)
    assert isinstance(keras.constraints.max_norm(3), keras.constraints.MaxNorm)


def test_num_threads_setting():
    keras.config.set_num_threads(1)
    assert keras.config.get_num_threads() == 1
    with pytest.raises(ValueError, match="positive int"):
        keras.config.set_num_threads(0)
