"""The generic `RNN` loop: user cells, stacked cells, masks, states, stateful, functional use."""

import json

import numpy as np
import pytest

import minikeras as keras
from helpers import _weight_grad_check, check_grad, randn
from minikeras import ops
from rnn_reference import gru_step, lstm_step, run

MASK = np.array([[1, 1, 1, 1], [0, 1, 1, 0], [1, 0, 1, 1]], bool)


class MinimalRNNCell(keras.layers.Layer):
    """The cell of the Keras documentation: output = x W + h U, one state."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="rk")

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def minimal_step(x, states, w):
    out = x @ w[0] + states[0] @ w[1]
    return out, [out]


def test_user_cell_matches_numpy_with_mask_and_go_backwards():
    x = randn(3, 4, 2)
    layer = keras.layers.RNN(
        MinimalRNNCell(3, dtype="float64"),
        return_sequences=True,
        return_state=True,
        go_backwards=True,
        dtype="float64",
    )
    seq, h = layer(x, mask=MASK)
    kernel, rec = layer.get_weights()
    want_seq, _, (want_h,) = run(minimal_step, x, [kernel, rec], mask=MASK, go_backwards=True)
    np.testing.assert_allclose(seq, want_seq, atol=1e-12)
    np.testing.assert_allclose(h, want_h, atol=1e-12)
    check_grad(lambda t: layer(t, mask=MASK)[0], x)
    layer.return_state = False
    _weight_grad_check(layer, x, 1e-5, 1e-6, {"mask": MASK})


def test_long_sequence_backward_is_iterative():
    layer = keras.layers.RNN(keras.layers.SimpleRNNCell(2))  # the generic loop, op by op
    x = np.full((1, 1500, 1), 0.5, "float32")
    with keras.GradientTape() as tape:
        y = layer(x)
    grads = tape.gradient(ops.sum(y), layer.trainable_weights)
    assert all(g is not None and np.all(np.isfinite(g)) for g in grads)


def test_stacked_cells():
    cells = [keras.layers.LSTMCell(3, dtype="float64"), keras.layers.GRUCell(2, dtype="float64")]
    layer = keras.layers.RNN(cells, return_state=True, dtype="float64")
    assert isinstance(layer.cell, keras.layers.StackedRNNCells)
    x = randn(3, 4, 2)
    out, lstm_states, gru_states = layer(x, mask=MASK)
    w = layer.get_weights()
    seq1, _, want_lstm = run(lstm_step, x, w[:3], mask=MASK)
    _, want_out, want_gru = run(gru_step, seq1, w[3:], mask=MASK)
    np.testing.assert_allclose(out, want_out, atol=1e-12)
    for got, want in zip(lstm_states + gru_states, want_lstm + want_gru):
        np.testing.assert_allclose(got, want, atol=1e-12)
    config = layer.get_config()
    json.dumps(config)
    clone = keras.layers.RNN.from_config(config)
    clone(x)
    clone.set_weights(w)
    np.testing.assert_allclose(clone(x, mask=MASK)[0], out, atol=1e-12)


def test_custom_cell_config_round_trip():
    layer = keras.layers.RNN(MinimalRNNCell(3), return_sequences=True, unroll=True)
    config = layer.get_config()
    assert config["cell"]["class_name"] == "MinimalRNNCell" and config["unroll"] is True
    clone = keras.layers.RNN.from_config(config, custom_objects={"MinimalRNNCell": MinimalRNNCell})
    assert clone.cell.units == 3 and clone.return_sequences


def test_rnn_rejects_objects_that_are_not_cells():
    with pytest.raises(ValueError, match="state_size"):
        keras.layers.RNN(keras.layers.Dense(3))


def test_stateful_keeps_states_between_calls_and_resets():
    x = randn(2, 6, 3, dtype="float32")
    whole = keras.layers.LSTM(4)
    out = whole(x)
    stateful = keras.layers.LSTM(4, stateful=True)
    stateful(x[:, :3])
    stateful.set_weights(whole.get_weights())
    stateful.reset_states()
    stateful(x[:, :3])
    np.testing.assert_allclose(stateful(x[:, 3:]), out, atol=1e-6)
    stateful.reset_states()
    np.testing.assert_array_equal(stateful.states[0], 0)
    np.testing.assert_allclose(stateful(x[:, :3]), whole(x[:, :3]), atol=1e-6)
    with pytest.raises(ValueError, match="batch size 2.*batch of 3"):
        stateful(randn(3, 2, 3, dtype="float32"))


def test_stateful_in_a_functional_model_with_fixed_batch():
    inputs = keras.Input(shape=(None, 3), batch_size=2)
    layer = keras.layers.GRU(4, stateful=True)
    model = keras.Model(inputs, layer(inputs))
    assert layer.states is not None and np.all(np.asarray(layer.states[0]) == 0)  # not traced
    x = randn(2, 5, 3, dtype="float32")
    first = np.asarray(model(x))
    assert not np.allclose(np.asarray(model(x)), first)
    layer.reset_state()
    np.testing.assert_allclose(np.asarray(model(x)), first, atol=1e-6)


def test_functional_model_with_masks_and_initial_state():
    tokens = keras.Input(shape=(None,), dtype="int32")
    h0 = keras.Input(shape=(3,))
    c0 = keras.Input(shape=(3,))
    embedded = keras.layers.Embedding(10, 4, mask_zero=True)(tokens)
    seq, h, c = keras.layers.LSTM(3, return_sequences=True, return_state=True)(
        embedded, initial_state=[h0, c0]
    )
    assert seq.shape == (None, None, 3) and h.shape == (None, 3)
    model = keras.Model([tokens, h0, c0], [seq, h, c])
    x = np.array([[1, 2, 0, 0], [3, 4, 5, 6]], "int32")
    zeros = np.zeros((2, 3), "float32")
    seq_v, h_v, _ = model([x, zeros, zeros])
    np.testing.assert_allclose(seq_v[0, 3], h_v[0])  # masked steps repeat the last output


def test_output_mask_follows_return_sequences():
    layer = keras.layers.SimpleRNN(2, return_sequences=True)
    emb = keras.layers.Embedding(5, 3, mask_zero=True)
    out = layer(emb(np.array([[1, 0, 2]])))
    np.testing.assert_array_equal(out._keras_mask, [[True, False, True]])
    assert keras.layers.SimpleRNN(2)(emb(np.array([[1, 0, 2]])))._keras_mask is None


def test_video_question_answering_model_trains():
    """The headline demo in miniature: TimeDistributed(cnn) -> LSTM; question -> Embedding
    (mask_zero) -> LSTM; concatenate; Dense."""
    keras.utils.set_random_seed(0)
    frame = keras.Input((6, 6, 1))
    f = keras.layers.Conv2D(2, 3, activation="relu")(frame)
    f = keras.layers.GlobalAveragePooling2D()(f)
    cnn = keras.Model(frame, f)
    video = keras.Input((3, 6, 6, 1))
    v = keras.layers.LSTM(4)(keras.layers.TimeDistributed(cnn)(video))
    question = keras.Input((5,), dtype="int32")
    q = keras.layers.LSTM(3)(keras.layers.Embedding(12, 4, mask_zero=True)(question))
    out = keras.layers.Dense(2, activation="softmax")(keras.layers.Concatenate()([v, q]))
    model = keras.Model([video, question], out)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    videos = rng.random((8, 3, 6, 6, 1)).astype("float32")
    questions = rng.integers(1, 12, size=(8, 5)).astype("int32")
    questions[::2, 3:] = 0
    labels = (questions[:, 0] > 6).astype("int32")
    losses = [float(model.train_on_batch([videos, questions], labels)) for _ in range(15)]
    assert losses[-1] < losses[0]


def test_reset_state_values_on_an_unbuilt_layer_raise():
    # the values used to be dropped silently when the layer had no states yet
    layer = keras.layers.SimpleRNN(2, stateful=True, name="rnn")
    with pytest.raises(ValueError, match="rnn.*build it"):
        layer.reset_state([np.ones((1, 2), "float32")])
    layer.reset_state()  # zeroing nothing is fine
