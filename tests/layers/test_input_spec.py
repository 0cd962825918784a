"""InputSpec and Layer.__call__'s check of it, against Keras 3.15.1 (torch backend) observed:
every message below was produced by Keras on the same layer and inputs."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.layers.input_spec import InputSpec


def spec_layer(spec):
    class L(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="l")
            self.input_spec = spec

        def call(self, x):
            return x

    return L()


def ones(*shape, dtype="float32"):
    return np.ones(shape, dtype)


WHERE = "Input {} with name '{}' of layer 'l' is incompatible with the layer: "


@pytest.mark.parametrize("symbolic", [False, True])
@pytest.mark.parametrize(
    "spec,x,message",
    [
        (InputSpec(max_ndim=2), ones(2, 3, 4), "expected max_ndim=2, found ndim=3"),
        (
            InputSpec(dtype="float32"),
            ones(2, 3, dtype="int32"),
            "expected dtype=float32, found dtype=int32",
        ),
        (InputSpec(shape=(None, 3)), ones(2, 4), "expected shape=(None, 3), found shape=(2, 4)"),
        (
            InputSpec(min_ndim=3),
            ones(2, 4),
            "expected min_ndim=3, found ndim=2. Full shape received: (2, 4)",
        ),
        (
            InputSpec(axes={-1: 3}),
            ones(2, 4),
            "expected axis -1 of input shape to have value 3, but received input with shape (2, 4)",
        ),
    ],
)
def test_each_field_is_checked(spec, x, message, symbolic):
    if symbolic:
        x = keras.Input(batch_shape=x.shape, dtype=str(x.dtype))
    with pytest.raises(ValueError) as info:
        spec_layer(spec)(x)
    assert str(info.value) == WHERE.format(0, None) + message


@pytest.mark.parametrize(
    "spec,shape",
    [
        (InputSpec(shape=(None, 3, 1), allow_last_axis_squeeze=True), (2, 3)),
        (InputSpec(shape=(None, 3), allow_last_axis_squeeze=True), (2, 3, 1)),
        (InputSpec(ndim=2, allow_last_axis_squeeze=True), (2, 3, 1)),
    ],
)
def test_allow_last_axis_squeeze_accepts_a_unit_last_axis(spec, shape):
    """Keras: all three calls succeed."""
    assert spec_layer(spec)(ones(*shape)).shape == shape


@pytest.mark.parametrize("symbolic", [False, True])
def test_a_list_of_specs_checks_each_input(symbolic):
    x = [ones(2, 3), ones(2, 3, 4)]
    if symbolic:
        x = [keras.Input(batch_shape=a.shape) for a in x]
    spec_layer([InputSpec(ndim=2), InputSpec(ndim=3)])(x)
    with pytest.raises(ValueError) as info:
        spec_layer([InputSpec(ndim=2), InputSpec(ndim=2)])(x)
    assert str(info.value) == WHERE.format(1, None) + (
        "expected ndim=2, found ndim=3. Full shape received: (2, 3, 4)"
    )


def test_one_spec_for_two_inputs_is_an_error():
    with pytest.raises(ValueError, match='Layer "l" expects 1 input\\(s\\), but it received 2'):
        spec_layer(InputSpec(ndim=2))([ones(2, 3), ones(2, 3, 4)])


def test_named_specs_take_a_dict():
    specs = [InputSpec(ndim=2, name="a"), InputSpec(ndim=3, name="b")]
    spec_layer(specs)({"b": ones(2, 3, 4), "a": ones(2, 3)})
    with pytest.raises(ValueError) as info:
        spec_layer(specs)({"c": ones(2, 3, 4), "a": ones(2, 3)})
    assert str(info.value) == (
        "Missing data for input \"b\". You passed a data dictionary with keys ['c', 'a']. "
        "Expected the following keys: ['a', 'b']"
    )
    with pytest.raises(ValueError) as info:
        spec_layer(specs)([ones(2, 3)])
    assert str(info.value) == (
        "Layer \"l\" expects 2 named input(s) with keys ['a', 'b'], but it received 1 input "
        "tensors. Pass inputs as a dict, e.g. `layer({'a': ..., 'b': ...})`."
    )


def test_optional_spec_accepts_none():
    assert spec_layer(InputSpec(ndim=2, optional=True))(None) is None
    with pytest.raises(ValueError, match="Inputs to a layer should be tensors. Got 'None'"):
        spec_layer(InputSpec(ndim=2))(None)


def test_spec_fields_repr_and_config():
    spec = InputSpec(dtype="float64", shape=[None, 3], axes={"1": 3})
    assert (spec.dtype, spec.shape, spec.ndim, spec.axes) == ("float64", (None, 3), 2, {1: 3})
    assert repr(InputSpec(dtype="float32", shape=(None, 3), max_ndim=4, axes={1: 3})) == (
        "InputSpec(dtype=float32, shape=(None, 3), ndim=2, max_ndim=4, axes={1: 3})"
    )
    assert InputSpec(ndim=2).get_config() == {
        "dtype": None,
        "shape": None,
        "ndim": 2,
        "max_ndim": None,
        "min_ndim": None,
        "axes": {},
        "optional": False,
    }
    with pytest.raises(ValueError, match="Axis 3 is greater than the maximum allowed value: 1"):
        InputSpec(ndim=2, axes={3: 1})
    with pytest.raises(TypeError, match="`axes` must be a dict with integer keys"):
        InputSpec(axes={"x": 1})
