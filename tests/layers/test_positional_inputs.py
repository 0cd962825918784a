"""What a layer accepts as its input, at the edges: Keras 3.15.1 (torch) observed.

Keras 3 converts array-likes to tensors and refuses other positional values with a ValueError
("Only input tensors may be passed as positional arguments..."): a Python string, number, or a
nested list of numbers (a structure of non-tensors to Keras, not an array). minikeras used to
fail later with an AttributeError ("'str' object has no attribute 'shape'")."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers


@pytest.mark.parametrize("value", ["text", [[1, 2]], [1.0, 2.0], 3.5, True])
@pytest.mark.parametrize(
    "make", [layers.ReLU, layers.UpSampling1D, lambda: layers.Dense(3), layers.Flatten]
)
def test_python_values_as_input_are_refused_with_keras_message(make, value):
    layer = make()
    with pytest.raises(ValueError, match="only input tensors may be passed as positional"):
        layer(value)


def test_arrays_and_text_layers_still_take_their_inputs():
    assert layers.ReLU()(np.array([[1.0, -2.0]], "float32")).numpy().tolist() == [[1.0, 0.0]]
    lookup = layers.StringLookup(vocabulary=["a", "b"])
    assert lookup(["b"]).numpy().tolist() == [2]  # a list of strings is text for text layers
    # an op node keeps a plain number as an argument (`2 - x` in a functional model)
    x = keras.Input((3,))
    model = keras.Model(x, 2 - x)
    np.testing.assert_array_equal(model(np.ones((1, 3), "float32")), np.ones((1, 3)))


def test_scalar_inputs_to_shape_needing_layers_say_so():
    with pytest.raises(ValueError, match="Reshape layer .* expected inputs with a batch axis"):
        layers.Reshape((2, 2))(np.float32(1))
    for cell in (layers.LSTMCell(3), layers.SimpleRNNCell(3), layers.GRUCell(3)):
        with pytest.raises(ValueError, match="expects inputs of shape \\(batch, features\\)"):
            cell.build(())


def test_none_as_input_is_keras_value_error_unless_optional():
    for layer in (layers.SpatialDropout1D(0.5), layers.Rescaling(2.0), layers.RandomFlip()):
        with pytest.raises(ValueError, match="Inputs to a layer should be tensors. Got 'None'"):
            layer(None)
    # a functional model with an optional input runs on None (tests/models/test_functional.py)
    b = keras.Input((2,), optional=True)
    assert keras.Model(b, layers.Identity()(b)) is not None


def test_preprocessing_layers_take_python_values_as_keras_data_layers_do():
    # Keras 3's DataLayer subclasses (Rescaling, the augmentations, ...) allow non-tensor
    # positional inputs and convert them: Rescaling(2.0)([[1, 2]]) -> [[2., 4.]] (float32)
    out = layers.Rescaling(2.0)([[1, 2]])
    assert out.dtype == np.float32 and out.numpy().tolist() == [[2.0, 4.0]]
    assert layers.Rescaling(2.0)(3.0).numpy() == np.float32(6.0)
    with pytest.raises(ValueError, match="expects images of rank 3"):
        layers.RandomFlip()([1.0, 2.0])  # converted, then refused for its rank
