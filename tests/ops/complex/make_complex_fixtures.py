"""Records Keras 3's answers to the cases of `complex_cases.py` into `complex_k3.json` (per case:
the output dtypes and shapes, or the exception type) and `complex_k3.npz` (the outputs, and the
input gradients of the gradient cases), for `test_complex_parity.py`. Run from the repository root:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/ops/complex/make_complex_fixtures.py

The torch backend gives the arrays and the gradients (torch's autograd through the Keras op); the
script reruns itself on JAX (`--jax`, a subprocess) and keeps JAX's answer beside torch's
(`jax`, arrays `j<i>_<k>`) where they differ.
"""

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

import complex_cases as C  # noqa: E402


def flat(out):
    if isinstance(out, (tuple, list)):
        return [np.asarray(keras.ops.convert_to_numpy(o)) for o in out], True
    return [np.asarray(keras.ops.convert_to_numpy(out))], False


def run_cases():
    x = C.inputs()
    answers, arrays = [], {}
    for i, (name, keys) in enumerate(C.cases()):
        shown = [k if isinstance(k, str) else repr(k) for k in keys]  # literals, for the JSON
        try:
            outs, multi = flat(getattr(keras.ops, name)(*[C.arg(x, k) for k in keys]))
        except Exception as e:  # noqa: BLE001  (the exception type is the answer)
            answers.append({"name": name, "keys": shown, "error": type(e).__name__})
            continue
        answers.append(
            {
                "name": name,
                "keys": shown,
                "multi": multi,
                "dtypes": [str(o.dtype) for o in outs],
                "shapes": [list(o.shape) for o in outs],
            }
        )
        for k, o in enumerate(outs):
            arrays[f"y{i}_{k}"] = o
    return answers, arrays


def torch_gradients():
    """`g<i>_<k>`: torch's gradient of each input of gradient case i (torch's convention for a
    complex input: dL/dRe + i dL/dIm)."""
    import torch

    x = C.inputs()
    grads = {}
    for i, (name, keys) in enumerate(C.GRADIENTS):
        ts = [torch.tensor(x[k], requires_grad=True) for k in keys]
        out = getattr(keras.ops, name)(*ts)
        view = torch.view_as_real(out) if out.is_complex() else out
        w = torch.tensor(C.weights(tuple(view.shape)), dtype=view.dtype)
        for k, g in enumerate(torch.autograd.grad((view * w).sum(), ts)):
            grads[f"g{i}_{k}"] = g.resolve_conj().numpy()
    return grads


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
        same = all(a.get(k) == j.get(k) for k in ("dtypes", "shapes", "error"))
        if same and "dtypes" in a:
            same = all(
                np.allclose(arrays[f"y{i}_{k}"], jax_arrays[f"y{i}_{k}"], rtol=1e-4, atol=1e-5)
                for k in range(len(a["dtypes"]))
            )
        if not same:
            a["jax"] = {k: j[k] for k in ("dtypes", "shapes", "error") if k in j}
            for k in range(len(j.get("dtypes", []))):
                arrays[f"j{i}_{k}"] = jax_arrays[f"y{i}_{k}"]
    arrays.update(torch_gradients())
    doc = {"keras_version": keras.__version__, "backend": "torch", "cases": answers}
    with open(os.path.join(HERE, "complex_k3.json"), "w") as f:
        json.dump(doc, f, indent=0, sort_keys=True)
    np.savez_compressed(os.path.join(HERE, "complex_k3.npz"), **arrays)
    print(len(answers), "cases,", sum("jax" in a for a in answers), "backend-dependent")


if __name__ == "__main__":
    main()
