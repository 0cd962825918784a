import json
import os

import numpy as np
import pytest
from helpers import check_grad, randn

import minikeras as keras
from minikeras import layers

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data")


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


class CallRecorder(layers.Layer):
    """Dense-like layer recording the shapes and masks of each call."""

    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.calls = []

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def call(self, x, mask=None):
        m = None if mask is None else np.asarray(mask.data if hasattr(mask, "data") else mask)
        self.calls.append((tuple(x.shape), m))
        return keras.ops.matmul(x, self.kernel)


# -- the math ------------------------------------------------------------------------------------
def test_dense_matches_numpy_per_step():
    x = randn(3, 4, 5, dtype="float32")
    td = layers.TimeDistributed(layers.Dense(2, activation="tanh"))
    out = np.asarray(td(x))
    k, b = td.get_weights()
    assert td.layer.kernel.shape == (5, 2)
    np.testing.assert_allclose(out, np.tanh(x @ k + b), rtol=1e-5, atol=1e-6)


def test_one_call_of_the_wrapped_layer_on_folded_batch():
    rec = CallRecorder()
    td = layers.TimeDistributed(rec)
    out = td(randn(3, 7, 4, dtype="float32"))
    assert out.shape == (3, 7, 2)
    assert [c[0] for c in rec.calls] == [(21, 4)]  # batch * time, never a loop over time


def test_gradients_float64():
    td = layers.TimeDistributed(
        layers.Dense(3, activation="tanh", dtype="float64"), dtype="float64"
    )
    x = randn(2, 3, 4)
    td(x)
    check_grad(lambda t: td(t), x)
    w = td.get_weights()
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(td(x) ** 2)
    gk, gb = tape.gradient(loss, td.trainable_weights)
    y = np.tanh(x @ w[0] + w[1])
    d = 2 * y * (1 - y**2)  # d loss / d pre-activation
    np.testing.assert_allclose(gk, np.einsum("bti,btj->ij", x, d), rtol=1e-10)
    np.testing.assert_allclose(gb, d.sum(axis=(0, 1)), rtol=1e-10)


def test_rank_below_three_raises_naming_layer():
    td = layers.TimeDistributed(layers.Dense(2), name="per_frame")
    with pytest.raises(ValueError, match="per_frame.*rank >= 3"):
        td(np.ones((4, 5), "float32"))
    with pytest.raises(ValueError, match="per_frame"):
        layers.TimeDistributed(layers.Dense(2), name="per_frame")(keras.Input((5,)))


def test_requires_a_layer():
    with pytest.raises(ValueError, match="TimeDistributed"):
        layers.TimeDistributed("dense")


# -- symbolic shapes and models ----------------------------------------------------------------
def _cnn(built):
    body = [
        layers.Conv2D(4, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(5),
    ]
    return keras.Sequential(([keras.Input((8, 8, 3))] if built else []) + body)


@pytest.mark.parametrize("built", [True, False])
def test_sequential_cnn_over_unknown_number_of_frames(built):
    keras.utils.set_random_seed(1)
    cnn = _cnn(built)
    video = keras.Input(shape=(None, 8, 8, 3))
    encoded = layers.TimeDistributed(cnn)(video)
    assert encoded.shape == (None, None, 5)
    model = keras.Model(video, encoded)
    for frames in (2, 5):
        x = randn(3, frames, 8, 8, 3, seed=frames, dtype="float32")
        out = np.asarray(model(x))
        # reference: the CNN on each frame separately
        ref = np.stack([np.asarray(cnn(x[:, t])) for t in range(frames)], axis=1)
        np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    assert len(model.weights) == 4


def test_functional_model_wrapped():
    frame = keras.Input((6,))
    inner = keras.Model(frame, layers.Dense(3, activation="relu")(layers.Dense(4)(frame)))
    seq = keras.Input((None, 6))
    out = layers.TimeDistributed(inner)(seq)
    assert out.shape == (None, None, 3)
    x = randn(2, 4, 6, dtype="float32")
    y = np.asarray(keras.Model(seq, out)(x))
    np.testing.assert_allclose(y, np.asarray(inner(x.reshape(8, 6))).reshape(2, 4, 3), rtol=1e-6)


def test_static_time_and_batch_shapes():
    out = layers.TimeDistributed(layers.Dense(7))(keras.Input((4, 3), batch_size=2))
    assert out.shape == (2, 4, 7)
    td = layers.TimeDistributed(layers.Dense(7))
    assert td.compute_output_shape((None, 4, 3)) == (None, 4, 7)


def test_nested_time_distributed():
    x = randn(2, 3, 4, 5, dtype="float32")
    td = layers.TimeDistributed(layers.TimeDistributed(layers.Dense(2)))
    out = np.asarray(td(x))
    k, b = td.get_weights()
    np.testing.assert_allclose(out, x @ k + b, rtol=1e-5, atol=1e-6)
    assert layers.TimeDistributed(layers.TimeDistributed(layers.Dense(2)))(
        keras.Input((None, None, 5))
    ).shape == (None, None, None, 2)


# -- masks ------------------------------------------------------------------------------------
def test_input_mask_passes_through():
    x = randn(2, 4, 3, dtype="float32")
    x[0, 2:] = 0
    x[1, 3:] = 0
    masked = layers.Masking(0.0)(x)
    out = layers.TimeDistributed(layers.Dense(2))(masked)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), np.any(x != 0, axis=-1))

    seq = keras.Input((None, 3))
    sym = layers.TimeDistributed(layers.Dense(2))(layers.Masking(0.0)(seq))
    assert sym._has_mask
    out = keras.Model(seq, sym)(x)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), np.any(x != 0, axis=-1))


def test_mask_folded_for_a_layer_that_takes_one():
    rec = CallRecorder()
    mask = np.array([[1, 1, 0], [1, 0, 0]], dtype=bool)
    out = layers.TimeDistributed(rec)(randn(2, 3, 4, dtype="float32"), mask=mask)
    ((shape, got),) = rec.calls
    assert shape == (6, 4)
    np.testing.assert_array_equal(got, mask.reshape(6))
    np.testing.assert_array_equal(np.asarray(out._keras_mask), mask)


def test_bad_mask_shape_raises():
    with pytest.raises(ValueError, match="mask"):
        layers.TimeDistributed(CallRecorder())(
            randn(2, 3, 4, dtype="float32"), mask=np.ones((3, 2), bool)
        )


def test_inner_per_step_mask_is_unfolded():
    x = randn(2, 3, 4, 5, dtype="float32")
    x[0, 1, 2:] = 0
    out = layers.TimeDistributed(layers.Masking(0.0))(x)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), np.any(x != 0, axis=-1))
    assert np.asarray(out._keras_mask).shape == (2, 3, 4)


# -- config, weights, freezing -----------------------------------------------------------------
def test_config_round_trip():
    td = layers.TimeDistributed(layers.Dense(3, activation="relu", name="step"), name="td")
    x = randn(2, 4, 5, dtype="float32")
    y = np.asarray(td(x))
    config = td.get_config()
    json.dumps(config)
    assert config["layer"]["class_name"] == "Dense"
    assert config["layer"]["config"]["units"] == 3
    assert config["name"] == "td"
    clone = layers.TimeDistributed.from_config(config)
    assert isinstance(clone.layer, layers.Dense) and clone.layer.name == "step"
    clone(x)
    clone.set_weights(td.get_weights())
    np.testing.assert_allclose(np.asarray(clone(x)), y, rtol=1e-6)


def test_config_round_trip_of_wrapped_model():
    pytest.importorskip("minikeras.serialization.keras_objects")
    td = layers.TimeDistributed(_step_mlp(), name="td")
    x = randn(2, 5, 6, dtype="float32")
    y = np.asarray(td(x))
    config = json.loads(json.dumps(td.get_config()))
    assert config["layer"]["class_name"] == "Sequential"
    clone = layers.TimeDistributed.from_config(config)
    clone(x)
    clone.set_weights(td.get_weights())
    np.testing.assert_allclose(np.asarray(clone(x)), y, rtol=1e-6)


def test_weights_are_the_wrapped_layers():
    from minikeras.saving.structure import walk_saveables

    inner = layers.Dense(3)
    td = layers.TimeDistributed(inner)
    seq = keras.Input((None, 2))
    model = keras.Model(seq, td(seq))
    assert [id(v) for v in td.weights] == [id(v) for v in inner.weights]
    paths = [p for p, _ in walk_saveables(model)]
    assert "layers/time_distributed/layer" in paths  # Keras 3 weights file layout


@pytest.mark.parametrize("frozen", ["wrapper", "wrapped_model"])
def test_frozen_backbone_does_not_change_in_fit(frozen):
    keras.utils.set_random_seed(3)
    backbone = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(3)])
    if frozen == "wrapped_model":
        backbone.trainable = False
    seq = keras.Input((None, 5))
    td = layers.TimeDistributed(backbone, trainable=frozen != "wrapper")
    h = layers.GlobalAveragePooling1D()(td(seq))
    out = layers.Dense(2)(h)
    model = keras.Model(seq, out)
    assert len(td.non_trainable_weights) == 4 and not td.trainable_weights
    frozen_ids = {id(v) for v in backbone.weights}
    assert frozen_ids <= {id(v) for v in model.non_trainable_weights}
    assert not frozen_ids & {id(v) for v in model.trainable_weights}
    before = [w.copy() for w in backbone.get_weights()]
    head_before = [w.copy() for w in model.layers[-1].get_weights()]
    model.compile(optimizer="sgd", loss="mse")
    x, y = randn(8, 3, 5, dtype="float32"), randn(8, 2, seed=1, dtype="float32")
    model.fit(x, y, epochs=3, batch_size=4, verbose=0)
    for a, b in zip(before, backbone.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert any(
        not np.array_equal(a, b) for a, b in zip(head_before, model.layers[-1].get_weights())
    )


def test_frozen_wrapped_model():
    backbone = keras.Sequential([keras.Input((5,)), layers.Dense(3)])
    backbone.trainable = False
    td = layers.TimeDistributed(backbone)
    td(np.ones((1, 2, 5), "float32"))
    assert not td.trainable_weights and len(td.non_trainable_weights) == 2


# -- Keras 3 fixture: Input (5, 6) -> TimeDistributed(step_mlp) -> LSTM(5) -> Dense(2, softmax)
def _fixture():
    d = np.load(os.path.join(DATA, "timedist_nested_k3.npz"))
    return d["x"], d["y"], [d[f"w{i:03d}"] for i in range(int(d["n_weights"]))]


def _step_mlp():
    return keras.Sequential(
        [
            layers.Dense(8, activation="relu", name="inner_dense1"),
            layers.Dense(4, name="inner_dense2"),
        ],
        name="step_mlp",
    )


def _lstm_ref(x, kernel, recurrent, bias):
    units = recurrent.shape[0]
    h = np.zeros((x.shape[0], units))
    c = np.zeros_like(h)
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent + bias
        i, f, g, o = (z[:, k * units : (k + 1) * units] for k in range(4))
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
    return h


def test_keras_fixture_time_distributed_part():
    x, y, w = _fixture()
    seq = keras.Input((5, 6), name="seq")
    td = layers.TimeDistributed(_step_mlp(), name="td")
    model = keras.Model(seq, td(seq))
    model.set_weights(w[:4])
    steps = np.asarray(model(x))
    ref = np.maximum(x @ w[0] + w[1], 0) @ w[2] + w[3]
    np.testing.assert_allclose(steps, ref, rtol=1e-5, atol=1e-6)
    # the rest of the Keras model in numpy reproduces Keras's predictions
    logits = _lstm_ref(steps.astype("float64"), *w[4:7]) @ w[7] + w[8]
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    np.testing.assert_allclose(probs / probs.sum(-1, keepdims=True), y, atol=1e-5)


@pytest.mark.skipif(not hasattr(layers, "LSTM"), reason="LSTM not available yet")
def test_keras_fixture_full_model():
    x, y, w = _fixture()
    seq = keras.Input((5, 6), name="seq")
    h = layers.TimeDistributed(_step_mlp(), name="td")(seq)
    out = layers.Dense(2, activation="softmax")(layers.LSTM(5)(h))
    model = keras.Model(seq, out)
    model.set_weights(w)
    np.testing.assert_allclose(np.asarray(model.predict(x, verbose=0)), y, atol=1e-5)
