"""Writes `lora_k3.npz`, `lora_k3.weights.h5` and `lora_k3.keras`: a small model whose Embedding,
Conv1D, EinsumDense and Dense layers have LoRA enabled, saved by real Keras 3.

Embedding and Conv1D get LoRA from the constructor (`lora_rank=`, Conv1D with `lora_alpha=`);
EinsumDense and Dense get it from `enable_lora(rank, lora_alpha=...)` after building (Keras
3.15's `Dense.build` drops a constructor `lora_alpha`, so the explicit call is the documented
path). Every `lora_*_b` factor is set to random values, so the LoRA update is not zero. Run from
outside the Keras source tree:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/data/keras/make_lora_fixtures.py

npz keys: `x` (int32 ids), `y` (Keras's `predict`), `n_weights`, `w000`... (`get_weights()`:
base weights *and* LoRA factors), `paths` (each weight's path), `alphas` (JSON: layer name ->
[lora_rank, lora_alpha]). The weights files hold the merged kernels, as Keras saves them.
"""

import json
import os

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def build():
    keras.utils.set_random_seed(9)
    ids = keras.Input((6,), dtype="int32", name="ids")
    x = keras.layers.Embedding(11, 4, lora_rank=2, name="emb")(ids)
    x = keras.layers.Conv1D(5, 3, padding="same", lora_rank=3, lora_alpha=6, name="conv")(x)
    proj = keras.layers.EinsumDense("abc,cd->abd", output_shape=(6, 4), bias_axes="d", name="proj")
    x = proj(x)
    x = keras.layers.Flatten(name="flat")(x)
    head = keras.layers.Dense(3, activation="tanh", name="head")
    y = head(x)
    proj.enable_lora(2, lora_alpha=1)
    head.enable_lora(2, lora_alpha=4)
    model = keras.Model(ids, y, name="lora_model")
    rng = np.random.default_rng(9)
    for w in model.weights:
        if w.path.endswith("_b") and "lora" in w.path:
            w.assign(rng.normal(0, 0.5, tuple(w.shape)).astype("float32"))
    return model


def main():
    model = build()
    x = np.random.default_rng(1).integers(0, 11, (4, 6)).astype("int32")
    y = np.asarray(model.predict(x, verbose=0), dtype="float32")
    weights = model.get_weights()
    alphas = {
        layer.name: [layer.lora_rank, layer.lora_alpha]
        for layer in model.layers
        if getattr(layer, "lora_enabled", False)
    }
    np.savez(
        os.path.join(HERE, "lora_k3.npz"),
        x=x,
        y=y,
        n_weights=len(weights),
        paths=np.array([w.path for w in model.weights]),
        alphas=json.dumps(alphas),
        **{f"w{i:03d}": w for i, w in enumerate(weights)},
    )
    model.save_weights(os.path.join(HERE, "lora_k3.weights.h5"))
    model.save(os.path.join(HERE, "lora_k3.keras"))
    print(f"keras {keras.__version__} ({keras.backend.backend()}): y[0] = {y[0]}, {alphas}")


if __name__ == "__main__":
    main()
