"""`Layer.__init__` keyword arguments (minikeras/layers/layer.py).

Keras 3's `Layer.__init__` raises `ValueError("Unrecognized keyword arguments passed to <Class>:
{...}")` for any argument it does not know, Keras 2's `weights=`, `input_length=` and
`time_major=` included (observed with Keras 3.15.1: `Dense(2, weights=[...])`,
`Dense(2, input_length=3)`, `LSTM(2, time_major=False)`). Only Embedding keeps `input_length`, with
a deprecation warning, and `weights` (tests/layers/core_layers/test_embedding.py).
"""

import warnings

import numpy as np
import pytest

import minikeras as keras


@pytest.mark.parametrize(
    "cls,args,kwargs",
    [
        (keras.layers.Dense, (2,), {"weights": [np.ones((3, 2)), np.zeros(2)]}),
        (keras.layers.Dense, (2,), {"input_length": 3}),
        (keras.layers.LSTM, (2,), {"time_major": True}),
        (keras.layers.GRU, (2,), {"time_major": False}),
        (keras.layers.Conv2D, (2, 3), {"weights": None, "kernel_sise": 3}),
    ],
)
def test_keras2_and_misspelled_arguments_raise_like_keras3(cls, args, kwargs):
    # silently dropping `weights` gave random weights, `time_major=True` read batch as time
    with pytest.raises(
        ValueError, match=f"Unrecognized keyword arguments passed to {cls.__name__}"
    ):
        cls(*args, **kwargs)


def test_error_names_every_unrecognized_argument():
    with pytest.raises(ValueError, match=r"'weights'.*'time_major'"):
        keras.layers.Dense(2, weights=[], time_major=False)


def test_variable_paths_follow_keras_name_scopes():
    """Keras 3.15.1 observed: a weight's path is the name scope where it was made, so sub-layers
    built inside a parent's build or call nest under it (`lstm/lstm_cell/kernel`,
    `sequential/dense/kernel`), while layers of a functional model keep their own names."""
    L = keras.layers
    m = keras.Sequential([keras.Input((4,)), L.Dense(3, name="d0")], name="seq")
    assert [v.path for v in m.weights] == ["seq/d0/kernel", "seq/d0/bias"]
    i = keras.Input((5, 4))
    o = L.Dense(2, name="d1")(L.LSTM(3, name="rnn")(i))
    assert [v.path for v in keras.Model(i, o).weights] == [
        "rnn/lstm_cell/kernel",
        "rnn/lstm_cell/recurrent_kernel",
        "rnn/lstm_cell/bias",
        "d1/kernel",
        "d1/bias",
    ]

    class Block(L.Layer):
        def __init__(self):
            super().__init__(name="blk")
            self.a, self.b = L.Dense(3, name="a"), L.Dense(2, name="b")

        def build(self, shape):
            self.a.build(shape)

        def call(self, x):
            return self.b(self.a(x))

    blk = Block()
    blk(np.ones((2, 4), "float32"))
    assert [v.path for v in blk.weights] == [
        "blk/a/kernel",
        "blk/a/bias",
        "blk/b/kernel",
        "blk/b/bias",
    ]
    bi = L.Bidirectional(L.GRU(2, name="g"), name="bi")
    bi(np.ones((1, 3, 4), "float32"))
    assert bi.weights[0].path == "bi/forward_g/gru_cell/kernel"
    td = L.TimeDistributed(L.Dense(2, name="inner"), name="td")
    td(np.ones((1, 3, 4), "float32"))
    assert [v.path for v in td.weights] == ["td/inner/kernel", "td/inner/bias"]


@pytest.mark.parametrize(
    "layer,shape,expected",
    [
        (lambda: keras.layers.LSTM(3), (None, 5, 4), (None, 3)),
        (
            lambda: keras.layers.GRU(3, return_sequences=True, return_state=True),
            (None, 5, 4),
            ((None, 5, 3), (None, 3)),
        ),
        (lambda: keras.layers.SpatialDropout1D(0.5), (None, 3, 4), (None, 3, 4)),
    ],
)
def test_compute_output_shape_of_unbuilt_layers_with_unknown_batch(layer, shape, expected):
    """Keras 3.15.1 observed: compute_output_shape((None, ...)) on a fresh layer gives the
    output shape (tuples; a tuple of them for return_state); the traced default crashed on the
    None batch size."""
    assert layer().compute_output_shape(shape) == expected


def test_build_config_holds_shapes_as_tuples_as_keras():
    """Keras 3.15.1: get_build_config()["input_shape"] is a tuple ((2, 5) for Dense, (None, 3)
    for a Sequential, a list of tuples for a merging layer); wrappers likewise."""
    import minikeras as keras

    d = keras.layers.Dense(3)
    d(np.ones((2, 5), "float32"))
    assert d.get_build_config() == {"input_shape": (2, 5)}
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    assert m.get_build_config() == {"input_shape": (None, 3)}
    dot = keras.layers.Dot((2, 2))
    x = np.ones((2, 3, 4), "float32")
    dot([x, x])
    assert dot.get_build_config() == {"input_shape": [(2, 3, 4), (2, 3, 4)]}
    b = keras.layers.Bidirectional(keras.layers.LSTM(3))
    b(np.ones((2, 4, 5), "float32"))
    assert b.get_build_config() == {"input_shape": (2, 4, 5)}


def test_metrics_assigned_to_a_layer_are_tracked_without_layers_importing_metrics():
    """Keras 3 tracks a `Metric` set as a layer attribute (or a list of them) in `layer.metrics`,
    sub-layers' after the layer's own. minikeras's layers sit below metrics, so `Layer`
    recognizes a metric by the Metric API (`update_state`, `result`, `reset_state`): the layer
    modules import nothing from `minikeras.metrics` (not even lazily)."""
    import ast
    import pathlib

    class Inner(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.total = keras.metrics.Sum(name="total")

    class Outer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.pair = [keras.metrics.Mean(name="m1"), keras.metrics.Mean(name="m2")]
            self.inner = Inner()
            self.size = 3  # plain values are not metrics

    assert [m.name for m in Outer().metrics] == ["m1", "m2", "total"]
    layers_dir = pathlib.Path(keras.layers.__file__).parent
    for path in sorted(layers_dir.glob("layer*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert "metrics" not in (node.module or ""), f"{path.name} imports {node.module}"


def test_quantize_on_a_layer_without_it_raises_keras_not_implemented():
    """Keras 3.15.1: `Conv2D(2, 3).quantize("int8")` raises NotImplementedError("Layer Conv2D
    does not have a `quantize` method implemented."); `model.quantize` warns and skips it."""
    layer = keras.layers.Conv2D(2, 3)
    layer.build((None, 8, 8, 3))
    with pytest.raises(NotImplementedError, match="Layer Conv2D does not have a `quantize`"):
        layer.quantize("int8")
    model = keras.Sequential([keras.Input((8, 8, 3)), layer, keras.layers.Flatten()])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.quantize("int8")
    messages = [str(w.message) for w in caught]
    # the same three warnings Keras 3.15.1 gives for this model
    assert [m.split()[1] for m in messages] == ["InputLayer", "Conv2D", "Flatten"]


def test_trainable_flag_reaches_the_variables_as_keras():
    """Keras 3: `layer.trainable = False` makes the variables tracked as trainable
    non-trainable (and a frozen layer's new variables start so); True restores only those,
    so BatchNormalization's moving statistics stay non-trainable."""
    frozen = keras.layers.Dense(2, trainable=False)
    frozen.build((None, 3))
    assert [w.trainable for w in frozen.weights] == [False, False]
    frozen.trainable = True
    assert [w.trainable for w in frozen.weights] == [True, True]
    bn = keras.layers.BatchNormalization()
    bn.build((None, 3))
    bn.trainable = False
    assert [w.trainable for w in bn.weights] == [False] * 4 and bn.trainable_weights == []
    bn.trainable = True
    assert [w.trainable for w in bn.weights] == [True, True, False, False]
    outer = keras.Sequential([keras.layers.Dense(2)])
    outer.build((None, 3))
    outer.trainable = False
    assert [w.trainable for w in outer.weights] == [False, False]


def test_a_mask_reaching_a_layer_without_masking_support_warns_as_keras():
    import warnings

    inp = keras.Input((5,), dtype="int32")
    x = keras.layers.Embedding(10, 4, mask_zero=True)(inp)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = keras.layers.Conv1D(2, 2, name="conv_no_mask")(x)
        keras.layers.Dense(2)(x)  # supports masking: no warning
    texts = [str(w.message) for w in caught]
    assert texts == [
        "Layer 'conv_no_mask' (of type Conv1D) was passed an input with a mask attached to it. "
        "However, this layer does not support masking and will therefore destroy the mask "
        "information. Downstream layers will not see the mask."
    ]
    assert getattr(y, "_keras_mask", None) is None


def test_flatten_layers_recursive_argument():
    # Keras 3's private `_flatten_layers(include_self=True, recursive=True)`, which keras.io's
    # float8 example calls with recursive=True; recursive=False stops at the direct sub-layers
    inner = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, name="deep")], name="inner")
    outer = keras.Sequential([keras.Input((2,)), inner, keras.layers.Dense(1, name="top")])
    deep = outer._flatten_layers(recursive=True)
    assert outer in deep and any(layer.name == "deep" for layer in deep)
    shallow = outer._flatten_layers(include_self=False, recursive=False)
    names = [layer.name for layer in shallow]  # Keras 3.15.1: [input_layer_1, inner, top]
    assert names[1:] == ["inner", "top"] and names[0].startswith("input_layer")


class _Forest(keras.Model):  # keras.io deep_neural_decision_forests's NeuralDecisionForest
    def __init__(self):
        super().__init__()
        self.ensemble = []
        for i in range(2):
            self.ensemble.append(keras.layers.Dense(2, name=f"tree{i}"))
        self.head = keras.layers.Dense(3, name="head")
        self.blocks = {"a": [keras.layers.Dense(1, name="nested")]}

    def call(self, x):
        y = self.ensemble[0](x) + self.ensemble[1](x)
        return self.head(y) + self.blocks["a"][0](x)


def test_layers_appended_to_container_attributes_are_tracked():
    # Keras 3.15.1 tracks lists and dicts (TrackedList / TrackedDict): layers appended after
    # the assignment, and nested ones, are sub-layers with weights (minikeras saw none of them)
    model = _Forest()
    model(np.ones((1, 4), "float32"))
    assert [layer.name for layer in model.layers] == ["tree0", "tree1", "head", "nested"]
    assert [w.path for w in model.weights] == [
        f"{model.name}/{n}/{v}"
        for n in ("tree0", "tree1", "head", "nested")
        for v in ("kernel", "bias")
    ]
    assert model.count_params() == 34 and len(model.trainable_weights) == 8
