import numpy as np

import minikeras as keras
from helpers import randn, run_layer_test


def test_activity_regularization_loss_and_passthrough():
    layer, out = run_layer_test(
        keras.layers.ActivityRegularization,
        {"l1": 0.1, "l2": 0.01},
        input_shape=(4, 3),
        expected_output_shape=(4, 3),
    )
    x = randn(4, 3, dtype="float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    (loss,) = layer.losses
    # Keras 3 (layer.py, observed on 3.15) divides the penalty by the batch size, here 4
    expected = (0.1 * np.abs(x).sum() + 0.01 * (x**2).sum()) / 4
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)
    config = layer.get_config()
    assert config["l1"] == 0.1 and config["l2"] == 0.01 and "activity_regularizer" not in config


def test_activity_regularization_keeps_mask():
    emb = keras.layers.Embedding(3, 2, mask_zero=True)(np.array([[0, 2]]))
    out = keras.layers.ActivityRegularization(l2=1.0)(emb)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[False, True]])
