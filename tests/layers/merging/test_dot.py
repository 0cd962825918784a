import numpy as np
import pytest

import minikeras as keras
from merging_helpers import run_merge_test


def test_dot_2d_gives_batch_by_one():
    run_merge_test(
        keras.layers.Dot,
        {"axes": 1},
        [(3, 4), (3, 4)],
        (3, 1),
        reference=lambda a, b: np.sum(a * b, axis=1, keepdims=True),
    )


def test_dot_axes_pair_on_3d():
    run_merge_test(
        keras.layers.Dot,
        {"axes": (1, 2)},
        [(2, 5, 3), (2, 4, 5)],
        (2, 3, 4),
        reference=lambda a, b: np.einsum("bij,bki->bjk", a, b),
    )
    run_merge_test(
        keras.layers.Dot,
        {"axes": (2, 1)},
        [(2, 3, 4), (2, 4, 5)],
        (2, 3, 5),
        reference=lambda a, b: a @ b,
    )
    run_merge_test(
        keras.layers.Dot,
        {"axes": -1},
        [(2, 3, 4), (2, 4)],
        (2, 3),
        reference=lambda a, b: np.einsum("bij,bj->bi", a, b),
    )


def test_dot_normalize_gives_cosine_similarity():
    def ref(a, b):
        norms = np.linalg.norm(a, axis=1, keepdims=True) * np.linalg.norm(b, axis=1, keepdims=True)
        return np.sum(a * b, 1, keepdims=True) / norms

    run_merge_test(
        keras.layers.Dot, {"axes": 1, "normalize": True}, [(3, 4), (3, 4)], (3, 1), reference=ref
    )


def test_dot_functional_form_and_config():
    x = np.arange(10, dtype="float32").reshape(1, 5, 2)
    y = np.arange(10, 20, dtype="float32").reshape(1, 2, 5)
    out = keras.layers.dot([x, y], axes=(1, 2))
    np.testing.assert_allclose(np.asarray(out), np.einsum("bij,bki->bjk", x, y))
    config = keras.layers.Dot(axes=(1, 2), normalize=True).get_config()
    assert config["axes"] == (1, 2) and config["normalize"] is True  # Keras 3.15.1: a tuple


def test_dot_config_keeps_the_axes_type_as_keras():
    """Keras 3.15.1: Dot(axes=(1, 1)) saves (1, 1), Dot(axes=[1, 1]) saves [1, 1], an int stays."""
    assert keras.layers.Dot(axes=(1, 1)).get_config()["axes"] == (1, 1)
    assert type(keras.layers.Dot(axes=(1, 1)).get_config()["axes"]) is tuple
    assert type(keras.layers.Dot(axes=[1, 1]).get_config()["axes"]) is list
    assert keras.layers.Dot(axes=1).get_config()["axes"] == 1


def test_dot_errors():
    with pytest.raises(ValueError, match=r"dd.*axis values 4.*!= 5"):
        keras.layers.Dot(axes=1, name="dd")([np.ones((2, 4)), np.ones((2, 5))])
    with pytest.raises(ValueError, match="list of 2 inputs"):
        keras.layers.Dot(axes=1)([np.ones((2, 4))] * 3)
    with pytest.raises(ValueError, match="batch"):
        keras.layers.Dot(axes=0)([np.ones((2, 4)), np.ones((2, 4))])
    with pytest.raises(TypeError, match="axes"):
        keras.layers.Dot(axes="1")
    with pytest.raises(ValueError, match="axes"):
        keras.layers.Dot(axes=(1, 2, 3))
