"""Lion, Lamb, Adafactor, Ftrl, Muon and LossScaleOptimizer against real Keras 3: five steps on
fixed float32 weights and gradients (a vector, wide and tall matrices, a 3-D kernel and an
"embedding" matrix), recorded by Keras 3.15.1 on JAX in `tests/data/keras/optimizers2_k3.npz`
(`make_optimizer_fixtures.py`). Weights must match within 1e-6; configs and the optimizer
variables' order, names (paths) and shapes (the layout `.keras` files store) exactly."""

import json
import pathlib

import numpy as np
import pytest

import minikeras as keras

FIXTURE = pathlib.Path(__file__).resolve().parents[1] / "data" / "keras" / "optimizers2_k3.npz"
DATA = np.load(FIXTURE)
CASES = json.loads(str(DATA["cases"]))
NAMES = json.loads(str(DATA["names"]))
STEPS = 5


def make(cls_name, kwargs):
    kwargs = dict(kwargs)
    if "inner_optimizer" in kwargs:
        inner_name, inner_kwargs = kwargs["inner_optimizer"]
        kwargs["inner_optimizer"] = getattr(keras.optimizers, inner_name)(**inner_kwargs)
    return getattr(keras.optimizers, cls_name)(**kwargs)


def replay(case, optimizer):
    """Applies the fixture's 5 steps and checks the weights after each one against Keras's."""
    cls_name = CASES[case][0]
    ws = [keras.Variable(DATA[f"init/{i}"], name=n) for i, n in enumerate(NAMES)]
    for t in range(1, STEPS + 1):
        grads = [DATA[f"grad/{t - 1}/{i}"] for i in range(len(NAMES))]
        if cls_name == "LossScaleOptimizer":  # the gradients of the scaled loss, as Keras's
            scale = float(optimizer.scale_loss(1.0))
            assert scale == float(DATA[f"{case}/scale{t}"])
            grads = [g * np.float32(scale) for g in grads]
            if t == 3:
                grads[1] = grads[1].copy()
                grads[1][0, 0] = np.inf
        optimizer.apply(grads, ws)
        for i, w in enumerate(ws):
            np.testing.assert_allclose(
                w.numpy(),
                DATA[f"{case}/step{t}/{i}"],
                rtol=0,
                atol=1e-6,
                err_msg=f"{case}: weight {NAMES[i]} after step {t}",
            )
    return ws


@pytest.mark.parametrize("case", sorted(CASES))
def test_steps_match_keras(case):
    cls_name, kwargs = CASES[case]
    optimizer = make(cls_name, kwargs)
    replay(case, optimizer)
    # optimizer variables: Keras's order, paths, shapes and final values
    expected = json.loads(str(DATA[f"{case}/variables"]))
    keras_name = expected[0][0].split("/")[0]
    got = [
        [v.path.replace(optimizer.name, keras_name, 1), list(v.shape)] for v in optimizer.variables
    ]
    if cls_name == "LossScaleOptimizer":  # the inner optimizer's name is numbered on its own
        inner = expected[4][0].split("/")[0]
        got = [[p.replace(optimizer.inner_optimizer.name, inner, 1), s] for p, s in got]
    assert got == expected
    for j, v in enumerate(optimizer.variables):
        np.testing.assert_allclose(
            v.numpy(),
            DATA[f"{case}/var{j}"],
            rtol=1e-6,
            atol=1e-6,
            err_msg=f"{case}: optimizer variable {expected[j][0]}",
        )


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_matches_keras(case):
    cls_name, kwargs = CASES[case]
    optimizer = make(cls_name, kwargs)
    config = json.loads(json.dumps(optimizer.get_config()))
    expected = json.loads(str(DATA[f"{case}/config"]))
    config.pop("name"), expected.pop("name")
    if cls_name == "LossScaleOptimizer":
        config["inner_optimizer"]["config"].pop("name")
        expected["inner_optimizer"]["config"].pop("name")
    assert config == expected
    # and it round-trips through keras.optimizers.get / deserialize
    clone = keras.optimizers.get(keras.optimizers.serialize(optimizer))
    assert type(clone) is type(optimizer)
    assert json.loads(json.dumps(clone.get_config())) == json.loads(
        json.dumps(optimizer.get_config())
    )


@pytest.mark.parametrize(
    "name,cls",
    [
        ("lion", "Lion"),
        ("Lamb", "Lamb"),
        ("adafactor", "Adafactor"),
        ("ftrl", "Ftrl"),
        ("muon", "Muon"),
        ("LossScaleOptimizer", None),
    ],
)
def test_get_by_name(name, cls):
    """Keras 3 registers these names in `keras.optimizers.ALL_OBJECTS_DICT` (Lamb included here
    for symmetry); a LossScaleOptimizer needs an inner optimizer, so only its class resolves."""
    if cls is None:
        assert keras.optimizers.ALL_OBJECTS_DICT["lossscaleoptimizer"].__name__ == name
        return
    assert type(keras.optimizers.get(name)).__name__ == cls


@pytest.mark.parametrize("name", ["lion", "lamb", "adafactor", "ftrl", "muon"])
def test_keras_file_round_trips_optimizer_state(name, tmp_path):
    """`.keras` files store `optimizer.variables` by index (Keras's layout): a reloaded model
    gets the same class, config and slot values (Adafactor's int32 placeholders included)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 3)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    model.compile(optimizer=name, loss="mse")
    model.fit(x, x[:, :1], batch_size=8, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    saved, restored = model.optimizer.variables, loaded.optimizer.variables
    assert type(loaded.optimizer) is type(model.optimizer)
    assert [v.path for v in restored] == [v.path for v in saved]
    for a, b in zip(restored, saved):
        assert a.numpy().dtype == b.numpy().dtype
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("case", ["adafactor", "muon", "lso"])
def test_loads_optimizer_state_saved_by_keras(case):
    """A `.keras` file Keras 3 saved after 2 `fit` steps with Adafactor, Muon or
    LossScaleOptimizer(Adam) loads with every optimizer variable in place (same count, paths
    and values), and training continues from it."""
    import warnings

    path = FIXTURE.parent / f"optimizers2_{case}_k3.keras"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a layout mismatch warns "Skipping variable loading"
        model = keras.saving.load_model(path)
    expected = json.loads(str(DATA[f"model_{case}/variables"]))
    variables = model.optimizer.variables
    # Keras names Adafactor's placeholders without the optimizer prefix when `fit` builds it
    # (outside the optimizer's name scope) and with it when `apply` does; compare the last part
    assert [v.path.split("/")[-1] for v in variables] == [p.split("/")[-1] for p in expected]
    for j, v in enumerate(variables):
        np.testing.assert_array_equal(v.numpy(), DATA[f"model_{case}/var{j}"])
    assert int(model.optimizer.iterations) == 2
    x, y = DATA[f"model_{case}/x"], DATA[f"model_{case}/y"]
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert int(model.optimizer.iterations) == 4
