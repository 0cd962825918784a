import numpy as np

import minikeras as keras
from helpers import run_layer_test

ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


def test_alpha_dropout_keeps_standard_normal_statistics():
    rate = 0.2
    layer, _ = run_layer_test(
        keras.layers.AlphaDropout, {"rate": rate}, input_shape=(2, 3), expected_output_shape=(2, 3)
    )
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).standard_normal((400, 400)).astype("float32")
    out = np.asarray(layer(x, training=True))
    assert abs(out.mean()) < 0.02 and abs(out.std() - 1.0) < 0.02
    a = ((1 - rate) * (1 + rate * ALPHA_P**2)) ** -0.5
    b = -a * ALPHA_P * rate
    kept = np.isclose(out, a * x + b, atol=1e-5)
    np.testing.assert_allclose(out[~kept], a * ALPHA_P + b, rtol=1e-5)
    assert abs((~kept).mean() - rate) < 0.01
