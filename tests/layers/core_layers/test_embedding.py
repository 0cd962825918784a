import numpy as np
import pytest

import minikeras as keras
from helpers import run_layer_test


def test_embedding_basics_and_lookup():
    layer, out = run_layer_test(
        keras.layers.Embedding,
        {"input_dim": 5, "output_dim": 3},
        input_shape=(2, 4),
        input_dtype="int32",
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=1,
    )
    (table,) = layer.get_weights()
    assert table.shape == (5, 3) and layer.weights[0].name == "embeddings"
    ids = np.array([[0, 4, 2], [1, 1, 3]])
    np.testing.assert_array_equal(np.asarray(layer(ids)), table[ids])
    assert out.dtype == np.float32


def test_embedding_default_initializer_is_uniform_005():
    keras.utils.set_random_seed(3)
    w = keras.layers.Embedding(200, 50)
    w.build(None)
    values = w.get_weights()[0]
    assert np.abs(values).max() <= 0.05 and values.std() > 0.02
    cfg = w.get_config()["embeddings_initializer"]
    assert cfg["class_name"] == "RandomUniform"
    assert cfg["config"]["minval"] == -0.05 and cfg["config"]["maxval"] == 0.05


def test_embedding_int_inputs_not_cast_and_float_ids_accepted():
    layer = keras.layers.Embedding(10, 2)
    ids64 = np.array([[9, 0]], dtype="int64")
    out = layer(ids64)
    np.testing.assert_array_equal(np.asarray(out), layer.get_weights()[0][[9, 0]][None])
    out_f = layer(np.array([[9.0, 0.0]], dtype="float32"))  # Keras casts float ids to int32
    np.testing.assert_array_equal(np.asarray(out_f), np.asarray(out))


def test_embedding_mask_zero_propagates_into_next_layers():
    ids = np.array([[3, 1, 0, 0], [2, 0, 0, 0]])
    emb = keras.layers.Embedding(4, 3, mask_zero=True)
    x = emb(ids)
    np.testing.assert_array_equal(np.asarray(x._keras_mask), ids != 0)
    y = keras.layers.Dense(2)(x)  # Dense passes masks through
    np.testing.assert_array_equal(np.asarray(y._keras_mask), ids != 0)
    # the row of the padding id is still returned
    np.testing.assert_array_equal(np.asarray(x)[0, 2], emb.get_weights()[0][0])


def test_embedding_mask_in_functional_model():
    inp = keras.Input(shape=(None,), dtype="int32")
    h = keras.layers.Embedding(6, 4, mask_zero=True)(inp)
    out = keras.layers.Dense(1)(h)
    model = keras.Model(inp, out)
    ids = np.array([[5, 2, 0], [1, 0, 0]], "int32")
    y = model(ids)
    assert np.asarray(y).shape == (2, 3, 1)
    np.testing.assert_array_equal(np.asarray(y._keras_mask), ids != 0)


def test_embedding_without_mask_zero_has_no_mask():
    x = keras.layers.Embedding(4, 3)(np.array([[0, 1]]))
    assert x._keras_mask is None


@pytest.mark.parametrize("bad", [7, -1])
def test_embedding_out_of_range_ids_name_layer_and_id(bad):
    layer = keras.layers.Embedding(7, 2, name="tokens")
    with pytest.raises(IndexError, match=f"tokens.*{bad}"):
        layer(np.array([[1, bad]]))
    with pytest.raises(ValueError, match=f"tokens.*{bad}"):
        layer(np.array([[bad, 0]]))


def test_embedding_input_length_and_weights_arguments():
    """Keras 3's Embedding warns "Argument `input_length` is deprecated. Just remove it." and
    takes `weights` as the initial table."""
    table = np.arange(12, dtype="float32").reshape(4, 3)
    with pytest.warns(UserWarning, match="`input_length` is deprecated"):
        layer = keras.layers.Embedding(4, 3, input_length=10, weights=[table])
    np.testing.assert_array_equal(np.asarray(layer(np.array([[3, 0]]))), table[[3, 0]][None])
    assert "input_length" not in layer.get_config()


def test_embedding_gradient_accumulates_repeated_ids():
    layer = keras.layers.Embedding(4, 2)
    ids = np.array([[1, 1, 3]])
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(ids))
    (g,) = tape.gradient(loss, layer.trainable_weights)
    expected = np.zeros((4, 2))
    expected[1] = 2
    expected[3] = 1
    np.testing.assert_allclose(np.asarray(g), expected)


def test_embedding_bad_arguments():
    with pytest.raises(ValueError, match="input_dim"):
        keras.layers.Embedding(0, 3)
    with pytest.raises(ValueError, match="output_dim"):
        keras.layers.Embedding(3, -1)
