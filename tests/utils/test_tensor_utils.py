"""keras.utils.get_source_inputs / is_keras_tensor / standardize_dtype, as Keras 3.15.1 (torch)
answers the same calls."""

import numpy as np
import pytest

import minikeras as keras


def test_get_source_inputs_walks_layers_and_ops_in_order():
    """Keras: the inputs of a graph joining two branches (one through keras.ops.add) are [a, b];
    of an Input, [itself]; of ops.add(b, a), [b, a]; a numpy array comes back unchanged."""
    a, b = keras.Input((3,)), keras.Input((3,))
    h = keras.layers.Dense(2)(b)
    y = keras.layers.Concatenate()([keras.layers.Dense(2)(a), h, keras.ops.add(h, 1.0)])
    assert keras.utils.get_source_inputs(y) == [a, b]
    assert keras.utils.get_source_inputs(a) == [a]
    assert keras.utils.get_source_inputs(keras.ops.add(b, a)) == [b, a]
    x = np.ones(2)
    assert keras.utils.get_source_inputs(x) is x


def test_is_keras_tensor():
    """Keras: True for keras.Input, False for a concrete tensor."""
    assert keras.utils.is_keras_tensor(keras.Input((3,)))
    assert not keras.utils.is_keras_tensor(keras.ops.ones(2))
    assert not keras.utils.is_keras_tensor(np.ones(2))


@pytest.mark.parametrize(
    "dtype, name",
    [
        ("int", "int32"),
        (np.float64, "float64"),
        (np.dtype("int8"), "int8"),
        (None, "float32"),
        (float, "float32"),
        (int, "int32"),
        (bool, "bool"),
        ("string", "string"),
        ("complex64", "complex64"),
    ],
)
def test_standardize_dtype_names(dtype, name):
    """Names Keras 3 returns for these inputs."""
    assert keras.utils.standardize_dtype(dtype) == name


@pytest.mark.parametrize("dtype", ["float", "foo", object])
def test_standardize_dtype_rejects_what_keras_rejects(dtype):
    """Keras 3 raises ValueError("Invalid dtype: ...") for "float", "foo" and `object`."""
    with pytest.raises(ValueError, match="Invalid dtype"):
        keras.utils.standardize_dtype(dtype)
