import json

import numpy as np
import pytest

import minikeras as keras
from helpers import _weight_grad_check, check_grad, randn, run_layer_test
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor
from rnn_reference import gru_step, run

MASK = np.array([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1], [1, 1, 0, 1, 0], [1, 0, 0, 0, 0]], bool)


def _gru(units=3, reset_after=True, **kwargs):
    layer = keras.layers.GRU(units, reset_after=reset_after, dtype="float64", **kwargs)
    layer.build((None, None, 2))
    bias = randn(2, 3 * units, seed=3) if reset_after else randn(3 * units, seed=3)
    layer.set_weights(
        [randn(2, 3 * units, seed=1) * 0.7, randn(units, 3 * units, seed=2) * 0.7, bias * 0.5]
    )
    return layer


def _step(reset_after):
    return lambda x, states, w: gru_step(x, states, w, reset_after=reset_after)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_basics(reset_after):
    layer, _ = run_layer_test(
        keras.layers.GRU,
        {"units": 3, "reset_after": reset_after},
        input_shape=(2, 4, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=3,
    )
    assert [v.name for v in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
    bias_shape = (2, 9) if reset_after else (9,)
    assert [w.shape for w in layer.get_weights()] == [(3, 9), (3, 9), bias_shape]
    assert layer.cell.name == "gru_cell"


def test_gru_sequences_backwards():
    run_layer_test(
        keras.layers.GRU,
        {"units": 2, "return_sequences": True, "go_backwards": True},
        input_shape=(2, 4, 3),
        expected_output_shape=(2, 4, 2),
    )


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_gru_matches_numpy_with_masks(reset_after, go_backwards, zero_output):
    layer = _gru(
        reset_after=reset_after,
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        zero_output_for_mask=zero_output,
    )
    x, h0 = randn(4, 5, 2), randn(4, 3, seed=4)
    seq, h = layer(x, mask=MASK, initial_state=[h0])
    want_seq, _, (want_h,) = run(
        _step(reset_after), x, layer.get_weights(), [h0], MASK, go_backwards, zero_output
    )
    np.testing.assert_allclose(seq, want_seq, atol=1e-12)
    np.testing.assert_allclose(h, want_h, atol=1e-12)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_gradients_with_mask_and_go_backwards(reset_after):
    for kwargs in ({}, {"go_backwards": True, "return_sequences": True}):
        layer, x = _gru(reset_after=reset_after, **kwargs), randn(4, 5, 2)
        check_grad(lambda t, layer=layer: layer(t, mask=MASK), x)
        _weight_grad_check(layer, x, 1e-5, 1e-6, {"mask": MASK})
    layer = _gru(reset_after=reset_after)
    check_grad(lambda h0: layer(Tensor(randn(4, 5, 2)), initial_state=h0, mask=MASK), (4, 3))


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_fused_path_matches_generic_cell_loop(reset_after):
    fast = _gru(reset_after=reset_after, return_sequences=True, go_backwards=True)
    cell = keras.layers.GRUCell(3, reset_after=reset_after, dtype="float64")
    slow = keras.layers.RNN(cell, return_sequences=True, go_backwards=True, dtype="float64")
    x = Tensor(randn(4, 5, 2), requires_grad=True)
    slow(x, mask=MASK)
    slow.set_weights(fast.get_weights())
    outs = [fast(x, mask=MASK), slow(x, mask=MASK)]
    np.testing.assert_allclose(outs[0].data, outs[1].data, atol=1e-13)
    w = randn(*outs[0].shape, seed=9)
    grads = [
        gradients((o * w).sum(), [x] + layer.trainable_weights)
        for o, layer in zip(outs, (fast, slow))
    ]
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_gru_without_bias_and_other_activations_use_the_cell_loop_correctly():
    x = randn(3, 4, 2)
    for kwargs in (
        {"use_bias": False},
        {"activation": "relu"},
        {"recurrent_activation": "hard_sigmoid"},
    ):
        layer = keras.layers.GRU(3, dtype="float64", **kwargs)
        out = layer(x)
        slow = keras.layers.RNN(keras.layers.GRUCell(3, dtype="float64", **kwargs), dtype="float64")
        slow(x)
        slow.set_weights(layer.get_weights())
        np.testing.assert_allclose(out, slow(x), atol=1e-13)
    layer = keras.layers.GRU(3, use_bias=False, dtype="float64")
    layer(x)
    check_grad(layer, x)


def test_gru_config_round_trip_and_keras2_keys():
    layer = keras.layers.GRU(
        4,
        reset_after=False,
        return_state=True,
        stateful=False,
        recurrent_dropout=0.1,
        use_cudnn="auto",
        name="gru_x",
    )
    config = layer.get_config()
    json.dumps(config)
    assert config["reset_after"] is False and config["recurrent_dropout"] == 0.1
    assert "unit_forget_bias" not in config and "cell" not in config
    clone = keras.layers.GRU.from_config({**config, "implementation": 1})
    # Keras 3 rejects Keras 2's time_major (legacy .h5 configs drop it in keras2_compat)
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to GRU"):
        keras.layers.GRU.from_config({**config, "time_major": False})
    assert clone.get_config() == config and clone.reset_after is False
