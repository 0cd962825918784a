"""float8 training of Dense and EinsumDense (layers/core_layers/quantized_dense.py) against
Keras 3.15.1: two SGD epochs from fixed weights give Keras's kernels, biases, delayed scales and
amax histories (tests/quantization/fixtures/float8_training.npz, from
make_float8_training_fixture.py, which builds the same model for both libraries)."""

import os
import sys

import numpy as np

import minikeras as keras

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "quantization")
sys.path.insert(0, HERE)
from make_float8_training_fixture import data, train  # noqa: E402

FIXTURE = np.load(os.path.join(HERE, "fixtures", "float8_training.npz"))


def test_float8_training_updates_scales_as_keras():
    model = train(keras)
    names = [str(n).split("/", 1)[1] for n in FIXTURE["names"]]
    assert [w.path.split("/", 1)[1] for w in model.weights] == names
    for i, (name, w) in enumerate(zip(names, model.get_weights())):
        np.testing.assert_allclose(w, FIXTURE[f"w{i}"], rtol=2e-5, atol=1e-6, err_msg=name)
    np.testing.assert_allclose(
        model.predict(data()[0], verbose=0), FIXTURE["predict"], rtol=1e-5, atol=1e-6
    )


def test_float8_scales_are_trainable_float32_and_still_in_inference():
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        layer = keras.layers.Dense(2)
        layer.build((None, 3))
        layer.quantize("float8")
    finally:
        keras.config.set_dtype_policy("float32")
    scales = [v for v in layer.weights if "scale" in v.name or "amax" in v.name]
    assert len(scales) == 6 and all(v.trainable and v.dtype == "float32" for v in scales)
    x = np.ones((2, 3), "float32")
    with keras.GradientTape() as tape:
        y = keras.ops.sum(layer(x, training=False))
    grads = dict(zip([v.name for v in scales], tape.gradient(y, scales)))
    # outside training the inputs' and kernel's scales get no new values (Keras's training=False)
    assert all(grads[n] is None for n in grads if not n.startswith("outputs_grad"))
    assert float(layer.inputs_scale.numpy()) == 1.0
