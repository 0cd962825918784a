"""minikeras's losses, metrics and optimizers against Keras 3.15.1 (torch backend), case by case
from `training_cases.py`: configs (defaults and names as Keras writes them) and their round trip,
the `reduction` default, loss values with and without `sample_weight`, metric results after
weighted updates and the metric variables, and optimizer configs, variables and the weights
after each of three steps. Keras's answers are in `training_k3.json` / `training_k3.npz`
(`make_fixtures.py`)."""

import json
import pathlib

import numpy as np
import pytest
import training_cases as T

import minikeras as keras

HERE = pathlib.Path(__file__).resolve().parent
DOC = json.loads((HERE / "training_k3.json").read_text())
DATA = np.load(HERE / "training_k3.npz")
LOSSES = {n: rest for n, *rest in T.LOSS_CASES}
METRICS = {n: rest for n, *rest in T.METRIC_CASES}
OPTIMIZERS = {n: rest for n, *rest in T.OPTIMIZER_CASES}


def jsonable(obj):
    return json.loads(json.dumps(obj, default=lambda o: f"<{type(o).__name__}>"))


def close(got, want, what):
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-6, err_msg=what)


@pytest.mark.parametrize("name", sorted(DOC["losses"]))
def test_loss(name):
    cls, kwargs, family = LOSSES[name]
    want = DOC["losses"][name]
    loss = getattr(keras.losses, cls)(**kwargs)
    assert jsonable(loss.get_config()) == want["config"]
    assert jsonable(type(loss).from_config(loss.get_config()).get_config()) == want["config"]
    assert loss.reduction == want["reduction"]
    (yt, yp, sw), (yt1, yp1, _) = T.data(name, family)
    close(loss(yt, yp, sample_weight=sw), DATA[f"{name}/sw"], "weighted")
    close(loss(yt, yp), DATA[f"{name}/plain"], "unweighted")
    close(loss(yt1, yp1, sample_weight=sw), DATA[f"{name}/sw1"], "second pair")


def update(m, yt, yp, sw):
    if yp is None:
        m.update_state(yt, sample_weight=sw)
    else:
        m.update_state(yt, yp, sample_weight=sw)


@pytest.mark.parametrize("name", sorted(DOC["metrics"]))
@pytest.mark.filterwarnings("ignore:.*sample_weight is float:UserWarning")  # IoU metrics (int32)
def test_metric(name):
    cls, kwargs, family = METRICS[name]
    want = DOC["metrics"][name]
    keras.backend.clear_session()
    metric = getattr(keras.metrics, cls)(**kwargs)
    assert metric.name == want["name"]
    assert jsonable(metric.get_config()) == want["config"]
    assert jsonable(type(metric).from_config(metric.get_config()).get_config()) == want["config"]
    got = [[v.path, list(v.shape), str(v.dtype)] for v in metric.variables]
    assert got == want["variables"]
    pairs = T.data(name, family)
    for i, (yt, yp, sw) in enumerate(pairs):
        update(metric, yt, yp, sw)
        close(metric.result(), DATA[f"{name}/result{i + 1}"], f"after update {i + 1}")
    plain = getattr(keras.metrics, cls)(**kwargs)
    update(plain, pairs[0][0], pairs[0][1], None)
    close(plain.result(), DATA[f"{name}/plain"], "unweighted")


@pytest.mark.parametrize("name", sorted(DOC["optimizers"]))
def test_optimizer(name):
    cls, kwargs = OPTIMIZERS[name]
    want = DOC["optimizers"][name]
    keras.backend.clear_session()
    opt = T.make_optimizer(keras, cls, kwargs)
    assert jsonable(opt.get_config()) == want["config"]
    assert jsonable(type(opt).from_config(opt.get_config()).get_config()) == want["config"]
    init, grads = T.opt_data(name)
    ws = [keras.Variable(w, name=f"w{i}") for i, w in enumerate(init)]
    for t, g in enumerate(grads, start=1):
        opt.apply(g, ws)
        for i, w in enumerate(ws):
            close(w.numpy(), DATA[f"{name}/step{t}/{i}"], f"weight {i} after step {t}")
    assert [[v.path, list(v.shape)] for v in opt.variables] == want["variables"]
    assert int(np.asarray(opt.iterations)) == want["iterations"]


ERRORS = {n: rest for n, *rest in T.ERROR_CASES}


@pytest.mark.parametrize("name", sorted(DOC["errors"]))
def test_bad_arguments_raise_as_keras(name):
    """Keras's exception type (or a subclass of it); no exception where Keras takes the
    arguments."""
    kind, cls, kwargs = ERRORS[name]
    want = DOC["errors"][name]["type"]
    make = getattr(getattr(keras, kind), cls)
    if name in T.STRICTER:
        assert want is None
        with pytest.raises(ValueError):
            make(**kwargs)
        return
    if want is None:
        make(**kwargs)
        return
    with pytest.raises(Exception) as info:
        make(**kwargs)
    kinds = [k.__name__ for k in type(info.value).__mro__]
    assert want in kinds, f"Keras raises {want}; minikeras raised {kinds[0]}: {info.value}"
