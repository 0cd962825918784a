"""`keras.models.clone_model` arguments (minikeras/models/__init__.py): Keras 3's `call_function`
and `recursive` change the clone (keras/src/models/cloning.py); minikeras used to accept and
drop them. Unknown keyword arguments raise ValueError in Keras ("Unexpected keyword argument(s)").
"""

import pytest

import minikeras as keras


def _nested():
    inner = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)], name="inner")
    inputs = keras.Input((3,))
    return keras.Model(inputs, keras.layers.Dense(1)(inner(inputs)))


def test_call_function_is_refused():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(NotImplementedError, match="call_function"):
        keras.models.clone_model(model, call_function=lambda layer, *a, **k: layer(*a, **k))


def test_recursive_with_clone_function_on_nested_model_is_refused():
    with pytest.raises(NotImplementedError, match=r"recursive.*\['inner'\]"):
        keras.models.clone_model(_nested(), clone_function=lambda l: l, recursive=True)
    # without nested models, or without a clone_function, recursive changes nothing
    flat = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    clone = keras.models.clone_model(
        flat, clone_function=lambda l: l.__class__.from_config(l.get_config()), recursive=True
    )
    assert clone.output_shape == (None, 2)
    assert keras.models.clone_model(_nested(), recursive=True).output_shape == (None, 1)


def test_unknown_keyword_arguments_raise():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="input_tensor"):
        keras.models.clone_model(model, input_tensor=None)
