"""Graph attributes of layers (`input`, `output`, shapes) and how symbolic calls are traced.

Expected behaviour observed in Keras 3.15 (torch backend) or read in keras/src/ops/operation.py
(`_get_node_attribute_at_index`), as each test says.
"""

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers


# -- item: layer.input / layer.output -------------------------------------------------------
def test_layer_input_output_are_the_first_call_tensors():
    """Keras 3: `layer.output` / `layer.input` are the first node's tensors (a list when there are
    several), and a layer never called raises AttributeError."""
    i = keras.Input((3,), name="x")
    d = layers.Dense(2, name="d")
    y = d(i)
    assert d.input is i and d.output is y
    assert d.input_shape == (None, 3) and d.output_shape == (None, 2)
    y2 = d(keras.Input((3,)))
    assert d.output is y and d.get_output_at(1) is y2
    never = layers.Dense(2, name="never_called")
    with pytest.raises(AttributeError, match="never_called has never been called"):
        never.output
    with pytest.raises(AttributeError, match="never been called"):
        never.input
    assert not hasattr(never, "output")
    with pytest.raises(ValueError, match="node 5"):
        d.get_input_at(5)


def test_output_shape_is_ill_defined_for_calls_of_different_shapes():
    """Keras 2: a layer called on inputs of different shapes has no single output shape."""
    d = layers.Dense(2)
    d(keras.Input((3,)))
    d(keras.Input((5, 3)))
    with pytest.raises(AttributeError, match="get_output_at"):
        d.output_shape


def test_multi_output_layer_output_is_a_list():
    """Keras 3: an LSTM with return_state has three outputs, so `.output` is a list of three."""
    enc_in = keras.Input((None, 4))
    lstm = layers.LSTM(5, return_state=True, name="enc")
    lstm(enc_in)
    out, h, c = lstm.output
    assert out.shape == h.shape == c.shape == (None, 5)


def test_feature_extractor_from_intermediate_output_shares_weights(tmp_path):
    """Keras 3 feature extraction: `Model(model.input, model.get_layer(name).output)` reuses the
    same layers (same weights) and trains, predicts and saves."""
    i = keras.Input((4,))
    h = layers.Dense(6, activation="relu", name="hidden")(i)
    o = layers.Dense(1, name="head")(h)
    model = keras.Model(i, o)
    features = keras.Model(model.input, model.get_layer("hidden").output)
    assert features.get_layer("hidden") is model.get_layer("hidden")
    x = np.random.default_rng(0).standard_normal((5, 4)).astype("float32")
    k, b = model.get_layer("hidden").get_weights()
    np.testing.assert_allclose(
        features.predict(x, verbose=0), np.maximum(x @ k + b, 0), rtol=1e-5, atol=1e-6
    )
    model.compile("sgd", "mse")
    model.fit(x, np.ones((5, 1)), epochs=1, verbose=0)
    k2, b2 = features.get_layer("hidden").get_weights()
    assert not np.allclose(k, k2)  # trained through the shared layer
    path = str(tmp_path / "features.keras")
    features.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(
        loaded.predict(x, verbose=0), np.maximum(x @ k2 + b2, 0), rtol=1e-5, atol=1e-6
    )
    # head swap with get_layer(...).input
    new_head = layers.Dense(3, name="new_head")(model.get_layer("head").input)
    swapped = keras.Model(model.input, new_head)
    assert swapped.predict(x, verbose=0).shape == (5, 3)


def test_seq2seq_inference_models_from_trained_layers():
    """The keras-io lstm_seq2seq pattern: encoder/decoder inference models rebuilt from
    `model.input[0]` and `model.layers[i].output` give the training model's predictions."""
    enc_in = keras.Input((None, 3))
    enc_out, h, c = layers.LSTM(4, return_state=True)(enc_in)
    dec_in = keras.Input((None, 2))
    dec_lstm = layers.LSTM(4, return_sequences=True, return_state=True)
    dec_out, _, _ = dec_lstm(dec_in, initial_state=[h, c])
    dense = layers.Dense(2, activation="softmax")
    model = keras.Model([enc_in, dec_in], dense(dec_out))

    encoder_inputs = model.input[0]
    _, state_h, state_c = model.layers[2].output
    encoder = keras.Model(encoder_inputs, [state_h, state_c])
    h_in, c_in = keras.Input((4,)), keras.Input((4,))
    d_out, d_h, d_c = model.layers[3](model.input[1], initial_state=[h_in, c_in])
    decoder = keras.Model([model.input[1], h_in, c_in], [model.layers[4](d_out), d_h, d_c])

    rng = np.random.default_rng(0)
    xe = rng.standard_normal((2, 5, 3)).astype("float32")
    xd = rng.standard_normal((2, 3, 2)).astype("float32")
    states = encoder.predict(xe, verbose=0)
    probs, _, _ = decoder.predict([xd] + list(states), verbose=0)
    np.testing.assert_allclose(probs, model.predict([xe, xd], verbose=0), rtol=1e-5, atol=1e-6)


def test_sequential_built_with_input_exposes_layer_outputs():
    """Keras 3: layers of a Sequential built with an Input have outputs, and
    `Model(seq.inputs, seq.layers[-2].output)` works."""
    seq = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="a"), layers.Dense(2)])
    assert seq.layers[0].output.shape == (None, 3)
    assert seq.layers[0].input is seq.inputs[0]
    sub = keras.Model(seq.inputs, seq.layers[-2].output)
    x = np.ones((2, 4), "float32")
    k, b = seq.layers[0].get_weights()
    np.testing.assert_allclose(sub.predict(x, verbose=0), x @ k + b, rtol=1e-5, atol=1e-6)


# -- item: tracing a symbolic call has no value dependence and no side effects --------------
def test_float_input_into_embedding_builds_and_runs_on_ints():
    """Keras 3 infers shapes without looking at values (its numpy backend traces on empty
    arrays): a float Input (the default dtype) feeding an Embedding builds, then runs on ids."""
    i = keras.Input((5,))
    emb = layers.Embedding(10, 3)
    model = keras.Model(i, emb(i))
    assert model.output_shape == (None, 5, 3)
    ids = np.array([[0, 9, 2, 3, 4]])
    np.testing.assert_allclose(model.predict(ids, verbose=0)[0], emb.get_weights()[0][ids[0]])


class _Counter(layers.Layer):
    """Counts its calls in a non-trainable weight and adds a loss, as stateful layers do."""

    def build(self, input_shape):
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="n")

    def call(self, x):
        self.count.assign_add(1.0)
        self.add_loss(keras.ops.sum(x))
        return x * 2


def test_graph_building_leaves_variables_and_losses_untouched():
    """Keras 3 traces in a stateless scope: after `Model(...)` construction a counter updated in
    `call` still holds its value and no loss is recorded (observed: counter 0.0, losses [])."""
    counter = _Counter()
    counter.build((None, 3))
    i = keras.Input((3,))
    model = keras.Model(i, counter(i))
    assert float(counter.count.numpy()) == 0.0
    assert counter.losses == [] and model.losses == []
    nested = keras.Model(i, model(i))  # a nested model traced again
    assert float(counter.count.numpy()) == 0.0 and nested.losses == []
    model(np.ones((2, 3), "float32"))
    assert float(counter.count.numpy()) == 1.0


def test_graph_building_does_not_advance_random_state():
    """A seeded draw sequence is the same with or without tracing a graph in between (layers
    already built): the trace consumes no global or per-layer random numbers."""
    from minikeras.utils import random as mk_random

    class Noisy(layers.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.rng = np.random.default_rng(3)

        def call(self, x):
            noise = mk_random.global_rng().standard_normal(tuple(x.shape)).astype("float32")
            own = self.rng.standard_normal(tuple(x.shape)).astype("float32")
            return x + noise + own + np.random.standard_normal(tuple(x.shape)).astype("float32")

    noisy = Noisy()
    keras.utils.set_random_seed(7)
    expected = (mk_random.global_rng().random(4), np.random.random(4))
    keras.utils.set_random_seed(7)
    i = keras.Input((3,))
    keras.Model(i, noisy(i))
    got = (mk_random.global_rng().random(4), np.random.random(4))
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1], expected[1])
    first = noisy.rng.random(2)
    np.testing.assert_array_equal(first, np.random.default_rng(3).random(2))


def test_lazily_built_sublayers_get_different_initial_weights():
    """Weights created during a trace keep their random draws, so two sub-layers built in a
    row are not initialised alike (as Keras, where each initializer draws its own seed)."""

    class Lazy(layers.Layer):
        def call(self, x):
            if not hasattr(self, "inner"):
                self.inner = layers.Dense(4)
            return self.inner(x)

    i = keras.Input((4,))
    a, b = Lazy(), Lazy()
    keras.Model(i, b(a(i)))
    assert not np.allclose(a.inner.get_weights()[0], b.inner.get_weights()[0])


# -- item: activity regularization ----------------------------------------------------------
def test_activity_penalty_is_divided_by_the_batch_size():
    """Keras 3 `Layer.__call__` divides the activity penalty by the batch size (observed on
    3.15: Dense(2, kernel ones, L2(0.01)) on ones((4, 3)) gives 0.18 = 4 * 2 * 9 * 0.01 / 4)."""
    d = layers.Dense(2, activity_regularizer=keras.regularizers.L2(0.01), kernel_initializer="ones")
    x = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    out = np.asarray(d(x))
    (loss,) = d.losses
    np.testing.assert_allclose(float(loss), 0.01 * (out**2).sum() / 4, rtol=1e-5)
    d(np.ones((4, 3), "float32"))
    np.testing.assert_allclose(float(d.losses[0]), 0.18, rtol=1e-5)
    # in a model, the loss fit adds is the same per-sample mean
    i = keras.Input((3,))
    model = keras.Model(i, d(i))
    model(x)
    np.testing.assert_allclose(float(model.losses[0]), 0.01 * (out**2).sum() / 4, rtol=1e-5)


# -- item: every array argument is converted --------------------------------------------------
class _Recorder(layers.Layer):
    """Records the types and dtypes its call receives."""

    def call(self, x, other=None, mask=None, scale=1.0):
        self.seen = {"x": x, "other": other, "mask": mask, "scale": scale}
        return x if other is None else x + other


def test_array_arguments_after_the_first_become_tensors():
    """Keras 3 `Layer.__call__` converts every array argument and keyword (float ones to the
    layer's dtype); Python values such as `scale` stay as they are."""
    layer = _Recorder()
    layer(np.ones((2, 3)), np.full((2, 3), 2.0), mask=np.ones((2, 3), bool), scale=2.0)
    seen = layer.seen
    assert isinstance(seen["other"], keras.Tensor) and seen["other"].dtype == np.float32
    assert isinstance(seen["mask"], keras.Tensor) and seen["mask"].dtype == bool
    assert seen["scale"] == 2.0 and type(seen["scale"]) is float
    # a tensor first argument with a numpy keyword takes the same path
    layer(keras.ops.ones((2, 3)), other=np.ones((2, 3), "float64"))
    assert isinstance(layer.seen["other"], keras.Tensor)
    assert layer.seen["other"].dtype == np.float32


def test_keyword_only_call_finds_the_first_argument():
    """Keras 3: `mha(query=q, value=v)` with numpy arrays works as `mha(q, v)`."""
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    rng = np.random.default_rng(0)
    q = rng.standard_normal((2, 5, 8)).astype("float32")
    v = rng.standard_normal((2, 6, 8)).astype("float32")
    np.testing.assert_allclose(np.asarray(mha(query=q, value=v)), np.asarray(mha(q, v)), rtol=1e-6)
    rec = _Recorder()
    rec(x=np.ones((1, 2)))
    assert isinstance(rec.seen["x"], keras.Tensor)
    with pytest.raises(TypeError, match="without inputs.*`x=`.*'other'"):
        rec(other=np.ones((1, 2)))


def test_symbolic_tensor_in_a_later_argument_makes_a_symbolic_call():
    """Keras 3 looks for KerasTensors in all arguments, not only the first."""
    i = keras.Input((3,))
    layer = _Recorder()
    out = layer(keras.ops.ones((1, 3)), other=i)
    assert isinstance(out, keras.KerasTensor)
    model = keras.Model(i, out)
    np.testing.assert_allclose(model.predict(np.full((2, 3), 2.0), verbose=0), np.full((2, 3), 3.0))


def test_python_numbers_stay_weakly_typed_in_op_nodes():
    """Keras 3's Layer.__call__ converts array-likes only, so a Python number beside a float32
    tensor keeps float32 (`2 - x`, `2 ** x` in a functional model), symbolically and on data;
    minikeras used to turn the 2 into an int64 array and promote the result to float64."""
    x = keras.Input((3,))
    model = keras.Model(x, [2 - x, 2**x, 3 * x, x / 2, 1.5 + x])
    assert [t.dtype for t in model.outputs] == ["float32"] * 5
    outs = model(np.ones((2, 3), "float32"))
    assert [o.dtype for o in outs] == [np.float32] * 5
    np.testing.assert_allclose(outs[0].numpy(), np.ones((2, 3)))
    assert keras.layers.OpLayer("subtract")(2, keras.ops.ones((3,))).dtype == np.float32


# -- item: placeholder sizes for axes of unknown size (Layer._placeholder_sizes) ----------------
class _Block(layers.Layer):
    """A strided 3x3 convolution, then a "valid" 7x7 one: needs 15 positions for one output."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.a = layers.Conv2D(2, 3, strides=2)
        self.b = layers.Conv2D(2, 7)

    def call(self, x):
        return self.b(self.a(x))


def test_unknown_axes_are_traced_at_sizes_the_layers_windows_fit():
    """Keras 3.15.1 (torch) observed: these symbolic calls on axes of unknown size give
    (None, None, None, 2), (None, None, None, 2) and (None, None, 3). minikeras traces each
    call at sizes computed from the layers' windows (a "valid" convolution, a crop, a nested
    model's longest path), not by retrying larger sizes after an error."""
    x = keras.Input((None, None, 3))
    y = x
    for _ in range(4):
        y = layers.Conv2D(2, 3, strides=2)(y)
    inner = keras.Model(x, y)
    assert inner._placeholder_room() == (31, 16)  # 3 -> 7 -> 15 -> 31 input positions
    assert inner(keras.Input((None, None, 3))).shape == (None, None, None, 2)
    block = _Block()
    assert block._placeholder_room() == (15, 2)
    assert block(keras.Input((None, None, 3))).shape == (None, None, None, 2)
    assert layers.Cropping1D((4, 5))(keras.Input((None, 3))).shape == (None, None, 3)


def test_a_call_that_fails_on_the_placeholder_raises_at_once():
    """Keras 3.15.1 observed: a layer whose `call` raises on a symbolic input raises a
    ValueError carrying the layer's message. minikeras raises it from the first placeholder
    run: the call is not retried at larger sizes (it ran three times before)."""
    calls = []

    class Picky(layers.Layer):
        def call(self, x):
            calls.append(x.shape)
            raise ValueError("picky")

    with pytest.raises(ValueError, match="picky"):
        Picky()(keras.Input((None, 3)))
    assert calls == [(2, 3, 3)]


class _FixedBatchReshape(keras.layers.Layer):
    """Reshapes to a size fixed for the training batch, as keras.io's Switch Transformer."""

    def __init__(self, tokens_per_batch, dim):
        super().__init__()
        self.tokens_per_batch, self.dim = tokens_per_batch, dim
        self.seen_symbolic = []

    def call(self, x):
        self.seen_symbolic.append(_in_symbolic())
        batch, steps = keras.ops.shape(x)[0], keras.ops.shape(x)[1]
        flat = keras.ops.reshape(x, [self.tokens_per_batch, self.dim]) * 2.0
        return keras.ops.reshape(flat, [batch, steps, self.dim])


def _in_symbolic():
    from minikeras.core.scopes import in_symbolic_scope

    return in_symbolic_scope()


def test_fixed_batch_reshape_builds_symbolically_and_checks_real_data():
    # Keras's TensorFlow backend accepts, while tracing, a reshape to sizes fixed for the real
    # batch; minikeras's placeholder runs do too (inside a SymbolicScope, as Keras's shape
    # inference), and the real call still checks the sizes
    layer = _FixedBatchReshape(4 * 5, 3)
    inputs = keras.Input((5, 3))
    model = keras.Model(inputs, layer(inputs))
    assert model.output_shape == (None, 5, 3)
    assert layer.seen_symbolic and all(layer.seen_symbolic)
    x = np.arange(60, dtype="float32").reshape(4, 5, 3)
    np.testing.assert_array_equal(model.predict(x, batch_size=4, verbose=0), 2 * x)
    assert not layer.seen_symbolic[-1]
    with pytest.raises(ValueError, match=r"cannot reshape a tensor of shape \(2, 5, 3\)"):
        model(x[:2])
    # a Reshape layer's own check still fails at construction, as in Keras
    with pytest.raises(ValueError, match="target_shape"):
        keras.layers.Reshape((5,))(keras.Input((4,)))
