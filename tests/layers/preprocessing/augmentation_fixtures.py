"""Replays the cases of `tests/data/keras/augmentation_k3.npz` (real Keras 3.15.1 outputs, written
by `tests/data/keras/make_augmentation_fixtures.py`) on minikeras's augmentation layers."""

import json
import os

import numpy as np

import minikeras as keras

PATH = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras", "augmentation_k3.npz")
DTYPES = {"apply_inversion": "bool", "shift_factor": "uint8", "apply_erasing": "bool",
          "batch_masks": "bool"}
_DATA = np.load(PATH)
_COUNT = sum(k.startswith("args") for k in _DATA)
_CASES = [json.loads(str(_DATA[f"args{i}"])) for i in range(_COUNT)]


def cases(layer):
    """(case, Keras output) pairs for one layer class name."""
    return [(c, _DATA[f"y{i}"]) for i, c in enumerate(_CASES) if c["layer"] == layer]


def case_id(pair):
    c = pair[0]
    return f"{c['mode']}-{c['x']}-{json.dumps(c['kwargs'])[:50]}"


def run_case(c):
    """minikeras's output for one case (same layer arguments, input and transformation)."""
    x = _DATA[f"x_{c['x']}"]
    seed = {} if c["layer"] == "AutoContrast" else {"seed": 3}
    layer = getattr(keras.layers, c["layer"])(**c["kwargs"], **seed)
    if c["mode"] == "call":
        return np.asarray(layer(x, training=True))
    if c["mode"] == "transform":
        t = c["transformation"]
        if isinstance(t, dict):
            t = {k: np.asarray(v, DTYPES.get(k, "float32")) for k, v in t.items()}
        elif t and isinstance(t[0], int):
            t = tuple(t)
        else:
            t = np.asarray(t)
        return np.asarray(layer.transform_images(x, t, training=True))
    return np.asarray(layer(x, training=False))  # "infer"
