"""Records Keras 3's answers to the cases of `ops_cases.py` into `ops_k3.json` (per case: the
output dtypes and shapes, or the exception type; the signature of every op of `keras.ops` and its
namespaces) and `ops_k3.npz` (the outputs), for `test_ops_parity.py`. Run from the repository root:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/ops/parity/make_fixtures.py

The torch backend gives the arrays; the script reruns itself on JAX (`--jax`, a subprocess) and
marks the cases whose dtypes, shapes, outcome or values differ there (`jax`: JAX's answer;
its arrays as `j<i>_<k>`), since Keras's result then depends on its backend.
"""

import inspect
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
if "--jax" in sys.argv:
    os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
import numpy as np  # noqa: E402

import ops_cases as C  # noqa: E402

NAMESPACES = ["", "numpy", "nn", "linalg", "image"]


def op_of(name):
    mod = keras.ops
    for part in name.split(".")[:-1]:
        mod = getattr(mod, part)
    return getattr(mod, name.split(".")[-1])


def flat(out):
    if isinstance(out, (tuple, list)):
        return [np.asarray(keras.ops.convert_to_numpy(o)) for o in out], True
    return [np.asarray(keras.ops.convert_to_numpy(out))], False


def run_cases():
    answers, arrays = [], {}
    for i, (name, args, kwargs) in enumerate(C.cases()):
        try:
            outs, multi = flat(op_of(name)(*C.arrays(args, seed=i), **kwargs))
        except Exception as e:  # noqa: BLE001  (the exception type is the answer)
            answers.append({"name": name, "error": type(e).__name__})
            continue
        answers.append(
            {
                "name": name,
                "multi": multi,
                "dtypes": [str(o.dtype) for o in outs],
                "shapes": [list(o.shape) for o in outs],
            }
        )
        for k, o in enumerate(outs):
            arrays[f"y{i}_{k}"] = o
    return answers, arrays


def _close(a, b):
    if a.dtype.kind == "f":
        return np.allclose(
            a.astype("float64"), b.astype("float64"), rtol=1e-3, atol=1e-4, equal_nan=True
        )
    return np.array_equal(a, b)


def signatures():
    sigs = {}
    for ns in NAMESPACES:
        mod = getattr(keras.ops, ns) if ns else keras.ops
        for name in dir(mod):
            fn = getattr(mod, name)
            if name.startswith("_") or not callable(fn) or inspect.isclass(fn):
                continue
            params = inspect.signature(fn).parameters.values()
            sigs[f"{ns}.{name}".lstrip(".")] = [
                [p.name, p.kind.name, repr(p.default)] for p in params
            ]
    return sigs


def main():
    answers, arrays = run_cases()
    if "--jax" in sys.argv:
        np.savez(sys.argv[-1], **arrays)
        print(json.dumps(answers))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "jax.npz")
        cmd = [sys.executable, os.path.abspath(__file__), "--jax", path]
        jax = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        with np.load(path) as data:
            jax_arrays = dict(data)
    for i, (a, j) in enumerate(zip(answers, jax)):
        keys = ("dtypes", "shapes", "error")
        if any(a.get(k) != j.get(k) for k in keys):
            a["jax"] = {k: j[k] for k in keys if k in j}
        elif "dtypes" in a and not all(
            _close(arrays[f"y{i}_{k}"], jax_arrays[f"y{i}_{k}"]) for k in range(len(a["dtypes"]))
        ):
            a["jax"] = {"values": True}  # JAX's arrays are stored as j<i>_<k>
            for k in range(len(a["dtypes"])):
                arrays[f"j{i}_{k}"] = jax_arrays[f"y{i}_{k}"]
    doc = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "cases": answers,
        "signatures": signatures(),
    }
    with open(os.path.join(HERE, "ops_k3.json"), "w") as f:
        json.dump(doc, f, indent=0, sort_keys=True)
    np.savez_compressed(os.path.join(HERE, "ops_k3.npz"), **arrays)
    print(len(answers), "cases,", sum("jax" in a for a in answers), "backend-dependent")


if __name__ == "__main__":
    main()
