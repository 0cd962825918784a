import json

import numpy as np
import pytest

import minikeras as keras
from helpers import _weight_grad_check, check_grad, randn
from helpers_saving import check_saving_roundtrip
from rnn_reference import gru_step, lstm_step, run

MASK = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [0, 1, 1, 1, 0]], bool)


def _bidir(inner, **kwargs):
    layer = keras.layers.Bidirectional(inner, **kwargs)
    layer.build((None, 5, 2))
    layer.set_weights([randn(*w.shape, seed=k) * 0.6 for k, w in enumerate(layer.get_weights())])
    return layer


def _reference(step, x, w, mask, return_sequences):
    """Forward run, backward run re-reversed, masked steps zero when returning sequences."""
    fwd, _, f_states = run(step, x, w[:3], mask=mask, zero_output=return_sequences)
    bwd, _, b_states = run(
        step, x, w[3:], mask=mask, go_backwards=True, zero_output=return_sequences
    )
    if return_sequences:
        return fwd, bwd[:, ::-1], f_states, b_states
    return fwd[:, -1], bwd[:, -1], f_states, b_states


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_matches_numpy(merge_mode, return_sequences):
    inner = keras.layers.LSTM(3, return_sequences=return_sequences, dtype="float64")
    layer = _bidir(inner, merge_mode=merge_mode, dtype="float64")
    x = randn(3, 5, 2)
    out = layer(x, mask=MASK)
    f, b, _, _ = _reference(lstm_step, x, layer.get_weights(), MASK, return_sequences)
    want = {
        "concat": lambda: np.concatenate([f, b], -1),
        "sum": lambda: f + b,
        "mul": lambda: f * b,
        "ave": lambda: (f + b) / 2,
        None: lambda: [f, b],
    }[merge_mode]()
    if merge_mode is None:
        np.testing.assert_allclose(out[0], want[0], atol=1e-12)
        np.testing.assert_allclose(out[1], want[1], atol=1e-12)
    else:
        np.testing.assert_allclose(out, want, atol=1e-12)


def test_bidirectional_structure_names_and_weights():
    layer = keras.layers.Bidirectional(keras.layers.GRU(3, name="enc"))
    assert layer.forward_layer.name == "forward_enc" and layer.backward_layer.name == "backward_enc"
    assert not layer.forward_layer.go_backwards and layer.backward_layer.go_backwards
    layer.build((None, 4, 2))
    weights = layer.weights
    assert len(weights) == 6
    assert (
        weights[:3] == layer.forward_layer.weights and weights[3:] == layer.backward_layer.weights
    )
    given = [np.full(w.shape, k, "float32") for k, w in enumerate(layer.get_weights())]
    preset = keras.layers.Bidirectional(keras.layers.GRU(3), weights=given)
    preset(np.ones((1, 4, 2), "float32"))
    for got, want in zip(preset.get_weights(), given):
        np.testing.assert_array_equal(got, want)


def test_bidirectional_return_state_and_initial_state():
    inner = keras.layers.GRU(3, return_sequences=True, return_state=True, dtype="float64")
    layer = _bidir(inner, dtype="float64")
    x, h_f, h_b = randn(3, 5, 2), randn(3, 3, seed=7), randn(3, 3, seed=8)
    out, state_f, state_b = layer(x, initial_state=[h_f, h_b], mask=MASK)
    w = layer.get_weights()
    fwd, _, (want_f,) = run(gru_step, x, w[:3], [h_f], MASK, zero_output=True)
    bwd, _, (want_b,) = run(gru_step, x, w[3:], [h_b], MASK, go_backwards=True, zero_output=True)
    np.testing.assert_allclose(out, np.concatenate([fwd, bwd[:, ::-1]], -1), atol=1e-12)
    np.testing.assert_allclose(state_f, want_f, atol=1e-12)
    np.testing.assert_allclose(state_b, want_b, atol=1e-12)
    np.testing.assert_array_equal(out._keras_mask, MASK)
    assert state_f._keras_mask is None


def test_bidirectional_gradients():
    layer = _bidir(keras.layers.LSTM(2, return_sequences=True, dtype="float64"), dtype="float64")
    x = randn(3, 5, 2)
    check_grad(lambda t: layer(t, mask=MASK), x)
    _weight_grad_check(layer, x, 1e-5, 1e-6, {"mask": MASK})


def test_bidirectional_config_round_trip_and_functional_use():
    layer = keras.layers.Bidirectional(
        keras.layers.LSTM(3, return_sequences=True), merge_mode="sum", name="bi"
    )
    inputs = keras.Input((None, 2))
    out = layer(inputs)
    assert out.shape == (None, None, 3)
    model = keras.Model(inputs, out)
    config = layer.get_config()
    json.dumps(config)
    clone = keras.layers.Bidirectional.from_config(config)
    assert clone.forward_layer.name == layer.forward_layer.name
    x = randn(2, 4, 2, dtype="float32")
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x), model(x), atol=1e-6)


def test_bidirectional_errors():
    with pytest.raises(ValueError, match="merge mode"):
        keras.layers.Bidirectional(keras.layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="go_backwards"):
        keras.layers.Bidirectional(keras.layers.LSTM(2), backward_layer=keras.layers.LSTM(2))
    with pytest.raises(ValueError, match="return_sequences"):
        keras.layers.Bidirectional(
            keras.layers.LSTM(2),
            backward_layer=keras.layers.LSTM(2, go_backwards=True, return_sequences=True),
        )
    with pytest.raises(ValueError, match="Layer"):
        keras.layers.Bidirectional("lstm")


def test_bidirectional_file_round_trips():
    x = randn(2, 4, 3, dtype="float32")
    model = check_saving_roundtrip(
        keras.layers.Bidirectional, {"layer": keras.layers.GRU(2, return_sequences=True)}, x
    )
    bi = next(la for la in model.layers if isinstance(la, keras.layers.Bidirectional))
    from minikeras.saving.structure import walk_saveables

    paths = [p for p, _ in walk_saveables(model)]
    assert "layers/bidirectional/forward_layer/cell" in paths
    assert "layers/bidirectional/backward_layer/cell" in paths
    assert bi.backward_layer.go_backwards


def test_reset_state_with_values_sets_forward_then_backward_states():
    """`reset_state(states)` used to ignore `states` and zero both directions; the values go to
    the forward layer, then the backward one, in the order of `Bidirectional.states`."""
    layer = keras.layers.Bidirectional(keras.layers.LSTM(2, stateful=True))
    layer(np.ones((1, 3, 4), "float32"))
    values = [np.full((1, 2), i, "float32") for i in range(1, 5)]
    layer.reset_state(values)
    np.testing.assert_array_equal(np.stack([np.asarray(s) for s in layer.states]), values)
    with pytest.raises(ValueError, match="backward_lstm.*2 states.*1 values"):
        layer.reset_state(values[:3])
    layer.reset_state()
    assert not any(np.asarray(s).any() for s in layer.states)
