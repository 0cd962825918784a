import numpy as np

import minikeras as keras
from helpers import run_layer_test


def _data():
    x = np.random.default_rng(0).standard_normal((2, 4, 3)).astype("float32")
    x[0, 1] = 0.0
    x[1, 3] = 0.0
    x[1, 0, 0] = 0.0  # one zero feature does not mask the step
    return x


def test_masking_output_and_mask():
    x = _data()
    # finite differences would unmask the all-zero steps, so gradients are checked below
    layer, out = run_layer_test(
        keras.layers.Masking,
        {},
        input_data=x,
        expected_output_shape=(2, 4, 3),
        check_gradients=False,
    )
    keep = np.any(x != 0.0, axis=-1)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), keep)
    np.testing.assert_allclose(np.asarray(out), x * keep[..., None])


def test_masking_gradient_passes_kept_steps():
    run_layer_test(
        keras.layers.Masking,
        {"mask_value": 5.0},
        input_shape=(2, 4, 3),
        expected_output_shape=(2, 4, 3),
    )
    x = keras.Variable(_data())
    with keras.GradientTape() as tape:
        y = keras.ops.sum(keras.layers.Masking()(x))
    keep = np.any(_data() != 0, axis=-1)
    np.testing.assert_allclose(
        np.asarray(tape.gradient(y, x)), np.broadcast_to(keep[..., None], (2, 4, 3))
    )


def test_masking_custom_value_zeroes_masked_steps():
    x = np.array([[[-1.0, -1.0], [2.0, -1.0], [3.0, 4.0]]], "float32")
    out = keras.layers.Masking(mask_value=-1.0)(x)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[False, True, True]])
    np.testing.assert_allclose(np.asarray(out), [[[0.0, 0.0], [2.0, -1.0], [3.0, 4.0]]])
    assert keras.layers.Masking(mask_value=-1.0).get_config()["mask_value"] == -1.0


def test_masking_mask_reaches_functional_output():
    inp = keras.Input(shape=(None, 3))
    out = keras.layers.Dense(2)(keras.layers.Masking()(inp))
    model = keras.Model(inp, out)
    x = _data()
    y = model(x)
    np.testing.assert_array_equal(np.asarray(y._keras_mask), np.any(x != 0, axis=-1))
