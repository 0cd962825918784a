"""Writes `shared_timedistributed_k3.{keras,npz}` and `shared_submodel_k3.{keras,npz}`: models
where one layer object is referenced from two places of the config, so Keras 3 writes its full
config twice, each copy tagged with the same `shared_object_id`.

* shared_timedistributed: one `Dense` called directly on a sequence and also wrapped in
  `TimeDistributed`; the weights file holds it once (`layers/dense/vars`).
* shared_submodel: one functional sub-model `encoder` (Input -> Dense) called directly and
  also wrapped in `TimeDistributed`; the weights file holds `enc_dense` once.

Keras (3.15.1, torch backend) loads both files back with the layer shared. It does so only when
the top-level entry comes first: Keras copies a nested config after tagging it, so a first
occurrence inside a wrapper or sub-model loses its id and Keras then loads copies (and fails on
the missing weights), and an Embedding shared by two `Sequential` sub-models does not reload in
Keras either. Run from outside the Keras source tree:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/data/keras/make_shared_object_fixtures.py

npz keys (as the other fixtures): `x` or `x0`, `x1` the inputs, `y0`, `y1` Keras's predictions
for the two outputs, `n_weights` and `w000`... `model.get_weights()`, and `shared_ids`: how many
entries of config.json carry a `shared_object_id`.
"""

import json
import os
import zipfile

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def shared_timedistributed():
    dense = keras.layers.Dense(3, activation="tanh", name="shared_dense")
    x = keras.Input((5, 4), name="seq")
    direct = dense(x)
    wrapped = keras.layers.TimeDistributed(dense, name="td")(x)
    model = keras.Model(x, [direct, wrapped], name="shared_timedistributed")
    inputs = np.random.default_rng(1).normal(size=(2, 5, 4)).astype("float32")
    return model, [inputs]


def shared_submodel():
    frame = keras.Input((4,), name="frame")
    hidden = keras.layers.Dense(3, activation="relu", name="enc_dense")(frame)
    encoder = keras.Model(frame, hidden, name="encoder")
    still = keras.Input((4,), name="still")
    clip = keras.Input((5, 4), name="clip")
    direct = encoder(still)  # first, so the top-level entry is the first occurrence
    wrapped = keras.layers.TimeDistributed(encoder, name="td")(clip)
    model = keras.Model([still, clip], [direct, wrapped], name="shared_submodel")
    rng = np.random.default_rng(2)
    return model, [
        rng.normal(size=(2, 4)).astype("float32"),
        rng.normal(size=(2, 5, 4)).astype("float32"),
    ]


def shared_id_count(tree):
    if isinstance(tree, list):
        return sum(shared_id_count(v) for v in tree)
    if isinstance(tree, dict):
        own = 1 if "shared_object_id" in tree else 0
        return own + sum(shared_id_count(v) for v in tree.values())
    return 0


def main():
    keras.utils.set_random_seed(7)
    for name, make in [
        ("shared_timedistributed", shared_timedistributed),
        ("shared_submodel", shared_submodel),
    ]:
        model, inputs = make()
        path = os.path.join(HERE, f"{name}_k3.keras")
        model.save(path)
        with zipfile.ZipFile(path) as z:
            config = json.loads(z.read("config.json"))
        # Keras tags each shared object on both of its occurrences, so the file loads tied
        loaded = keras.saving.load_model(path)
        assert len(loaded.weights) == len(model.weights), name
        ys = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
        if len(inputs) == 1:
            arrays = {"x": inputs[0]}
        else:
            arrays = {f"x{i}": x for i, x in enumerate(inputs)}
        arrays.update({f"y{i}": np.asarray(y, "float32") for i, y in enumerate(ys)})
        weights = model.get_weights()
        arrays.update({f"w{i:03d}": w for i, w in enumerate(weights)})
        arrays["n_weights"] = np.array(len(weights))
        arrays["shared_ids"] = np.array(shared_id_count(config))
        np.savez(os.path.join(HERE, f"{name}_k3.npz"), **arrays)
        print(name, "weights", len(weights), "shared ids", arrays["shared_ids"])


if __name__ == "__main__":
    main()
