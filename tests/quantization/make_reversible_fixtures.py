"""Writes `ReversibleEmbedding` models quantized and saved by real Keras 3 into
`tests/quantization/fixtures/reversible/`.

Run from the repository root with the Keras 3 venv (torch backend):

    KERAS_BACKEND=torch /work/anchors/bin/python tests/quantization/make_reversible_fixtures.py

The model embeds 6 token ids with one `ReversibleEmbedding(50, 12)`, adds a `Dense(12)` and
projects back to the 50-token vocabulary with the same layer (`reverse=True`,
`logit_soft_cap=20`). For `tie_weights` True and False (`tied`, `untied`) and each mode
(`int8`; `int4`, Keras's default blocks of 128 rows with a zero point; `int4_per_channel`,
`Int4QuantizationConfig(block_size=-1)`), Keras quantizes a fresh copy and writes
`<tie>_<mode>.keras`, `<tie>_<mode>.weights.h5`, and `<tie>.npz` with `x`, the float model's
outputs `y_float` and the quantized model's `y_<mode>`; `layout.json` records each weights
file's datasets (path, shape, dtype).
"""

import json
import os

import h5py
import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
from reversible_models import build  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "reversible")


def datasets(path):
    out = []
    with h5py.File(path, "r") as f:
        f.visititems(
            lambda name, obj: (
                out.append([name, list(obj.shape), str(obj.dtype)])
                if isinstance(obj, h5py.Dataset)
                else None
            )
        )
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    layout = {}
    x = np.random.default_rng(0).integers(0, 50, size=(4, 6)).astype("int32")
    for tie in (True, False):
        tag = "tied" if tie else "untied"
        keras.utils.set_random_seed(7)
        base = build(keras, tie)
        weights = base.get_weights()
        arrays = {"x": x, "y_float": keras.ops.convert_to_numpy(base(x))}
        for mode in ("int8", "int4", "int4_per_channel"):
            m = build(keras, tie)
            m.set_weights(weights)
            if mode == "int4_per_channel":
                m.quantize("int4", config=keras.quantizers.Int4QuantizationConfig(block_size=-1))
            else:
                m.quantize(mode)
            arrays[f"y_{mode}"] = keras.ops.convert_to_numpy(m(x))
            m.save(os.path.join(OUT, f"{tag}_{mode}.keras"))
            path = os.path.join(OUT, f"{tag}_{mode}.weights.h5")
            m.save_weights(path)
            layout[f"{tag}_{mode}.weights.h5"] = datasets(path)
        np.savez(os.path.join(OUT, f"{tag}.npz"), **arrays)
    with open(os.path.join(OUT, "layout.json"), "w") as f:
        json.dump({"keras": keras.__version__, "files": layout}, f, indent=1)


if __name__ == "__main__":
    main()
