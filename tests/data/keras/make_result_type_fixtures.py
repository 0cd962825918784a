"""Writes result_type_k3.json: `keras.backend.result_type` for every pair of dtypes (and each dtype
alone), from Keras 3.15.1 on its numpy backend (jax and torch give the same: the function is
backend-independent apart from TensorFlow's 64-bit types).

Run: KERAS_BACKEND=numpy /work/anchors/bin/python tests/data/keras/make_result_type_fixtures.py
"""

import json
import os

import keras

NAMES = [
    "bool",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
    "bfloat16",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "int",
    "float",
    "pybool",
    "pycomplex",
]
PY = {"int": int, "float": float, "pybool": bool, "pycomplex": complex}


def main():
    out = {"keras_version": keras.__version__, "single": {}, "pairs": {}}
    for a in NAMES:
        out["single"][a] = keras.backend.result_type(PY.get(a, a))
        for b in NAMES:
            try:
                out["pairs"][f"{a},{b}"] = keras.backend.result_type(PY.get(a, a), PY.get(b, b))
            except ValueError as e:
                out["pairs"][f"{a},{b}"] = f"ValueError: {e}"
    out["empty"] = keras.backend.result_type()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "result_type_k3.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
