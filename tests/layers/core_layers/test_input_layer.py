"""`InputLayer` / `keras.Input` arguments that minikeras cannot honour raise instead of being
dropped. Keras 3's numpy and torch backends raise ValueError("`sparse=True` is not supported with
the <backend> backend") for `sparse=True` and `ragged=True` (keras/src/layers/core/input_layer.py).
"""

import pytest

import minikeras as keras


@pytest.mark.parametrize("arg", ["sparse", "ragged"])
def test_sparse_and_ragged_inputs_raise(arg):
    with pytest.raises(ValueError, match=f"`{arg}=True` is not supported"):
        keras.Input((3,), **{arg: True})
    with pytest.raises(ValueError, match=f"`{arg}=True` is not supported"):
        keras.layers.InputLayer(shape=(3,), **{arg: True})
    assert keras.Input((3,), **{arg: False}).shape == (None, 3)


def test_wrapping_an_existing_tensor_is_refused():
    # Keras makes the given KerasTensor the input; minikeras used to make a new one silently
    t = keras.layers.Dense(2)(keras.Input((3,)))
    with pytest.raises(NotImplementedError, match="input_tensor"):
        keras.Input(tensor=t)
    with pytest.raises(NotImplementedError, match="input_tensor"):
        keras.layers.InputLayer(input_tensor=t)


def test_input_layer_config_as_keras():
    """Keras 3.15.1: InputLayer(shape=(3,)).get_config() == {'batch_shape': (None, 3),
    'dtype': 'float32', 'sparse': False, 'ragged': False, 'name': ..., 'optional': False}."""
    config = keras.layers.InputLayer(shape=(3,), name="inp").get_config()
    assert config == {
        "batch_shape": (None, 3),
        "dtype": "float32",
        "sparse": False,
        "ragged": False,
        "name": "inp",
        "optional": False,
    }
    assert type(config["batch_shape"]) is tuple
    assert keras.layers.InputLayer.from_config(config).batch_shape == (None, 3)


def test_non_integer_dimensions_are_refused_with_keras_message():
    # Keras 3.15.1: "Cannot convert '('a',)' to a shape. Found invalid dimension 'a' of type ..."
    import numpy as np
    import pytest

    import minikeras as keras

    for kwargs, shown in (
        ({"shape": "a"}, "('a',)"),
        ({"shape": (2.5,)}, "(2.5,)"),
        ({"batch_shape": (None, "x")}, "(None, 'x')"),
    ):
        with pytest.raises(
            ValueError, match=r"Cannot convert '" + shown.replace("(", r"\(").replace(")", r"\)")
        ):
            keras.Input(**kwargs)
    assert keras.Input(shape=(np.int64(3), None)).shape == (None, 3, None)
    assert keras.Input(shape=5).shape == (None, 5)
