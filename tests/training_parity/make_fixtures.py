"""Records Keras 3's answers for the loss, metric and optimizer cases of `training_cases.py` into
`training_k3.json` (configs, metric variables, optimizer variables) and `training_k3.npz` (loss
values, metric results, weights after each optimizer step). Run from the repository root:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/training_parity/make_fixtures.py

npz keys: `<case>/<k>` per loss case (k: "sw" weighted value, "plain" unweighted, "sw1" with the
second data pair); `<case>/result1` and `<case>/result2` per metric case (after one and two
weighted updates) and `<case>/plain` (one unweighted update of a fresh metric); `<case>/step<t>/<i>`
the optimizer's weights after step t.

The optimizer cases of `JAX_CASES` record their steps on Keras's JAX backend (a subprocess):
its torch backend differs there (ScheduleFreeAdamW reads `momentum.value` before an in-place
`assign_sub` on torch, so its "old" momentum is the new one from step 2 on).
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import training_cases as T  # noqa: E402


def jsonable(obj):
    return json.loads(json.dumps(obj, default=lambda o: f"<{type(o).__name__}>"))


def np_of(t):
    return np.asarray(keras.ops.convert_to_numpy(t))


def record_loss(name, cls, kwargs, family):
    loss = getattr(keras.losses, cls)(**kwargs)
    (yt, yp, sw), (yt1, yp1, _) = T.data(name, family)
    res = {"config": jsonable(loss.get_config()), "reduction": loss.reduction}
    arrs = {
        f"{name}/sw": np_of(loss(yt, yp, sample_weight=sw)),
        f"{name}/plain": np_of(loss(yt, yp)),
        f"{name}/sw1": np_of(loss(yt1, yp1, sample_weight=sw)),
    }
    return res, arrs


def record_metric(name, cls, kwargs, family):
    def update(m, yt, yp, sw):
        if yp is None:
            m.update_state(yt, sample_weight=sw)
        else:
            m.update_state(yt, yp, sample_weight=sw)

    metric = getattr(keras.metrics, cls)(**kwargs)
    pairs = T.data(name, family)
    res = {"config": jsonable(metric.get_config()), "name": metric.name}
    res["variables"] = [[v.path, list(v.shape), str(v.dtype)] for v in metric.variables]
    arrs = {}
    for i, (yt, yp, sw) in enumerate(pairs):
        update(metric, yt, yp, sw)
        arrs[f"{name}/result{i + 1}"] = np_of(metric.result())
    plain = getattr(keras.metrics, cls)(**kwargs)
    update(plain, pairs[0][0], pairs[0][1], None)
    arrs[f"{name}/plain"] = np_of(plain.result())
    return res, arrs


def record_optimizer(name, cls, kwargs):
    opt = T.make_optimizer(keras, cls, kwargs)
    init, grads = T.opt_data(name)
    ws = [keras.Variable(w, name=f"w{i}") for i, w in enumerate(init)]
    res = {"config": jsonable(opt.get_config())}
    arrs = {}
    for t, g in enumerate(grads, start=1):
        opt.apply([keras.ops.convert_to_tensor(x) for x in g], ws)
        for i, w in enumerate(ws):
            arrs[f"{name}/step{t}/{i}"] = np_of(w.value)
    res["variables"] = [[v.path, list(v.shape)] for v in opt.variables]
    res["iterations"] = int(np_of(opt.iterations))
    return res, arrs


JAX_CASES = {"sfadamw", "sfadamw_w"}


def steps_on_jax(name):
    """The `<name>/step<t>/<i>` arrays of an optimizer case, recorded by Keras on JAX."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "steps.npz")
        env = {**os.environ, "KERAS_BACKEND": "jax", "PARITY_ONLY": name, "PARITY_OUT": out}
        subprocess.run([sys.executable, os.path.abspath(__file__)], env=env, check=True)
        with np.load(out) as f:
            return {k: f[k] for k in f.files}


def main():
    if os.environ.get("PARITY_ONLY"):  # the JAX subprocess of `steps_on_jax`
        case = [c for c in T.OPTIMIZER_CASES if c[0] == os.environ["PARITY_ONLY"]][0]
        np.savez(os.environ["PARITY_OUT"], **record_optimizer(*case)[1])
        return
    doc = {"keras_version": keras.__version__, "losses": {}, "metrics": {}, "optimizers": {}}
    arrays = {}
    jobs = [("losses", record_loss, T.LOSS_CASES), ("metrics", record_metric, T.METRIC_CASES)]
    jobs.append(("optimizers", record_optimizer, T.OPTIMIZER_CASES))
    for kind, fn, table in jobs:
        for name, *rest in table:
            keras.backend.clear_session()  # default names without counters
            try:
                res, arrs = fn(name, *rest)
            except Exception as e:  # noqa: BLE001
                print("FAILED in Keras:", name, type(e).__name__, e)
                continue
            if kind == "optimizers" and name in JAX_CASES:
                arrs = steps_on_jax(name)
                res["steps_backend"] = "jax"
            doc[kind][name] = res
            arrays.update(arrs)
    doc["errors"] = {}
    for name, kind, cls, kwargs in T.ERROR_CASES:
        try:
            getattr(getattr(keras, kind), cls)(**kwargs)
            doc["errors"][name] = {"type": None}
        except Exception as e:  # noqa: BLE001
            doc["errors"][name] = {"type": type(e).__name__, "message": str(e)[:300]}
    with open(os.path.join(HERE, "training_k3.json"), "w") as f:
        json.dump(doc, f, indent=0, sort_keys=True)
    np.savez_compressed(os.path.join(HERE, "training_k3.npz"), **arrays)
    print({k: len(doc[k]) for k in ("losses", "metrics", "optimizers")})


if __name__ == "__main__":
    main()
