"""ScheduleFreeAdamW (minikeras/optimizers/schedule_free_adamw.py) against Keras 3.15.1 on jax
(its numpy backend agrees; torch aliases the old momentum and differs from step 2):
five steps on fixed float32 weights and gradients with the defaults, with warmup and weight
decay, and with other betas (tests/data/keras/api16a_misc_k3.npz, make_api16a_misc_fixtures.py);
slots (momentum = z, velocity), their paths, config, and training through fit and .keras."""

import os

import numpy as np
import pytest

import minikeras as keras

DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "keras", "api16a_misc_k3.npz"))
CONFIGS = {
    "default": {},
    "warmup_wd": {"learning_rate": 0.05, "warmup_steps": 3, "weight_decay": 0.1},
    "betas": {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
}


@pytest.mark.parametrize("key", sorted(CONFIGS))
def test_steps_match_keras3(key):
    w = keras.Variable(DATA["sfa_w0"])
    opt = keras.optimizers.ScheduleFreeAdamW(**CONFIGS[key])
    for g in DATA["sfa_grads"]:
        opt.apply([g], [w])
    np.testing.assert_allclose(w.numpy(), DATA[f"sfa_{key}"], rtol=1e-5, atol=1e-6)
    slots = np.stack([v.numpy() for v in opt.variables[2:]])
    np.testing.assert_allclose(slots, DATA[f"sfa_{key}_slots"], rtol=1e-5, atol=1e-6)


def test_variables_and_config_as_keras():
    """Keras 3.15.1 (observed): iteration, learning_rate, then <var>_momentum, <var>_velocity;
    the default name is schedule_free_adam_w; config adds beta_1, beta_2, epsilon, warmup_steps."""
    w = keras.Variable(np.ones(2, "float32"), name="w")
    opt = keras.optimizers.ScheduleFreeAdamW()
    opt.build([w])
    assert [v.path for v in opt.variables] == [
        "schedule_free_adam_w/iteration",
        "schedule_free_adam_w/learning_rate",
        "schedule_free_adam_w/w_momentum",
        "schedule_free_adam_w/w_velocity",
    ]
    config = opt.get_config()
    assert config["warmup_steps"] == 0 and config["beta_2"] == 0.999 and config["epsilon"] == 1e-8
    again = keras.optimizers.deserialize(keras.optimizers.serialize(opt))
    assert isinstance(again, keras.optimizers.ScheduleFreeAdamW)


def test_fit_and_keras_file_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 3)).astype("float32"), rng.normal(size=(32, 1)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.ScheduleFreeAdamW(0.05), loss="mse")
    first = model.fit(x, y, epochs=3, verbose=0).history["loss"]
    assert first[-1] < first[0]
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.optimizer, keras.optimizers.ScheduleFreeAdamW)
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
