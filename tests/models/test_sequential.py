"""Sequential input handling, compared with Keras 3.15 behaviour observed on the torch backend
(Keras's `Sequential.call` runs its functional graph after `Functional._adjust_input_rank`; the
sizes are left for the layers to check)."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers


def test_trailing_axis_of_size_one_is_added_or_dropped():
    """Keras 3: (N, 28, 28) feeds Input((28, 28, 1)), (N, 10, 1) feeds Input((10,))."""
    seq = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(2)])
    x = np.random.default_rng(0).random((3, 28, 28)).astype("float32")
    np.testing.assert_allclose(np.asarray(seq(x)), np.asarray(seq(x[..., None])), rtol=1e-6)
    assert seq.predict(x, verbose=0).shape == (3, 2)
    seq2 = keras.Sequential([keras.Input((10,)), layers.Dense(2)])
    assert seq2(np.ones((4, 10, 1), "float32")).shape == (4, 2)
    with pytest.raises(ValueError, match=r"sequential.*rank.*\(None, 10\).*\(4, 10, 2\)"):
        seq2(np.ones((4, 10, 2), "float32"))


def test_sizes_are_checked_by_the_layers():
    """Keras 3: a Sequential built with Input((8, 8, 3)) runs a conv stack on 16x16 images; a
    wrong feature size fails in the Dense, naming it."""
    seq = keras.Sequential(
        [keras.Input((8, 8, 3)), layers.Conv2D(4, 3), layers.GlobalAveragePooling2D()]
    )
    assert seq(np.ones((2, 16, 16, 3), "float32")).shape == (2, 4)
    seq2 = keras.Sequential([keras.Input((10,)), layers.Dense(2, name="the_dense")])
    with pytest.raises(ValueError, match=r"the_dense.*value 10.*\(4, 12\)"):
        seq2(np.ones((4, 12), "float32"))


def test_fixed_batch_size_is_not_enforced():
    """Keras 3: Input(shape, batch_size=128) predicts on 4 samples."""
    seq = keras.Sequential([keras.Input((5,), batch_size=128), layers.Dense(2)])
    assert seq(np.ones((4, 5), "float32")).shape == (4, 2)
    assert seq.predict(np.ones((4, 5), "float32"), verbose=0).shape == (4, 2)


def test_deferred_sequential_runs_on_new_lengths_and_batch_sizes():
    """Keras 3: a Sequential built by its first call on (2, 10, 32) runs on (3, 20, 32), as the
    feed-forward block of a Transformer layer does."""
    ffn = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(32)])
    assert ffn(np.ones((2, 10, 32), "float32")).shape == (2, 10, 32)
    x = np.random.default_rng(0).standard_normal((3, 20, 32)).astype("float32")
    (k1, b1), (k2, b2) = ffn.layers[0].get_weights(), ffn.layers[1].get_weights()
    np.testing.assert_allclose(
        np.asarray(ffn(x)), np.maximum(x @ k1 + b1, 0) @ k2 + b2, rtol=1e-4, atol=1e-5
    )

    class Block(layers.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.ffn = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(8)])

        def call(self, x):
            return x + self.ffn(x)

    i = keras.Input((None, 8))
    model = keras.Model(i, Block()(i))
    assert model(np.ones((2, 10, 8), "float32")).shape == (2, 10, 8)
    assert model(np.ones((5, 20, 8), "float32")).shape == (5, 20, 8)


def test_one_element_list_input_is_unwrapped():
    """Keras 3: `seq([x])` on a one-input Sequential returns (N, ...), not (1, N, ...)."""
    seq = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    x = np.ones((4, 3), "float32")
    assert seq([x]).shape == (4, 2)
    assert seq((x,)).shape == (4, 2)


def test_unbuilt_sequential_has_no_inputs_or_outputs():
    """Keras 3.15.1 observed: before a Sequential knows its input shape these raise
    AttributeError with these messages (so `hasattr(model, "inputs")` is False)."""
    messages = {
        "input": "The layer probe has never been called and thus has no defined input.",
        "output": "The layer probe has never been called and thus has no defined output.",
        "inputs": "Sequential model 'probe' has no defined inputs yet.",
        "outputs": "Sequential model 'probe' has no defined outputs yet.",
        "input_shape": "Sequential model 'probe' has no defined input shape yet.",
        "output_shape": "Sequential model 'probe' has no defined output shape yet.",
    }
    model = keras.Sequential([keras.layers.Dense(2)], name="probe")
    for attr, message in messages.items():
        with pytest.raises(AttributeError) as info:
            getattr(model, attr)
        assert str(info.value) == message
    model.build((None, 3))
    assert model.input.shape == (None, 3) and model.output_shape == (None, 2)


@pytest.mark.parametrize("built", [False, True])
def test_explicit_mask_reaches_the_first_layer(built):
    """Keras 3.15.1 observed: `model(x, mask=m)` hands `m` to the first layer (and, as the layer
    propagates it, to the next); an LSTM then skips the masked step."""

    class Probe(keras.layers.Layer):
        def call(self, x, mask=None):
            self.seen = None if mask is None else np.asarray(mask).tolist()
            return x

    p, q = Probe(), Probe()
    start = [keras.Input((3, 2))] if built else []
    x = np.ones((1, 3, 2), "float32")
    mask = np.array([[True, False, True]])
    out = keras.Sequential(start + [p, q])(x, mask=mask)
    assert p.seen == q.seen == [[True, False, True]]
    assert np.asarray(out._keras_mask).tolist() == [[True, False, True]]
    lstm = keras.layers.LSTM(
        2, return_sequences=True, kernel_initializer="ones", recurrent_initializer="ones"
    )
    y = keras.Sequential(start + [lstm])(x, mask=mask)
    expected = [[[0.6083, 0.6083], [0.6083, 0.6083], [0.9098, 0.9098]]]  # Keras, rounded
    np.testing.assert_allclose(np.asarray(y), expected, atol=1e-4)
