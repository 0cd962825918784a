"""Training under the mixed-precision policies (models/trainer.py with layers' dtype policies).

Keras 3 behaviour followed (observed with Keras 3.15.1, torch backend): under "mixed_float16"
`compile` wraps the optimizer in a `LossScaleOptimizer` (initial scale 2**15, doubled after 2000
finite steps, halved with the step skipped on non-finite gradients), variables stay float32 and
get float32 gradients, and outputs are float16. The accuracy targets compare with the same model
trained in float32 (issue 20: within 1 point); no timing here (benchmarks/mixed_precision.py).
"""

import numpy as np
import pytest

import minikeras as keras

pytest.importorskip("ml_dtypes")


@pytest.fixture(autouse=True)
def _float32_policy():
    yield
    keras.config.set_dtype_policy("float32")


def _data(n, seed):
    """4 classes of 8-feature points around fixed centres, overlapping a little."""
    centres = np.random.default_rng(0).normal(0.0, 1.5, size=(4, 8))
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, size=n).astype(np.int32)
    x = centres[y] + rng.normal(0.0, 1.0, size=(n, 8))
    return x.astype(np.float32), y


def _train(policy):
    keras.utils.clear_session()
    keras.config.set_dtype_policy(policy)
    keras.utils.set_random_seed(7)
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(4),
        ]
    )
    model.compile(
        keras.optimizers.Adam(1e-2),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    x, y = _data(1200, seed=1)
    model.fit(x, y, batch_size=64, epochs=4, verbose=0)
    x_test, y_test = _data(2000, seed=2)
    logits = model.predict(x_test, verbose=0)
    return model, logits, float(np.mean(np.asarray(logits, np.float32).argmax(-1) == y_test))


def test_mixed_policies_train_to_float32_accuracy():
    _, _, reference = _train("float32")
    assert reference > 0.85
    for policy, compute in (("mixed_float16", np.float16), ("mixed_bfloat16", "bfloat16")):
        model, logits, accuracy = _train(policy)
        assert logits.dtype == np.dtype(compute)
        assert all(v.dtype == np.float32 for v in model.weights)
        assert abs(accuracy - reference) <= 0.01, (policy, accuracy, reference)
    # mixed_float16 trained through the loss scale optimizer, with no overflow at 2**15 here
    model, _, _ = _train("mixed_float16")
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    assert float(model.optimizer.dynamic_scale.numpy()) == 2.0**15
    assert int(model.optimizer.iterations.numpy()) == 4 * 19


def test_float16_overflow_skips_steps_and_halves_the_scale():
    keras.config.set_dtype_policy("mixed_float16")
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(1e-3), "mse")
    before = [w.copy() for w in model.get_weights()]
    # targets of 100: the kernel's float16 gradient (8 rows of 2 * 100 / 8) is 200 times the
    # scale, which overflows float16 (max 65504) until the scale is 2**8
    x = np.ones((8, 4), np.float32)
    y = np.full((8, 1), 100.0, np.float32)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    opt = model.optimizer
    assert float(opt.dynamic_scale.numpy()) == 2.0**14  # halved
    assert int(opt.iterations.numpy()) == 0  # the inner optimizer took no step
    for w, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(w, b)
    for _ in range(9):  # six more halvings, then three steps are taken
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert float(opt.dynamic_scale.numpy()) == 2.0**8
    assert int(opt.iterations.numpy()) == 3
    assert not np.array_equal(model.get_weights()[0], before[0])
