"""Writes models quantized and saved by real Keras 3 into `tests/quantization/fixtures/`.

Run from the repository root with the Keras 3 venv (torch backend):

    KERAS_BACKEND=torch /work/anchors/bin/python tests/quantization/make_keras_fixtures.py

For each small model (`dense`: Dense -> Dense, `einsum`: EinsumDense -> Dense, `embedding`:
Embedding -> pooling -> Dense, `conv`: Conv2D -> Flatten -> Dense) Keras builds it with a fixed
seed, then for each mode Keras accepts (`"int8"`, `"int4"` (Keras 3.15's default: blocks of 128
input rows with a zero point), `"float8"`, and `"int4_per_channel"`: `"int4"` with
`Int4QuantizationConfig(block_size=-1)`) quantizes a fresh copy with `model.quantize` and writes:

- `<model>_<mode>.keras` (`model.save`) and `<model>_<mode>.weights.h5` (`model.save_weights`);
- `<model>.npz`: `x` (the inputs), `y_float` (the float32 model's outputs) and `y_<mode>`
  (the quantized model's outputs on `x`).

Then `mixed_float16` and `mixed_bfloat16` copies of the dense and conv models (the global policy
set while they are built) are saved as `.keras` and legacy `.h5`, with their outputs in
`<model>_<policy>.npz`.

`layout.json` lists, for every written `.weights.h5`, each dataset's h5 path, shape and dtype,
and for every model its layers' `dtype` configs as Keras writes them; modes Keras refuses for a
model are recorded with the error Keras raised. The README beside the files summarizes it.
"""

import json
import os
import traceback

import h5py
import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
MODES = ("int8", "int4", "float8", "int4_per_channel")


def dense_model():
    inputs = keras.Input((16,))
    x = keras.layers.Dense(32, activation="relu", name="dense_a")(inputs)
    outputs = keras.layers.Dense(10, name="dense_b")(x)
    return keras.Model(inputs, outputs, name="dense_model")


def einsum_model():
    inputs = keras.Input((5, 8))
    x = keras.layers.EinsumDense("abc,cd->abd", output_shape=(5, 12), bias_axes="d", name="einsum")(
        inputs
    )
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(4, name="head")(x)
    return keras.Model(inputs, outputs, name="einsum_model")


def embedding_model():
    inputs = keras.Input((6,), dtype="int32")
    x = keras.layers.Embedding(50, 8, name="embed")(inputs)
    x = keras.layers.GlobalAveragePooling1D()(x)
    outputs = keras.layers.Dense(4, name="head")(x)
    return keras.Model(inputs, outputs, name="embedding_model")


def conv_model():
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(4, 3, activation="relu", name="conv")(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(5, name="head")(x)
    return keras.Model(inputs, outputs, name="conv_model")


BUILDERS = {
    "dense": (dense_model, lambda rng: rng.normal(size=(8, 16)).astype("float32")),
    "einsum": (einsum_model, lambda rng: rng.normal(size=(8, 5, 8)).astype("float32")),
    "embedding": (embedding_model, lambda rng: rng.integers(0, 50, size=(8, 6)).astype("int32")),
    "conv": (conv_model, lambda rng: rng.normal(size=(4, 8, 8, 3)).astype("float32")),
}


def h5_layout(path):
    rows = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            rows.append([name, list(obj.shape), str(obj.dtype)])

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return rows


def dtype_configs(model):
    return {
        layer.name: keras.saving.serialize_keras_object(layer.dtype_policy)
        for layer in model.layers
    }


def build(name, seed=0):
    keras.utils.set_random_seed(seed)
    return BUILDERS[name][0]()


def quantized_fixtures(layout):
    for name, (_, make_x) in BUILDERS.items():
        x = make_x(np.random.default_rng(1))
        arrays = {"x": x, "y_float": np.asarray(build(name).predict(x, verbose=0))}
        for mode in MODES:
            stem = f"{name}_{mode}"
            model = build(name)
            try:
                if mode == "int4_per_channel":  # Keras 3.15's int4 before sub-channel blocks
                    config = keras.quantizers.Int4QuantizationConfig(block_size=-1)
                    model.quantize("int4", config=config)
                else:
                    model.quantize(mode)
            except Exception as e:  # noqa: BLE001 - recorded: Keras refuses this mode here
                layout["refused"][stem] = f"{type(e).__name__}: {e}"
                continue
            arrays[f"y_{mode}"] = np.asarray(model.predict(x, verbose=0))
            model.save(os.path.join(OUT, stem + ".keras"))
            model.save_weights(os.path.join(OUT, stem + ".weights.h5"))
            layout["weights"][stem] = h5_layout(os.path.join(OUT, stem + ".weights.h5"))
            layout["dtype"][stem] = dtype_configs(model)
            layout["variables"][stem] = [
                [v.path, list(v.shape), str(v.dtype)] for v in model.weights
            ]
        np.savez(os.path.join(OUT, name + ".npz"), **arrays)


def mixed_fixtures(layout):
    for policy in ("mixed_float16", "mixed_bfloat16"):
        for name in ("dense", "conv"):
            keras.config.set_dtype_policy(policy)
            try:
                model = build(name)
            finally:
                keras.config.set_dtype_policy("float32")
            x = BUILDERS[name][1](np.random.default_rng(1))
            y = keras.ops.convert_to_numpy(keras.ops.cast(model(x), "float32"))
            stem = f"{name}_{policy}"
            model.save(os.path.join(OUT, stem + ".keras"))
            model.save(os.path.join(OUT, stem + ".h5"))
            np.savez(os.path.join(OUT, stem + ".npz"), x=x, y=y)
            layout["dtype"][stem] = dtype_configs(model)
            layout["variables"][stem] = [
                [v.path, list(v.shape), str(v.dtype)] for v in model.weights
            ]


def main():
    os.makedirs(OUT, exist_ok=True)
    layout = {
        "keras": keras.__version__,
        "refused": {},
        "weights": {},
        "dtype": {},
        "variables": {},
    }
    quantized_fixtures(layout)
    try:
        mixed_fixtures(layout)
    except Exception:  # noqa: BLE001
        layout["mixed_error"] = traceback.format_exc()
    with open(os.path.join(OUT, "layout.json"), "w") as f:
        json.dump(layout, f, indent=1)
    print(json.dumps(layout["refused"], indent=1))


if __name__ == "__main__":
    main()
