import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


def _dense_np(x, layer):
    k, b = layer.get_weights()
    return x @ k + b


def test_two_inputs_concat_matches_numpy():
    a = keras.Input((6,), name="a")
    b = keras.Input((4,), name="b")
    da = layers.Dense(8, activation="tanh", name="da")
    db = layers.Dense(5, name="db")
    out_layer = layers.Dense(2, name="out")
    z = ops.concatenate([da(a), db(b)], axis=-1)
    model = keras.Model([a, b], out_layer(z))
    assert [l.name for l in model.layers] == ["a", "b", "da", "db", "out"]
    assert model.output_shape == (None, 2)
    xa = np.random.default_rng(0).standard_normal((3, 6)).astype("float32")
    xb = np.random.default_rng(1).standard_normal((3, 4)).astype("float32")
    want = _dense_np(np.concatenate([np.tanh(_dense_np(xa, da)), _dense_np(xb, db)], -1), out_layer)
    np.testing.assert_allclose(np.asarray(model([xa, xb])), want, rtol=1e-5, atol=1e-6)
    # dict inputs by input name
    np.testing.assert_allclose(np.asarray(model({"a": xa, "b": xb})), want, rtol=1e-5, atol=1e-6)


def test_shared_layer_used_twice_has_one_set_of_weights():
    shared = layers.Dense(3, name="shared")
    a, b = keras.Input((4,)), keras.Input((4,))
    model = keras.Model(
        [a, b],
        layers.Add()([shared(a), shared(b)]) if hasattr(layers, "Add") else shared(a) + shared(b),
    )
    assert len(model.weights) == 2
    x = np.ones((2, 4), "float32")
    y = np.asarray(model([x, 2 * x]))
    np.testing.assert_allclose(y, _dense_np(x, shared) + _dense_np(2 * x, shared), rtol=1e-5)


def test_nested_model_as_layer():
    inner_in = keras.Input((5,))
    inner = keras.Model(inner_in, layers.Dense(4, name="inner_dense")(inner_in), name="inner")
    x = keras.Input((5,))
    y = layers.Dense(2, name="head")(inner(x))
    outer = keras.Model(x, y)
    assert [l.name for l in outer.layers][1:] == ["inner", "head"]
    assert len(outer.weights) == 4
    data = np.random.default_rng(0).standard_normal((3, 5)).astype("float32")
    want = _dense_np(_dense_np(data, inner.get_layer("inner_dense")), outer.get_layer("head"))
    np.testing.assert_allclose(np.asarray(outer(data)), want, rtol=1e-5, atol=1e-6)


def test_dict_outputs_and_unknown_dims():
    x = keras.Input((None, 3), name="seq")
    h = layers.Dense(4, name="h")(x)
    model = keras.Model(x, {"first": h, "second": layers.Dense(1, name="s")(h)})
    assert model.output_shape == {"first": (None, None, 4), "second": (None, None, 1)}
    out = model(np.ones((2, 7, 3), "float32"))
    assert out["first"].shape == (2, 7, 4) and out["second"].shape == (2, 7, 1)


def test_wrong_input_shape_names_model_and_shapes():
    x = keras.Input((3,))
    model = keras.Model(x, layers.Dense(1)(x), name="tiny")
    with pytest.raises(ValueError, match=r"tiny.*expected shape=\(None, 3\).*\(2, 4\)"):
        model(np.ones((2, 4), "float32"))


def test_graph_disconnected_is_reported():
    a, b = keras.Input((2,), name="in_a"), keras.Input((2,), name="in_b")
    y = layers.Dense(1)(b)
    with pytest.raises(ValueError, match="in_b"):
        keras.Model(a, y)


def test_symbolic_shape_error_names_layer():
    x = keras.Input((3,))
    dense = layers.Dense(2, name="proj")
    dense(x)
    with pytest.raises(ValueError, match="proj"):
        dense(keras.Input((5,)))


def test_trainable_false_on_nested_model_freezes_everything():
    inner_in = keras.Input((3,))
    inner = keras.Model(inner_in, layers.Dense(2)(inner_in))
    x = keras.Input((3,))
    outer = keras.Model(x, layers.Dense(1)(inner(x)))
    inner.trainable = False
    assert len(outer.trainable_weights) == 2
    assert len(outer.non_trainable_weights) == 2
    assert all(not l.trainable for l in inner.layers)


def test_subclassed_model_tracks_layers():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [layers.Dense(4), layers.Dense(3)]
            self.head = layers.Dense(1)

        def call(self, x, training=False):
            for b in self.blocks:
                x = b(x)
            return self.head(x)

    net = Net()
    out = net(np.ones((2, 5), "float32"))
    assert out.shape == (2, 1)
    assert len(net.weights) == 6 and net.name == "net"


def test_sequential_lazy_build_add_pop():
    model = keras.Sequential()
    model.add(layers.Dense(3))
    model.add(layers.Dense(2))
    assert not model.built
    model(np.ones((4, 6), "float32"))
    assert model.built and model.output_shape == (None, 2)
    popped = model.pop()
    assert isinstance(popped, layers.Dense) and len(model.layers) == 1


def test_sequential_input_shape_kwarg_keras2_style():
    model = keras.Sequential([layers.Dense(4, input_shape=(7,)), layers.Dense(1)])
    assert model.built and model.input_shape == (None, 7)


def test_unique_default_names():
    keras.utils.clear_session()
    a, b = layers.Dense(1), layers.Dense(1)
    assert (a.name, b.name) == ("dense", "dense_1")


def test_set_weights_errors():
    layer = layers.Dense(2)
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="expected 2 arrays"):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*\(4, 2\)"):
        layer.set_weights([np.zeros((4, 2)), np.zeros(2)])


def test_ops_on_symbolic_tensors_build_nodes_not_listed_as_layers():
    x = keras.Input((4,))
    y = ops.relu(x) * 2.0 + ops.ones((4,))
    model = keras.Model(x, y)
    assert [type(l).__name__ for l in model.layers] == ["InputLayer"]
    data = np.array([[-1.0, 0.5, 2.0, -3.0]], "float32")
    np.testing.assert_allclose(np.asarray(model(data)), np.maximum(data, 0) * 2 + 1)


def test_input_rank_adjusted_by_a_trailing_axis_of_size_one():
    """Keras 3 `Functional._adjust_input_rank`: (N, 28, 28) feeds Input((28, 28, 1)) and
    (N, 10, 1) feeds Input((10,)); another rank raises."""
    i = keras.Input((28, 28, 1))
    model = keras.Model(i, layers.Dense(2)(layers.Flatten()(i)))
    x = np.random.default_rng(0).random((3, 28, 28)).astype("float32")
    np.testing.assert_allclose(np.asarray(model(x)), np.asarray(model(x[..., None])), rtol=1e-6)
    assert model.predict(x, verbose=0).shape == (3, 2)
    j = keras.Input((10,))
    m2 = keras.Model(j, layers.Dense(2)(j), name="flat")
    assert m2(np.ones((4, 10, 1), "float32")).shape == (4, 2)
    with pytest.raises(ValueError, match=r"flat.*rank.*\(None, 10\).*\(4, 10, 3\)"):
        m2(np.ones((4, 10, 3), "float32"))


def test_batch_size_of_input_is_not_enforced():
    """Keras 3 checks the non-batch axes only: Input(batch_size=128) predicts on 4 samples."""
    i = keras.Input((5,), batch_size=128)
    model = keras.Model(i, layers.Dense(2)(i))
    assert model.output_shape == (128, 2)
    assert model(np.ones((4, 5), "float32")).shape == (4, 2)
    assert model.predict(np.ones((4, 5), "float32"), verbose=0).shape == (4, 2)


def test_one_element_list_for_one_input_model_warns_and_runs():
    """Keras 3: `model([x])` on a one-input model warns that the structure differs and returns
    (N, ...)."""
    i = keras.Input((3,))
    model = keras.Model(i, layers.Dense(2)(i))
    x = np.ones((4, 3), "float32")
    with pytest.warns(UserWarning, match="structure"):
        assert model([x]).shape == (4, 2)
    j = keras.Input((3,))
    listed = keras.Model([j], layers.Dense(2)(j))
    assert listed(x).shape == (4, 2)


@keras.saving.register_keras_serializable(package="test_functional")
class _FunctionalSubclass(keras.Model):
    """The Keras 3 "functional subclass": builds a graph and passes it to Model.__init__."""

    def __init__(self, **kwargs):
        i = keras.Input((3,), name="fs_in")
        o = layers.Dense(2, name="fs_dense")(i)
        super().__init__(inputs=i, outputs=o, **kwargs)


def test_functional_subclass_behaves_as_a_functional_model(tmp_path):
    """Keras 3 (`Model.__init__` with inputs/outputs puts Functional in the class's bases):
    layers, summary, fit, predict; get_config falls back to the base config because __init__
    takes only **kwargs; .keras and .h5 round trips rebuild the subclass (observed on Keras
    3.15: class M, config {name, trainable, dtype}, same predictions)."""
    from minikeras.models import Functional

    model = _FunctionalSubclass(name="fs")
    assert isinstance(model, Functional) and isinstance(model, _FunctionalSubclass)
    assert [l.name for l in model.layers] == ["fs_in", "fs_dense"]
    assert model.output_shape == (None, 2)
    lines = []
    model.summary(print_fn=lines.append)
    assert any("fs_dense" in line for line in lines)
    x = np.random.default_rng(0).standard_normal((6, 3)).astype("float32")
    model.compile("sgd", "mse")
    model.fit(x, np.ones((6, 2)), epochs=1, verbose=0)
    k, b = model.get_layer("fs_dense").get_weights()
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ k + b, rtol=1e-5, atol=1e-6)
    assert set(model.get_config()) == {"name", "trainable", "dtype"}
    for ext in ("keras", "h5"):
        path = str(tmp_path / f"fs.{ext}")
        model.save(path)
        loaded = keras.models.load_model(path)
        assert type(loaded) is _FunctionalSubclass and loaded.name == "fs"
        np.testing.assert_allclose(loaded.predict(x, verbose=0), x @ k + b, rtol=1e-5, atol=1e-6)


def test_functional_subclass_with_functional_signature_keeps_the_graph_config():
    """Keras 3 `functional_like_constructor`: `__init__(*args, **kwargs)` serializes the graph
    and from_config rebuilds an instance of the subclass."""

    class Passthrough(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

    i = keras.Input((3,))
    model = Passthrough(i, layers.Dense(2)(i))
    config = model.get_config()
    assert {"layers", "input_layers", "output_layers"} <= set(config)
    clone = Passthrough.from_config(config)
    assert type(clone) is Passthrough and clone.output_shape == (None, 2)


def test_optional_input_may_be_none():
    """Keras 3.15.1 observed (torch): a functional model with `Input(optional=True)` runs on
    `None` for that input (call, dict, predict, fit, evaluate) and its layer receives None; a
    None for a required input raises; a layer with an input spec refuses None."""

    class AddOptional(layers.Layer):
        def call(self, x, y=None):
            self.got_none = y is None
            return x if y is None else x + y

    a = keras.Input((2,), name="a")
    b = keras.Input((2,), name="b", optional=True)
    add = AddOptional()
    model = keras.Model([a, b], add(a, b))
    x = np.ones((3, 2), "float32")
    np.testing.assert_array_equal(model([x, None]), x)
    assert add.got_none
    np.testing.assert_array_equal(model([x, x]), 2 * x)
    assert not add.got_none
    np.testing.assert_array_equal(model({"a": x, "b": None}), x)
    np.testing.assert_array_equal(model.predict([x, None], verbose=0), x)
    model.compile("sgd", "mse")
    assert model.fit([x, None], x, verbose=0).history == {"loss": [0.0]}
    assert model.evaluate([x, None], x, verbose=0) == 0.0
    with pytest.raises(ValueError, match="The input 'a' is not optional, but None was passed"):
        model([None, x])
    c = keras.Input((2,), optional=True)
    dense = layers.Dense(1, name="dense_opt")
    with pytest.raises(ValueError, match="Got 'None'.*for layer 'dense_opt'"):
        keras.Model(c, dense(c))(None)


def test_model_from_intermediate_tensor_starts_there():
    # Keras 3 clones the graph: an intermediate input becomes a new Input, and the layers
    # before it are not part of the model (keras.io structured_data_classification_from_scratch)
    x = keras.Input((1,), name="x")
    norm = keras.layers.Normalization(mean=5.0, variance=4.0)
    y = norm(x)
    dense = keras.layers.Dense(1, kernel_initializer="ones")
    out = dense(y)
    model = keras.Model({"a": y}, out)
    assert len(model.inputs) == 1 and model.inputs[0].shape == (None, 1)
    assert model.inputs[0].name.endswith("CLONE")
    assert norm not in model.layers and dense in model.layers
    data = np.array([[1.0], [3.0]], "float32")
    np.testing.assert_allclose(model.predict({"a": data}, verbose=0), data)
    # the original graph still runs through the normalization
    full = keras.Model(x, out)
    np.testing.assert_allclose(full.predict(data, verbose=0), (data - 5.0) / 2.0, rtol=1e-6)
    model.compile("sgd", "mse")
    model.fit({"a": data}, data, epochs=1, verbose=0)
