import json

import numpy as np
import pytest

import minikeras as keras
from helpers import _weight_grad_check, check_grad, randn, run_layer_test
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor
from rnn_reference import lstm_step, run

MASK = np.array([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1], [1, 1, 0, 1, 0], [1, 0, 0, 0, 0]], bool)


def _lstm(units=3, **kwargs):
    layer = keras.layers.LSTM(units, dtype="float64", **kwargs)
    layer.build((None, None, 2))
    layer.set_weights(
        [
            randn(2, 4 * units, seed=1) * 0.7,
            randn(units, 4 * units, seed=2) * 0.7,
            randn(4 * units, seed=3) * 0.5,
        ]
    )
    return layer


def test_lstm_basics():
    layer, _ = run_layer_test(
        keras.layers.LSTM,
        {"units": 3},
        input_shape=(2, 4, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=3,
    )
    kernel, rec, bias = layer.weights
    assert [v.name for v in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert (kernel.shape, rec.shape, bias.shape) == ((3, 12), (3, 12), (12,))
    assert layer.cell.name == "lstm_cell" and layer.cell.kernel is kernel


@pytest.mark.parametrize(
    "kwargs",
    [
        {"return_sequences": True},
        {"go_backwards": True},
        {"return_sequences": True, "go_backwards": True},
    ],
)
def test_lstm_layer_test_variants(kwargs):
    steps = 4
    shape = (2, steps, 3) if kwargs.get("return_sequences") else (2, 3)
    run_layer_test(
        keras.layers.LSTM,
        {"units": 3, **kwargs},
        input_shape=(2, steps, 2),
        expected_output_shape=shape,
    )


def test_lstm_default_initializers():
    keras.utils.set_random_seed(0)
    layer = keras.layers.LSTM(4)
    layer.build((None, 3, 5))
    kernel, rec, bias = layer.get_weights()
    np.testing.assert_array_equal(bias, np.r_[np.zeros(4), np.ones(4), np.zeros(8)])  # i f c o
    np.testing.assert_allclose(rec @ rec.T, np.eye(4), atol=1e-5)  # orthogonal rows
    limit = np.sqrt(6 / (5 + 16))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.5 * limit
    layer = keras.layers.LSTM(4, unit_forget_bias=False)
    layer.build((None, 3, 5))
    np.testing.assert_array_equal(layer.get_weights()[2], np.zeros(16))


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_lstm_matches_numpy_with_masks(go_backwards, zero_output):
    layer = _lstm(
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        zero_output_for_mask=zero_output,
    )
    x = randn(4, 5, 2)
    seq, h, c = layer(x, mask=MASK)
    want_seq, _, (want_h, want_c) = run(
        lstm_step,
        x,
        layer.get_weights(),
        mask=MASK,
        go_backwards=go_backwards,
        zero_output=zero_output,
    )
    np.testing.assert_allclose(seq, want_seq, atol=1e-12)
    np.testing.assert_allclose(h, want_h, atol=1e-12)
    np.testing.assert_allclose(c, want_c, atol=1e-12)
    last = _lstm(go_backwards=go_backwards, zero_output_for_mask=zero_output)(x, mask=MASK)
    np.testing.assert_allclose(last, want_seq[:, -1], atol=1e-12)


def test_lstm_initial_state_and_its_gradient():
    layer = _lstm(return_state=True)
    x, h0, c0 = randn(4, 5, 2), randn(4, 3, seed=5), randn(4, 3, seed=6)
    out, h, c = layer(x, initial_state=[h0, c0], mask=MASK)
    _, want, (want_h, want_c) = run(lstm_step, x, layer.get_weights(), [h0, c0], MASK)
    np.testing.assert_allclose(out, want, atol=1e-12)
    np.testing.assert_allclose(h, want_h, atol=1e-12)
    np.testing.assert_allclose(c, want_c, atol=1e-12)
    check_grad(lambda h0, c0: layer(Tensor(x), initial_state=[h0, c0], mask=MASK)[2], h0, c0)


def test_lstm_bad_initial_state_names_layer():
    layer = keras.layers.LSTM(3, name="encoder")
    x = np.ones((2, 4, 5), "float32")
    with pytest.raises(ValueError, match="encoder.*2 tensor.*\\(2, 3\\).*Received 1"):
        layer(x, initial_state=[np.zeros((2, 3), "float32")])
    with pytest.raises(
        ValueError, match="encoder.*Received 2 with shapes \\[\\(2, 3\\), \\(2, 4\\)"
    ):
        layer(x, initial_state=[np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32")])


def test_lstm_bad_input_names_layer():
    layer = keras.layers.LSTM(3, name="reader")
    layer(np.ones((2, 4, 5), "float32"))
    with pytest.raises(ValueError, match="reader.*value 5.*\\(2, 4, 6\\)"):
        layer(np.ones((2, 4, 6), "float32"))
    with pytest.raises(ValueError, match="reader.*ndim=3"):
        layer(np.ones((2, 5), "float32"))


def test_lstm_bad_mask_names_layer():
    layer = keras.layers.LSTM(3, name="reader")
    with pytest.raises(ValueError, match="reader.*\\(2, 4\\).*\\(2, 5\\)"):
        layer(np.ones((2, 4, 5), "float32"), mask=np.ones((2, 5), bool))


def test_lstm_gradients_with_mask_and_go_backwards():
    for kwargs in ({}, {"go_backwards": True, "return_sequences": True}):
        layer, x = _lstm(**kwargs), randn(4, 5, 2)
        check_grad(lambda t, layer=layer: layer(t, mask=MASK), x)
        _weight_grad_check(layer, x, 1e-5, 1e-6, {"mask": MASK})


def test_fused_path_matches_generic_cell_loop():
    fast = _lstm(return_sequences=True, return_state=True)
    slow = keras.layers.RNN(
        keras.layers.LSTMCell(3, dtype="float64"),
        return_sequences=True,
        return_state=True,
        dtype="float64",
    )
    x = Tensor(randn(4, 5, 2), requires_grad=True)
    slow(x, mask=MASK)
    slow.set_weights(fast.get_weights())
    outs = [fast(x, mask=MASK), slow(x, mask=MASK)]
    for a, b in zip(*outs):
        np.testing.assert_allclose(a.data, b.data, atol=1e-13)
    grads = []
    for layer, out in zip((fast, slow), outs):
        loss = sum((o * randn(*o.shape, seed=9)).sum() for o in out)
        grads.append(gradients(loss, [x] + layer.trainable_weights))
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_trailing_padding_never_changes_outputs():
    keras.utils.set_random_seed(1)
    tokens = np.array([[3, 1, 4, 1, 5], [9, 2, 6, 0, 0], [0, 5, 0, 3, 5]], "int32")
    padded = np.concatenate([tokens, np.zeros((3, 4), "int32")], axis=1)
    embedding = keras.layers.Embedding(10, 4, mask_zero=True)
    lstm = keras.layers.LSTM(3, return_sequences=True)
    short, long = lstm(embedding(tokens)), lstm(embedding(padded))
    np.testing.assert_allclose(long[:, :5], short, atol=1e-7)
    last = keras.layers.LSTM(3)
    last(embedding(tokens))
    last.set_weights(lstm.get_weights())
    np.testing.assert_allclose(last(embedding(padded)), short[:, -1], atol=1e-7)


def test_lstm_dropout_masks_are_fixed_and_training_only():
    x = randn(3, 4, 2, dtype="float32")
    layer = keras.layers.LSTM(3, dropout=0.5, recurrent_dropout=0.3, seed=1)
    plain = keras.layers.LSTM(3)
    np.testing.assert_array_equal(layer(x), layer(x, training=False))  # inference by default
    plain(x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(layer(x, training=False), plain(x), atol=1e-6)
    assert not np.allclose(layer(x, training=True), plain(x))
    # the fused path (no recurrent dropout) draws the same input mask as the cell loop would
    fast = keras.layers.LSTM(3, dropout=0.5, seed=7)
    slow = keras.layers.RNN(keras.layers.LSTMCell(3, dropout=0.5, seed=7))
    slow(x)
    fast(x)
    slow.set_weights(fast.get_weights())
    np.testing.assert_allclose(fast(x, training=True), slow(x, training=True), atol=1e-6)
    cell = keras.layers.LSTMCell(3, dropout=0.5, seed=0)
    states = cell.get_initial_state(3)
    a, _ = cell(x[:, 0], states, training=True)
    b, _ = cell(x[:, 0], states, training=True)  # same mask until it is reset
    np.testing.assert_allclose(a, b)


def test_lstm_config_round_trip_and_keras2_keys():
    layer = keras.layers.LSTM(
        5,
        activation="relu",
        recurrent_activation="hard_sigmoid",
        unit_forget_bias=False,
        dropout=0.25,
        return_sequences=True,
        go_backwards=True,
        stateful=False,
        unroll=True,
        use_cudnn=False,
        kernel_regularizer="l2",
        seed=3,
        name="lstm_x",
    )
    config = layer.get_config()
    json.dumps(config)
    for key in (
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "unit_forget_bias",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "seed",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "zero_output_for_mask",
    ):
        assert key in config, key
    assert "cell" not in config
    clone = keras.layers.LSTM.from_config({**config, "implementation": 2})
    # Keras 3 rejects Keras 2's time_major (legacy .h5 configs drop it in keras2_compat)
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to LSTM"):
        keras.layers.LSTM.from_config({**config, "time_major": False})
    assert clone.get_config() == config
    assert clone.units == 5 and clone.dropout == 0.25 and clone.go_backwards
