"""Records Keras 3's answers to the training-API scenarios of `api_scenarios.py` and
`callback_scenarios.py` into `api_k3.json` (one entry per scenario: its returned data, or the
exception Keras raised). Run from the repository root:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/models/parity/make_fixtures.py [names...]

With names, only those scenarios are re-recorded (the others are kept). The scenarios of
`JAX_SCENARIOS` are recorded on Keras's JAX backend (a subprocess).
"""

import json
import os
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import api_scenarios  # noqa: E402
import callback_scenarios  # noqa: E402
import extra_scenarios  # noqa: E402
import more_scenarios  # noqa: E402

OUT = os.path.join(HERE, "api_k3.json")


def scenarios():
    for mod in (api_scenarios, callback_scenarios, extra_scenarios, more_scenarios):
        for name in dir(mod):
            if name.startswith("s_"):
                yield name[2:], getattr(mod, name)


# scenarios Keras's torch backend cannot run: recorded on its JAX backend in a subprocess
JAX_SCENARIOS = {"steps_per_execution_jax"}


def run_on_jax(name):
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "case.json")
        env = {**os.environ, "KERAS_BACKEND": "jax", "PARITY_ONLY": name, "PARITY_OUT": out}
        subprocess.run([sys.executable, os.path.abspath(__file__)], env=env, check=True)
        with open(out) as f:
            return json.load(f)


def run(keras, fn):
    keras.utils.clear_session()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            return {"ok": fn(keras, tmp)}
        except Exception as e:  # noqa: BLE001
            return {"raised": type(e).__name__, "message": str(e)[:300]}


def main(names):
    if os.environ.get("PARITY_ONLY"):  # the JAX subprocess of `run_on_jax`
        fn = dict(scenarios())[os.environ["PARITY_ONLY"]]
        with open(os.environ["PARITY_OUT"], "w") as f:
            json.dump(run(keras, fn), f)
        return
    doc = {"keras_version": keras.__version__, "cases": {}}
    if names and os.path.exists(OUT):
        with open(OUT) as f:
            doc = json.load(f)
    for name, fn in scenarios():
        if names and name not in names:
            continue
        result = run_on_jax(name) if name in JAX_SCENARIOS else run(keras, fn)
        doc["cases"][name] = json.loads(json.dumps(result))
        print(
            name, "raised " + doc["cases"][name]["raised"] if "raised" in doc["cases"][name] else ""
        )
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=0, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
