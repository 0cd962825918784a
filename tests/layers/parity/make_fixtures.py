"""Records Keras 3's answers for the layer cases of `parity_cases.py` into `layers_k3.json` (configs,
names, weight layout, output shapes, masks, exception types) and `layers_k3.npz` (inputs,
weights, outputs), for `test_layers_parity.py`. Run from the repository root:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/layers/parity/make_fixtures.py

The cases of `parity_cases.JAX_CASES` take their arrays from Keras on JAX (a subprocess), where
Keras's torch backend computes differently from its JAX and TensorFlow ones.
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import parity_cases as C  # noqa: E402


def jsonable(obj):
    return json.loads(json.dumps(obj, default=lambda o: f"<{type(o).__name__}>"))


def np_of(t):
    return np.asarray(keras.ops.convert_to_numpy(t))


def shape_of(s):
    """compute_output_shape's answer as JSON: a list of dims, or a list/dict of those."""
    if isinstance(s, dict):
        return {k: shape_of(v) for k, v in s.items()}
    if isinstance(s, (list, tuple)) and s and isinstance(s[0], (list, tuple, dict)):
        return [shape_of(x) for x in s]
    return list(s)


def unary(xs):
    return xs[0] if len(xs) == 1 else list(xs)


def record(name, cls, kwargs, specs, arrays):
    out = {}
    keras.backend.clear_session()
    np.random.seed(0)
    layer = C.build(keras.layers, cls, kwargs)
    cfg = jsonable(layer.get_config())
    out["name"] = layer.name
    out["config"] = cfg
    out["roundtrip"] = jsonable(type(layer).from_config(layer.get_config()).get_config()) == cfg
    out["supports_masking"] = bool(layer.supports_masking)
    shapes = [(None,) + tuple(a.shape[1:]) for a in arrays]
    try:
        if cls in C.POSITIONAL:
            out["output_shape"] = shape_of(layer.compute_output_shape(*shapes))
        else:
            out["output_shape"] = shape_of(layer.compute_output_shape(unary(shapes)))
    except Exception as e:  # noqa: BLE001
        out["output_shape"] = f"!{type(e).__name__}"
    # the same with every axis but the last unknown (variable steps and image sizes)
    loose = [(None,) * (a.ndim - 1) + a.shape[-1:] for a in arrays]
    try:
        if cls in C.POSITIONAL:
            out["output_shape_loose"] = shape_of(layer.compute_output_shape(*loose))
        else:
            out["output_shape_loose"] = shape_of(layer.compute_output_shape(unary(loose)))
    except Exception as e:  # noqa: BLE001
        out["output_shape_loose"] = f"!{type(e).__name__}"
    x = unary([keras.ops.convert_to_tensor(a) for a in arrays])
    args = x if cls in C.POSITIONAL else [x]
    y = layer(*args, training=False)
    ys = keras.tree.flatten(y)
    out["n_outputs"] = len(ys)
    out["output_dtypes"] = [keras.backend.standardize_dtype(t.dtype) for t in ys]
    out["attrs"] = {
        "dtype": layer.dtype,
        "compute_dtype": layer.compute_dtype,
        "variable_dtype": layer.variable_dtype,
        "count_params": int(layer.count_params()),
        "n_trainable": len(layer.trainable_weights),
        "n_non_trainable": len(layer.non_trainable_weights),
        "built": bool(layer.built),
    }
    out["weights"] = [[w.name, w.path, list(w.shape), bool(w.trainable)] for w in layer.weights]
    arrs = {f"{name}/w{i}": np_of(w.value) for i, w in enumerate(layer.weights)}
    for i, a in enumerate(arrays):
        arrs[f"{name}/x{i}"] = a
    for i, t in enumerate(ys):
        arrs[f"{name}/y{i}"] = np_of(t)
    if not name.endswith("~"):
        yt = keras.tree.flatten(layer(*args, training=True))
        for i, t in enumerate(yt):
            arrs[f"{name}/yt{i}"] = np_of(t)
        for i, w in enumerate(layer.weights):
            arrs[f"{name}/wt{i}"] = np_of(w.value)
    if name in C.MASK_CASES:
        masks = C.make_masks(name, arrays)
        for i, m in enumerate(masks):
            arrs[f"{name}/m{i}"] = m
        own = cls in ("Masking", "Embedding")
        mask_in = None if own else unary([keras.ops.convert_to_tensor(m) for m in masks])
        out["mask_from_input"] = own
        # the masks a call attaches to its outputs when the inputs carry masks
        from keras.src.backend import get_keras_mask, set_keras_mask

        carried = [keras.ops.convert_to_tensor(a) for a in arrays]
        if not own:
            for t, m in zip(carried, masks):
                set_keras_mask(t, keras.ops.convert_to_tensor(m))
        outs = keras.tree.flatten(layer(*(carried if cls in C.POSITIONAL else [unary(carried)])))
        attached = [get_keras_mask(o) for o in outs]
        out["attached_masks"] = [m is not None for m in attached]
        for i, m in enumerate(attached):
            if m is not None:
                arrs[f"{name}/am{i}"] = np_of(m)
        cm = layer.compute_mask(x, mask_in)
        cms = keras.tree.flatten(cm) if cm is not None else []
        out["n_masks"] = len(cms) if cm is not None else None
        for i, m in enumerate(cms):
            arrs[f"{name}/cm{i}"] = np_of(m) if m is not None else np.array("none")
    return out, arrs


def record_error(cls, kwargs, specs, name):
    keras.backend.clear_session()
    try:
        layer = C.build(keras.layers, cls, kwargs)
    except Exception as e:  # noqa: BLE001
        return {"stage": "init", "type": type(e).__name__, "message": str(e)[:300]}
    if specs is None:
        return {"stage": "none"}
    xs = [keras.ops.convert_to_tensor(a) for a in C.make_inputs(name, specs)]
    try:
        layer(unary(xs))
    except Exception as e:  # noqa: BLE001
        return {"stage": "call", "type": type(e).__name__, "message": str(e)[:300]}
    return {"stage": "none"}


def on_jax(name):
    """The arrays of layer case `name` as Keras on JAX records them."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "case.npz")
        env = {**os.environ, "KERAS_BACKEND": "jax", "PARITY_ONLY": name, "PARITY_OUT": out}
        subprocess.run([sys.executable, os.path.abspath(__file__)], env=env, check=True)
        with np.load(out) as f:
            return {k: f[k] for k in f.files}


def main():
    if os.environ.get("PARITY_ONLY"):  # the JAX subprocess of `on_jax`
        name, cls, kwargs, specs = [c for c in C.LAYER_CASES if c[0] == os.environ["PARITY_ONLY"]][
            0
        ]
        np.savez(
            os.environ["PARITY_OUT"],
            **record(name, cls, kwargs, specs, C.make_inputs(name, specs))[1],
        )
        return
    results, arrays = {}, {}
    for name, cls, kwargs, specs in C.LAYER_CASES:
        inputs = C.make_inputs(name, specs)
        try:
            res, arrs = record(name, cls, kwargs, specs, inputs)
        except Exception as e:  # noqa: BLE001
            print("FAILED in Keras:", name, type(e).__name__, e)
            continue
        if name in C.JAX_CASES:
            arrs = on_jax(name)
            res["backend"] = "jax"
        results[name] = res
        arrays.update(arrs)
    errors = {n: record_error(c, k, s, n) for n, c, k, s in C.ERROR_CASES}
    doc = {"keras_version": keras.__version__, "layers": results, "errors": errors}
    with open(os.path.join(HERE, "layers_k3.json"), "w") as f:
        json.dump(doc, f, indent=0, sort_keys=True)
    np.savez_compressed(os.path.join(HERE, "layers_k3.npz"), **arrays)
    print(len(results), "layer cases,", len(errors), "error cases")


if __name__ == "__main__":
    main()
