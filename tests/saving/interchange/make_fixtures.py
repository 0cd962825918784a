"""Writes the Keras-made interchange fixtures: every catalogue model (catalogue.py) built by real
Keras, its weights randomised, saved as `.keras`, legacy `.h5`, `.weights.h5` and `to_json()` (`.json`), with its
predictions on the catalogue's inputs (`<name>.npz`) and a `manifest.json` of what was written.

    KERAS_BACKEND=torch /work/anchors/bin/python tests/saving/interchange/make_fixtures.py
    KERAS_BACKEND=tensorflow /work/tfenv/bin/python tests/saving/interchange/make_fixtures.py
    TF_USE_LEGACY_KERAS=1 /work/tfenv/bin/python tests/saving/interchange/make_fixtures.py

The torch run writes data/k3 for the models that need no TensorFlow; the TensorFlow run writes
data/k3 for the string/lookup models (Keras runs those layers with TensorFlow ops); the
tf.keras 2 run writes data/k2 (`.h5` and Keras 2 weights-only `_weights.h5`). A model a Keras
cannot build or save is recorded in the manifest with the error, and a file it wrote but cannot
load and predict with again under `keras_cannot_reload`.
"""

import os
import sys
import traceback

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import catalogue  # noqa: E402
import io_utils  # noqa: E402

LEGACY = os.environ.get("TF_USE_LEGACY_KERAS") == "1"
if LEGACY:
    import tf_keras as keras
else:
    import keras


def wanted(name):
    flags = catalogue.FLAGS.get(name, set())
    if LEGACY:
        return "k3" not in flags
    if keras.backend.backend() == "tensorflow":
        return "tf" in flags
    return "tf" not in flags


def predict(model, name, inputs):
    if any(np.asarray(a).dtype.kind == "U" for a in inputs):
        # Keras's predict refuses numpy string arrays; a direct call takes them as tf strings
        import tensorflow as tf

        return model(io_utils.feed(name, [tf.constant(a) for a in inputs]), training=False)
    return model.predict(io_utils.feed(name, inputs), verbose=0)


def from_json(path, name):
    """`model_from_json` of `path`, then the weights of the same model's weights file."""
    with open(path) as f:
        model = keras.models.model_from_json(f.read())
    folder = os.path.dirname(path)
    model.load_weights(os.path.join(folder, name + ("_weights.h5" if LEGACY else ".weights.h5")))
    return model


def reload_problem(name, fmt, path, inputs, expected):
    """None when Keras loads its own file and predicts what the model predicted, else why not."""
    try:
        if fmt.startswith("weights"):
            model, _ = catalogue.BUILDERS[name](keras)
            model.load_weights(path)
        elif fmt == "json":
            model = from_json(path, name)
        else:
            model = keras.models.load_model(path)
        got = io_utils.flat_outputs(predict(model, name, inputs))
        for g, e in zip(got, expected, strict=True):
            np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-6)
    except Exception as e:  # noqa: BLE001 - the reason is the answer
        return f"{type(e).__name__}: {e}"[:300]
    return None


def main():
    catalogue.register_twice(keras)  # as a user registers their Lambda's function
    kind = "k2" if LEGACY else "k3"
    out = io_utils.folder(kind)
    manifest_path = os.path.join(out, "manifest.json")
    manifest = io_utils.read_json(manifest_path)
    only = sys.argv[1:]
    for name, build in catalogue.BUILDERS.items():
        if not wanted(name) or (only and name not in only):
            continue
        keras.utils.set_random_seed(0)
        entry = {"keras_version": keras.__version__, "written": [], "errors": {}}
        if not LEGACY:
            entry["backend"] = keras.backend.backend()
        manifest[name] = entry
        try:
            model, inputs = build(keras)
            catalogue.randomize_weights(model, name)
            y = io_utils.flat_outputs(predict(model, name, inputs))
        except Exception as e:  # noqa: BLE001 - recorded in the manifest
            entry["errors"]["build"] = f"{type(e).__name__}: {e}"[:500]
            print(name, "build failed", traceback.format_exc(), file=sys.stderr)
            continue
        io_utils.save_arrays(os.path.join(out, f"{name}.npz"), inputs, y)
        targets = (
            {"h5": f"{name}.h5", "weights_k2": f"{name}_weights.h5", "json": f"{name}.json"}
            if LEGACY
            else {
                "keras": f"{name}.keras",
                "h5": f"{name}.h5",
                "weights.h5": f"{name}.weights.h5",
                "json": f"{name}.json",  # model.to_json(), read with the .weights.h5
            }
        )
        for fmt, filename in targets.items():
            path = os.path.join(out, filename)
            weights_fmt = "weights_k2" if LEGACY else "weights.h5"
            if fmt == "json" and weights_fmt not in entry["written"]:
                entry["errors"][fmt] = "no weights file to read with it"
                continue
            try:
                if fmt.startswith("weights"):
                    model.save_weights(path)
                elif fmt == "json":
                    with open(path, "w") as f:
                        f.write(model.to_json())
                else:
                    model.save(path)
            except Exception as e:  # noqa: BLE001 - recorded in the manifest
                entry["errors"][fmt] = f"{type(e).__name__}: {e}"[:500]
                if os.path.exists(path):
                    os.remove(path)
                continue
            entry["written"].append(fmt)
            problem = reload_problem(name, fmt, path, inputs, y)
            if problem:
                # kept: minikeras reads some files Keras writes but cannot read back
                entry.setdefault("keras_cannot_reload", {})[fmt] = problem
        if not entry["written"]:
            os.remove(os.path.join(out, f"{name}.npz"))
        print(name, entry["written"], entry["errors"], [np.shape(a) for a in y])
    io_utils.write_json(manifest_path, manifest)


if __name__ == "__main__":
    main()
