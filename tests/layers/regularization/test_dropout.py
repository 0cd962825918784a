import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


def test_dropout_is_identity_at_inference():
    layer, out = run_layer_test(
        keras.layers.Dropout, {"rate": 0.5}, input_shape=(3, 4), expected_output_shape=(3, 4)
    )
    x = randn(3, 4, dtype="float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
    assert layer.get_config()["rate"] == 0.5


def test_dropout_training_statistics():
    keras.utils.set_random_seed(0)
    rate = 0.3
    x = np.ones((200, 500), "float32")
    out = np.asarray(keras.layers.Dropout(rate)(x, training=True))
    kept = out != 0
    # kept values are scaled by 1 / (1 - rate); the drop fraction is close to `rate`
    np.testing.assert_allclose(out[kept], 1 / (1 - rate), rtol=1e-6)
    assert abs((~kept).mean() - rate) < 0.01
    assert abs(out.mean() - 1.0) < 0.02


def test_dropout_gradient_is_the_mask():
    keras.utils.set_random_seed(1)
    x = keras.Variable(np.ones((4, 6), "float32"))
    with keras.GradientTape() as tape:
        y = keras.layers.Dropout(0.5)(x, training=True)
        total = keras.ops.sum(y)
    g = np.asarray(tape.gradient(total, x))
    np.testing.assert_allclose(g, np.asarray(y))  # d(sum(x * m / 0.5)) / dx = m / 0.5


def test_dropout_determinism_under_set_random_seed():
    x = np.ones((5, 8), "float32")
    keras.utils.set_random_seed(42)
    a = np.asarray(keras.layers.Dropout(0.5)(x, training=True))
    keras.utils.set_random_seed(42)
    b = np.asarray(keras.layers.Dropout(0.5)(x, training=True))
    np.testing.assert_array_equal(a, b)
    keras.utils.set_random_seed(43)
    c = np.asarray(keras.layers.Dropout(0.5)(x, training=True))
    assert not np.array_equal(a, c)


def test_dropout_seed_gives_its_own_repeatable_stream():
    x = np.ones((5, 8), "float32")
    first = keras.layers.Dropout(0.5, seed=7)
    second = keras.layers.Dropout(0.5, seed=7)
    a1, a2 = (np.asarray(first(x, training=True)) for _ in range(2))
    b1 = np.asarray(second(x, training=True))
    np.testing.assert_array_equal(a1, b1)
    assert not np.array_equal(a1, a2)  # successive calls draw new masks


def test_dropout_noise_shape_shares_mask():
    keras.utils.set_random_seed(3)
    out = np.asarray(
        keras.layers.Dropout(0.5, noise_shape=(None, 1, 6))(
            np.ones((4, 5, 6), "float32"), training=True
        )
    )
    assert np.all(out == out[:, :1, :])  # the same features dropped at every timestep


def test_dropout_training_inherited_from_model_call_and_rate_edges():
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dropout(0.9)])
    x = np.ones((3, 10), "float32")
    np.testing.assert_array_equal(np.asarray(model(x)), x)
    assert (np.asarray(model(x, training=True)) == 0).any()
    np.testing.assert_array_equal(np.asarray(keras.layers.Dropout(1.0)(x, training=True)), 0)
    np.testing.assert_array_equal(np.asarray(keras.layers.Dropout(0.0)(x, training=True)), x)


def test_dropout_keeps_mask():
    emb = keras.layers.Embedding(4, 2, mask_zero=True)(np.array([[1, 0, 2]]))
    out = keras.layers.Dropout(0.5)(emb, training=True)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[True, False, True]])


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"rate": 1.5}, "rate"),
        ({"rate": -0.1}, "rate"),
        ({"rate": 0.5, "noise_shape": "ab"}, "noise_shape"),
        ({"rate": 0.5, "noise_shape": (0, 1)}, "noise_shape"),
    ],
)
def test_dropout_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.layers.Dropout(**kwargs)


def test_dropout_noise_shape_must_broadcast():
    layer = keras.layers.Dropout(0.5, noise_shape=(None, 3), name="drop")
    with pytest.raises(ValueError, match="drop.*noise_shape"):
        layer(np.ones((2, 4), "float32"), training=True)
