"""ConvLSTM1D/2D/3D against a plain-numpy ConvLSTM written from Keras's formulas (direct loops)."""

import itertools
import os
import tempfile

import h5py
import numpy as np
import pytest
from helpers import _weight_grad_check, check_grad, randn, run_layer_test
from rnn_reference import sigmoid

import minikeras as keras
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor
from minikeras.layers.rnn.conv_lstm import ConvLSTM, ConvLSTMCell

L = keras.layers
MASK = np.array([[1, 1, 1, 1], [0, 0, 1, 1], [1, 0, 1, 0]], bool)


# -- the numpy reference --------------------------------------------------------------------------
def conv_ref(x, w, strides=1, padding="valid", dilation=1):
    """Direct-loop N-d cross-correlation of one sample `x` (*spatial, c) with w (*k, c, f)."""
    r = x.ndim - 1
    ks, s, d = (
        w.shape[:r],
        (strides,) * r if np.isscalar(strides) else strides,
        ((dilation,) * r if np.isscalar(dilation) else dilation),
    )
    pads, outs = [], []
    for n, k, si, di in zip(x.shape[:r], ks, s, d):
        span = (k - 1) * di + 1
        if padding == "same":  # TensorFlow's rule: the smaller half of the padding first
            o = -(-n // si)
            pads.append(max((o - 1) * si + span - n, 0) // 2)
        else:
            o = (n - span) // si + 1
            pads.append(0)
        outs.append(o)
    out = np.zeros(tuple(outs) + (w.shape[-1],))
    for pos in itertools.product(*[range(o) for o in outs]):
        for kpos in itertools.product(*[range(k) for k in ks]):
            src = [p * si + q * di - pad for p, q, si, di, pad in zip(pos, kpos, s, d, pads)]
            if all(0 <= i < n for i, n in zip(src, x.shape[:r])):
                out[pos] += x[tuple(src)] @ w[kpos]
    return out


def conv_lstm_ref(
    x,
    weights,
    strides=1,
    padding="valid",
    dilation=1,
    initial=None,
    mask=None,
    go_backwards=False,
    zero_output=False,
    masks=None,
    rec_masks=None,
):
    """(outputs in processing order (B, T, *out, f), [h, c]) for channels-last `x` (B, T, ...).

    `masks`/`rec_masks`: per-gate dropout masks, lists of 4 arrays shaped like one step of x / h.
    """
    kernel, rec, bias = weights
    f = rec.shape[-2]
    batch, steps = x.shape[:2]
    mask = np.ones((batch, steps), bool) if mask is None else mask
    order = list(range(steps))[::-1] if go_backwards else list(range(steps))
    outs, finals = [], []
    for b in range(batch):
        shape = conv_ref(x[b, 0], kernel, strides, padding, dilation).shape[:-1] + (f,)
        h, c = (
            (np.zeros(shape), np.zeros(shape))
            if initial is None
            else (initial[0][b], initial[1][b])
        )
        prev, seq = np.zeros(shape), []
        for t in order:
            if not mask[b, t]:
                prev = np.zeros(shape) if zero_output else prev
                seq.append(prev)
                continue
            z = []
            for g in range(4):
                xg = x[b, t] * (1 if masks is None else masks[g][b])
                hg = h * (1 if rec_masks is None else rec_masks[g][b])
                z.append(
                    conv_ref(xg, kernel[..., g * f : (g + 1) * f], strides, padding, dilation)
                    + conv_ref(hg, rec[..., g * f : (g + 1) * f], 1, "same")
                    + bias[g * f : (g + 1) * f]
                )
            i, fg, g_, o = z
            c = sigmoid(fg) * c + sigmoid(i) * np.tanh(g_)
            h = sigmoid(o) * np.tanh(c)
            prev = h
            seq.append(h)
        outs.append(np.stack(seq))
        finals.append((h, c))
    return np.stack(outs), [np.stack([s[k] for s in finals]) for k in range(2)]


def _layer(cls=L.ConvLSTM2D, channels=2, filters=2, kernel_size=3, size=7, **kwargs):
    layer = cls(filters, kernel_size, dtype="float64", **kwargs)
    rank = layer.cell.rank
    layer.build(
        (None, None) + (size,) * rank + (channels,)
        if kwargs.get("data_format") != "channels_first"
        else (None, None, channels) + (size,) * rank
    )
    k = (kernel_size,) * rank if np.isscalar(kernel_size) else tuple(kernel_size)
    layer.set_weights(
        [
            randn(*k, channels, 4 * filters, seed=1) * 0.4,
            randn(*k, filters, 4 * filters, seed=2) * 0.4,
            randn(4 * filters, seed=3) * 0.5,
        ]
    )
    return layer


# -- forward against the reference ---------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        {"padding": "same"},
        {"padding": "valid"},
        {"padding": "same", "strides": 2},
        {"padding": "valid", "strides": (2, 1)},
        {"padding": "same", "dilation_rate": 2},
        {"padding": "same", "kernel_size": (2, 3)},
    ],
)
def test_conv_lstm2d_matches_numpy(kwargs):
    layer = _layer(return_sequences=True, return_state=True, **kwargs)
    x = randn(3, 4, 7, 7, 2)
    seq, h, c = layer(x)
    conv_args = {k: kwargs.get(k, d) for k, d in (("strides", 1), ("padding", "valid"))}
    want, (want_h, want_c) = conv_lstm_ref(
        x, layer.get_weights(), dilation=kwargs.get("dilation_rate", 1), **conv_args
    )
    np.testing.assert_allclose(seq, want, atol=1e-12)
    np.testing.assert_allclose(h, want_h, atol=1e-12)
    np.testing.assert_allclose(c, want_c, atol=1e-12)
    np.testing.assert_allclose(h, seq[:, -1], atol=0)


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_masks_carry_states_over(go_backwards, zero_output):
    layer = _layer(
        padding="same",
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        zero_output_for_mask=zero_output,
    )
    x = randn(3, 4, 7, 7, 2)
    seq, h, c = layer(x, mask=MASK)
    want, (want_h, want_c) = conv_lstm_ref(
        x,
        layer.get_weights(),
        padding="same",
        mask=MASK,
        go_backwards=go_backwards,
        zero_output=zero_output,
    )
    np.testing.assert_allclose(seq, want, atol=1e-12)
    np.testing.assert_allclose(h, want_h, atol=1e-12)
    np.testing.assert_allclose(c, want_c, atol=1e-12)
    last = _layer(padding="same", go_backwards=go_backwards, zero_output_for_mask=zero_output)
    np.testing.assert_allclose(last(x, mask=MASK), want[:, -1], atol=1e-12)


def test_initial_state_and_its_gradient():
    layer = _layer(padding="valid", return_state=True)
    x, h0, c0 = randn(3, 4, 7, 7, 2), randn(3, 5, 5, 2, seed=5), randn(3, 5, 5, 2, seed=6)
    out, h, c = layer(x, initial_state=[h0, c0], mask=MASK)
    want, (want_h, want_c) = conv_lstm_ref(x, layer.get_weights(), initial=(h0, c0), mask=MASK)
    np.testing.assert_allclose(out, want[:, -1], atol=1e-12)
    np.testing.assert_allclose(h, want_h, atol=1e-12)
    np.testing.assert_allclose(c, want_c, atol=1e-12)
    small = randn(1, 3, 7, 7, 2)
    check_grad(lambda h0, c0: layer(Tensor(small), initial_state=[h0, c0])[2], h0[:1], c0[:1])
    with pytest.raises(ValueError, match="conv_lstm2d.*2 tensors.*\\(3, 5, 5, 2\\).*Received 1"):
        layer(x, initial_state=[h0])
    with pytest.raises(ValueError, match="conv_lstm2d.*\\(3, 7, 7, 2\\)"):
        layer(x, initial_state=[randn(3, 7, 7, 2), c0])


def test_channels_first_equals_channels_last():
    last = _layer(padding="same", strides=2, return_sequences=True)
    first = _layer(padding="same", strides=2, return_sequences=True, data_format="channels_first")
    first.set_weights(last.get_weights())
    x = randn(3, 4, 7, 7, 2)
    got = first(np.moveaxis(x, -1, 2), mask=MASK)
    np.testing.assert_allclose(np.moveaxis(np.asarray(got), 2, -1), last(x, mask=MASK), atol=1e-12)
    assert first.cell.state_shape == (2, 4, 4)


@pytest.mark.parametrize("cls,rank", [(L.ConvLSTM1D, 1), (L.ConvLSTM3D, 3)])
def test_conv_lstm_1d_and_3d_match_numpy(cls, rank):
    layer = _layer(cls, kernel_size=2, size=4, padding="same", return_sequences=True)
    x = randn(3, 4, *(4,) * rank, 2)
    want, _ = conv_lstm_ref(x, layer.get_weights(), padding="same", mask=MASK)
    np.testing.assert_allclose(layer(x, mask=MASK), want, atol=1e-12)


# -- the cell, the fused loop and dropout ----------------------------------------------------------
class CellLoop(L.RNN):
    """`RNN` checking initial states by shape (its own check takes a state size per state)."""

    _check_initial_state = ConvLSTM._check_initial_state


def _generic(layer, **kwargs):
    """The same ConvLSTM run by the generic `RNN` loop, one cell call per step."""
    c = layer.cell
    cell = ConvLSTMCell(
        c.rank,
        c.filters,
        c.kernel_size,
        strides=c.strides,
        padding=c.padding,
        dilation_rate=c.dilation_rate,
        dropout=c.dropout,
        recurrent_dropout=c.recurrent_dropout,
        seed=c.seed,
        dtype="float64",
    )
    rnn = CellLoop(cell, dtype="float64", **kwargs)
    rnn.build((None, None, 7, 7, 2))
    rnn.set_weights(layer.get_weights())
    return rnn


def test_batched_input_convolution_matches_the_cell_loop():
    kwargs = {"return_sequences": True, "return_state": True, "go_backwards": True}
    fast = _layer(padding="valid", strides=2, **kwargs)
    slow = _generic(fast, **kwargs)
    x = Tensor(randn(3, 4, 7, 7, 2), requires_grad=True)
    outs = [fast(x, mask=MASK), slow(x, mask=MASK)]
    for a, b in zip(*outs):
        np.testing.assert_allclose(a.data, b.data, atol=1e-13)
    grads = []
    for layer, out in zip((fast, slow), outs):
        loss = sum((o * randn(*o.shape, seed=9)).sum() for o in out)
        grads.append(gradients(loss, [x] + layer.trainable_weights))
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_dropout_uses_one_mask_per_gate_fixed_over_time():
    layer = _layer(
        padding="same", dropout=0.3, recurrent_dropout=0.4, seed=3, return_sequences=True
    )
    x = randn(3, 4, 7, 7, 2)
    rng = np.random.default_rng(0)
    masks = [(rng.random((3, 7, 7, 2)) > 0.3) / 0.7 for _ in range(4)]
    rec_masks = [(rng.random((3, 7, 7, 2)) > 0.4) / 0.6 for _ in range(4)]
    layer.cell._dropout_mask = [Tensor(m) for m in masks]
    layer.cell._recurrent_dropout_mask = [Tensor(m) for m in rec_masks]
    got = layer(x, training=True)
    want, _ = conv_lstm_ref(
        x, layer.get_weights(), padding="same", masks=masks, rec_masks=rec_masks
    )
    np.testing.assert_allclose(got, want, atol=1e-12)
    assert layer.cell._dropout_mask is None  # drawn afresh for the next sequence
    # inference ignores dropout; a seeded training call draws the same masks in both loops
    plain, _ = conv_lstm_ref(x, layer.get_weights(), padding="same")
    np.testing.assert_allclose(layer(x), plain, atol=1e-12)
    a = layer(x, training=True)
    b = _generic(layer, return_sequences=True)(x, training=True)
    np.testing.assert_allclose(a, b, atol=1e-13)
    assert not np.allclose(a, plain)


# -- the Keras layer contract --------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs,out",
    [
        ({"padding": "same"}, (2, 5, 5, 2)),
        ({"padding": "valid"}, (2, 3, 3, 2)),
        ({"padding": "same", "return_sequences": True, "go_backwards": True}, (2, 3, 5, 5, 2)),
    ],
)
def test_run_layer_test(kwargs, out):
    layer, _ = run_layer_test(
        L.ConvLSTM2D,
        {"filters": 2, "kernel_size": 3, **kwargs},
        input_shape=(2, 3, 5, 5, 2),
        expected_output_shape=out,
        expected_num_trainable_weights=3,
    )
    assert [v.name for v in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert [v.shape for v in layer.weights] == [(3, 3, 2, 8), (3, 3, 2, 8), (8,)]
    assert layer.cell.name == "conv_lstm_cell" and layer.cell.kernel is layer.weights[0]


def test_run_layer_test_1d_3d_and_return_state():
    run_layer_test(
        L.ConvLSTM1D,
        {"filters": 2, "kernel_size": 2, "strides": 2},
        input_shape=(2, 3, 5, 2),
        expected_output_shape=(2, 2, 2),
    )
    run_layer_test(
        L.ConvLSTM3D,
        {"filters": 1, "kernel_size": 2, "padding": "same"},
        input_shape=(1, 2, 3, 3, 2, 1),
        expected_output_shape=(1, 3, 3, 2, 1),
    )
    layer = _layer(padding="same", return_state=True)
    for out in (layer(randn(2, 3, 7, 7, 2)), layer(keras.Input((None, 7, 7, 2)))):
        assert [tuple(o.shape)[1:] for o in out] == [(7, 7, 2)] * 3


def test_gradients_with_mask_strides_and_go_backwards():
    layer = _layer(
        kernel_size=2, size=4, padding="same", strides=2, go_backwards=True, return_sequences=True
    )
    x = randn(3, 4, 4, 4, 2)
    check_grad(lambda t: layer(t, mask=MASK), x)
    _weight_grad_check(layer, x, 1e-5, 1e-6, {"mask": MASK})


def test_default_initializers():
    keras.utils.set_random_seed(0)
    layer = L.ConvLSTM2D(3, (3, 2))
    layer.build((None, 4, 6, 6, 5))
    kernel, rec, bias = layer.get_weights()
    np.testing.assert_array_equal(bias, np.r_[np.zeros(3), np.ones(3), np.zeros(6)])  # i f c o
    flat = rec.reshape(-1, 12)  # Keras's orthogonal: (prod(shape[:-1]), shape[-1])
    np.testing.assert_allclose(flat.T @ flat, np.eye(12), atol=1e-5)
    limit = np.sqrt(6 / (6 * 5 + 6 * 12))  # glorot: fans include the receptive field
    assert limit * 0.5 < np.abs(kernel).max() <= limit
    layer = L.ConvLSTM2D(3, 3, unit_forget_bias=False, use_bias=False)
    layer.build((None, 4, 6, 6, 5))
    assert [v.name for v in layer.weights] == ["kernel", "recurrent_kernel"]


def test_config_matches_keras_keys_and_round_trips():
    layer = L.ConvLSTM2D(
        4,
        3,
        strides=2,
        padding="same",
        dropout=0.1,
        seed=2,
        name="clstm",
        kernel_regularizer="l2",
        return_sequences=True,
    )
    config = layer.get_config()
    keras_keys = {
        "name",
        "trainable",
        "dtype",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "zero_output_for_mask",
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
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
    }
    assert set(config) == keras_keys
    assert config["kernel_size"] == (3, 3) and config["strides"] == (2, 2)  # tuples, as Keras
    clone = L.ConvLSTM2D.from_config(config)
    assert clone.get_config() == config
    assert (clone.filters, clone.strides, clone.padding) == (4, (2, 2), "same")


def test_keras3_weights_file_layout():
    inputs = keras.Input((3, 5, 5, 2))
    model = keras.Model(inputs, L.ConvLSTM2D(2, 3)(inputs))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.weights.h5")
        model.save_weights(path)
        with h5py.File(path) as f:
            group = f["layers/conv_lstm2d/cell/vars"]
            assert [group[k].shape for k in "012"] == [(3, 3, 2, 8), (3, 3, 2, 8), (8,)]
            assert len(f["layers/conv_lstm2d/vars"]) == 0


def test_stateful_continues_the_sequence():
    x = randn(2, 4, 5, 5, 2, dtype="float32")
    whole = L.ConvLSTM2D(2, 3, padding="same")
    out = whole(x)
    stateful = L.ConvLSTM2D(2, 3, padding="same", stateful=True)
    stateful(x[:, :2])
    stateful.set_weights(whole.get_weights())
    stateful.reset_states()
    stateful(x[:, :2])
    np.testing.assert_allclose(stateful(x[:, 2:]), out, atol=1e-6)
    stateful.reset_states()
    np.testing.assert_array_equal(stateful.states[1], 0)


def test_bad_arguments_and_inputs_name_the_layer():
    with pytest.raises(ValueError, match="filters"):
        L.ConvLSTM2D(0, 3)
    with pytest.raises(ValueError, match="strides.*dilation_rate"):
        L.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="padding"):
        L.ConvLSTM2D(2, 3, padding="causal")
    # Keras 3.15.1's input-spec message, observed
    with pytest.raises(
        ValueError, match="'video'.*expected ndim=5, found ndim=4.*\\(2, 3, 5, 2\\)"
    ):
        L.ConvLSTM2D(2, 3, name="video")(np.ones((2, 3, 5, 2), "float32"))
    with pytest.raises(ValueError, match="'video'.*kernel_size \\(3, 3\\).*valid"):
        L.ConvLSTM2D(2, 3, name="video")(np.ones((2, 3, 2, 5, 1), "float32"))
    with pytest.raises(ValueError, match="'video'.*known spatial"):
        L.ConvLSTM2D(2, 3, name="video")(keras.Input((None, None, 5, 1)))
    layer = L.ConvLSTM2D(2, 3, name="video")
    layer(np.ones((2, 3, 5, 5, 1), "float32"))
    with pytest.raises(ValueError, match="video.*\\(2, 3, 6, 5, 1\\)"):
        layer(np.ones((2, 3, 6, 5, 1), "float32"))


def test_next_frame_model_trains():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).random((8, 3, 6, 6, 1)).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((None, 6, 6, 1)),
            L.ConvLSTM2D(4, 3, padding="same", return_sequences=True),
            L.Conv3D(1, 3, padding="same", activation="sigmoid"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, x, epochs=30, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
