"""The edits tests/saving/test_file_editor.py makes with `keras.saving.KerasFileEditor`, runnable
with real Keras 3 or with minikeras (the same calls), and the Keras side of its checks.

    KERAS_BACKEND=torch /work/anchors/bin/python tests/saving/file_editor_edits.py make
        writes tests/data/keras/file_editor_{structural,adapt}_k3.weights.h5 (Keras's editor
        applied to mlp_k3.weights.h5 / mlp_k3.keras)
    python file_editor_edits.py {keras|minikeras} edit {structural|adapt} SRC OUT
    python file_editor_edits.py {keras|minikeras} load WEIGHTS OUT_JSON
        rebuilds mlp_k3.keras with a 3-unit output layer, loads WEIGHTS into it, writes its
        weights (by layer name) as JSON
"""

import contextlib
import io
import json
import os
import sys

import numpy as np

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "keras")
ANCHORS = os.environ.get("KERAS_ANCHORS", "/work/anchors/bin/python")


def structural(editor):
    """Every kind of edit on mlp_k3.weights.h5 (hidden/bn/dropout/out, Adam state)."""
    # full paths: Keras 3.15.1 miscounts a bare layer name when `optimizer` follows `layers`
    editor.rename_object("layers/batch_normalization", "bn_renamed")
    editor.delete_weight("layers/dense", "1")
    editor.add_weights("layers/dense_1", {"2": np.arange(4, dtype="float32")})
    editor.add_object("layers/extra", {"0": np.ones((2, 3), "float32")})
    editor.delete_object("optimizer")


def adapt(editor):
    """mlp_k3.keras's 4-unit output layer replaced by a 3-unit one (a changed architecture)."""
    editor.delete_object("layers/dense_1")
    editor.add_object(
        "layers/dense_1",
        {"0": np.full((16, 3), 0.5, "float32"), "1": np.arange(3, dtype="float32")},
    )
    editor.delete_object("optimizer")


EDITS = {"structural": structural, "adapt": adapt}


def edit(keras, which, src, out):
    with contextlib.redirect_stdout(io.StringIO()):  # the editor prints the file it opened
        editor = keras.saving.KerasFileEditor(src)
        EDITS[which](editor)
        editor.save(out)


def load(keras, weights, out_json):
    model = keras.saving.load_model(os.path.join(DATA, "mlp_k3.keras"), compile=False)
    config = model.get_config()
    config["layers"][-1]["config"]["units"] = 3
    twin = type(model).from_config(config)
    twin.load_weights(weights)
    values = {
        layer.name: [np.asarray(w).tolist() for w in layer.get_weights()] for layer in twin.layers
    }
    with open(out_json, "w") as f:
        json.dump(values, f)


def main(argv):
    if argv[0] == "make":
        import keras

        for which, src in (("structural", "mlp_k3.weights.h5"), ("adapt", "mlp_k3.keras")):
            out = os.path.join(DATA, f"file_editor_{which}_k3.weights.h5")
            edit(keras, which, os.path.join(DATA, src), out)
        return
    if argv[0] == "keras":
        import keras
    else:
        import minikeras as keras
    if argv[1] == "edit":
        edit(keras, *argv[2:5])
    else:
        load(keras, *argv[2:4])


if __name__ == "__main__":
    main(sys.argv[1:])
