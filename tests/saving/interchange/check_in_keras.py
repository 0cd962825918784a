"""Loads the files minikeras wrote (data/mk, from make_minikeras_files.py) into real Keras and
records what Keras predicts on them: `data/mk/<runner>_<name>.npz` holds `<fmt>__<i>` outputs,
`data/mk/keras_results.json` says per runner, model and format "ok" or Keras's error, and the
largest difference from minikeras's own predictions. Run by hand:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/saving/interchange/check_in_keras.py
    KERAS_BACKEND=tensorflow /work/tfenv/bin/python tests/saving/interchange/check_in_keras.py
    TF_USE_LEGACY_KERAS=1 /work/tfenv/bin/python tests/saving/interchange/check_in_keras.py

Runner `k3` is Keras 3 (torch; TensorFlow for the string models, as in make_fixtures.py), `k2`
is tf.keras 2, which is given the `.h5`, Keras 2 `_weights.h5` and `for_tf_keras=True` `_tf.h5`
files only.
"""

import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import catalogue  # noqa: E402
import io_utils  # noqa: E402
from make_fixtures import LEGACY, from_json, keras, predict, wanted  # noqa: E402

SUFFIX = {
    "keras": ".keras",
    "h5": ".h5",
    "weights.h5": ".weights.h5",
    "weights_k2": "_weights.h5",
    "h5_tf": "_tf.h5",
    "json": ".json",
}


def load(name, fmt, path):
    if fmt.startswith("weights"):
        model, _ = catalogue.BUILDERS[name](keras)
        model.load_weights(path)
        return model
    if fmt == "json":  # with the weights file beside it (Keras 3 or Keras 2 layout)
        return from_json(path, name)
    return keras.models.load_model(path)


def main():
    catalogue.register_twice(keras)  # as a user registers their Lambda's function
    runner = "k2" if LEGACY else "k3"
    folder = io_utils.folder("mk")
    results_path = os.path.join(folder, "keras_results.json")
    results = io_utils.read_json(results_path)
    manifest = io_utils.read_json(os.path.join(folder, "manifest.json"))
    formats = ("h5", "weights_k2", "h5_tf")  # tf.keras 2 reads no Keras 3 JSON, Keras's own neither
    if not LEGACY:
        formats = ("keras", "h5", "weights.h5", "weights_k2", "json")
    only = sys.argv[1:]
    for name in sorted(manifest):
        if not wanted(name) or (only and name not in only):
            continue
        npz = os.path.join(folder, f"{name}.npz")
        inputs, mine = io_utils.load_arrays(npz, "x_"), io_utils.load_arrays(npz)
        entry = results.setdefault(runner, {})[name] = {"keras_version": keras.__version__}
        arrays = {}
        for fmt in formats:
            if fmt not in manifest[name]["written"]:
                continue
            try:
                keras.utils.set_random_seed(0)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = load(name, fmt, os.path.join(folder, name + SUFFIX[fmt]))
                    got = io_utils.flat_outputs(predict(model, name, inputs))
            except Exception as e:  # noqa: BLE001 - recorded
                entry[fmt] = f"{type(e).__name__}: {e}"[:500]
                continue
            diffs = [
                float(np.max(np.abs(g.astype("float64") - m))) if g.shape == m.shape else None
                for g, m in zip(got, mine)
            ]
            # float32 within 1e-5, relative to the size of the values as in the tests
            ok = len(got) == len(mine) and all(
                g.shape == m.shape and np.allclose(g, m, rtol=1e-5, atol=1e-5)
                for g, m in zip(got, mine)
            )
            entry[fmt] = "ok" if ok else f"predicts differently: max differences {diffs}"
            arrays.update({f"{fmt}__{i}": g for i, g in enumerate(got)})
        np.savez_compressed(os.path.join(folder, f"{runner}_{name}.npz"), **arrays)
        print(name, {k: v[:150] for k, v in entry.items()})
    io_utils.write_json(results_path, results)


if __name__ == "__main__":
    main()
