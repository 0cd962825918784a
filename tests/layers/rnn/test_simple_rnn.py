import json

import numpy as np
import pytest

import minikeras as keras
from helpers import _weight_grad_check, check_grad, randn, run_layer_test
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor
from rnn_reference import run, simple_step

MASK = np.array([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1], [1, 1, 0, 1, 0], [1, 0, 0, 0, 0]], bool)


def _rnn(units=3, **kwargs):
    layer = keras.layers.SimpleRNN(units, dtype="float64", **kwargs)
    layer.build((None, None, 2))
    layer.set_weights(
        [randn(2, units, seed=1), randn(units, units, seed=2) * 0.6, randn(units, seed=3) * 0.5]
    )
    return layer


def test_simple_rnn_basics():
    layer, _ = run_layer_test(
        keras.layers.SimpleRNN,
        {"units": 3},
        input_shape=(2, 4, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=3,
    )
    assert [w.shape for w in layer.get_weights()] == [(3, 3), (3, 3), (3,)]
    assert layer.cell.name == "simple_rnn_cell"
    run_layer_test(
        keras.layers.SimpleRNN,
        {"units": 2, "return_sequences": True, "go_backwards": True},
        input_shape=(2, 4, 3),
        expected_output_shape=(2, 4, 2),
    )


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_simple_rnn_matches_numpy_with_masks(go_backwards, zero_output):
    layer = _rnn(
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        zero_output_for_mask=zero_output,
    )
    x = randn(4, 5, 2)
    seq, h = layer(x, mask=MASK)
    want_seq, _, (want_h,) = run(
        simple_step,
        x,
        layer.get_weights(),
        mask=MASK,
        go_backwards=go_backwards,
        zero_output=zero_output,
    )
    np.testing.assert_allclose(seq, want_seq, atol=1e-12)
    np.testing.assert_allclose(h, want_h, atol=1e-12)


def test_simple_rnn_gradients_and_fused_vs_loop():
    for kwargs in ({}, {"go_backwards": True, "return_sequences": True}):
        layer, x = _rnn(**kwargs), randn(4, 5, 2)
        check_grad(lambda t, layer=layer: layer(t, mask=MASK), x)
        _weight_grad_check(layer, x, 1e-5, 1e-6, {"mask": MASK})
    fast = _rnn(return_sequences=True)
    slow = keras.layers.RNN(
        keras.layers.SimpleRNNCell(3, dtype="float64"), return_sequences=True, dtype="float64"
    )
    x = Tensor(randn(4, 5, 2), requires_grad=True)
    slow(x)
    slow.set_weights(fast.get_weights())
    outs = [fast(x, mask=MASK), slow(x, mask=MASK)]
    np.testing.assert_allclose(outs[0].data, outs[1].data, atol=1e-13)
    grads = [
        gradients(o.sum(), [x] + layer.trainable_weights) for o, layer in zip(outs, (fast, slow))
    ]
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_simple_rnn_recurrent_dropout_uses_one_mask_per_sequence():
    x = np.ones((2, 6, 3), "float32")
    layer = keras.layers.SimpleRNN(
        4, recurrent_dropout=0.5, dropout=0.5, seed=2, return_sequences=True
    )
    a = np.asarray(layer(x, training=True))
    assert a.shape == (2, 6, 4)
    slow = keras.layers.RNN(
        keras.layers.SimpleRNNCell(4, recurrent_dropout=0.5, dropout=0.5, seed=2),
        return_sequences=True,
    )
    slow(x)
    slow.set_weights(layer.get_weights())
    np.testing.assert_allclose(slow(x, training=True), a, atol=1e-6)  # same seed, same masks
    cell = layer.cell
    assert cell._dropout_mask is None and cell._recurrent_dropout_mask is None  # reset after


def test_simple_rnn_config():
    layer = keras.layers.SimpleRNN(3, activation="relu", seed=4, go_backwards=True)
    config = layer.get_config()
    json.dumps(config)
    assert "recurrent_activation" not in config
    assert keras.layers.SimpleRNN.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="units"):
        keras.layers.SimpleRNN(0)


def test_simple_rnn_config_has_no_seed_as_keras():
    """Keras 3.15.1: SimpleRNN's config has no `seed` key (its cell's and LSTM's do)."""
    import minikeras as keras

    assert "seed" not in keras.layers.SimpleRNN(3, seed=4).get_config()
    assert keras.layers.SimpleRNNCell(3, seed=4).get_config()["seed"] == 4
    assert keras.layers.LSTM(3).get_config()["seed"] is None
    inner = keras.layers.Bidirectional(keras.layers.SimpleRNN(3)).get_config()["layer"]["config"]
    assert "seed" not in inner
