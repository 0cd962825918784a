"""Replays the cases of `tests/data/keras/augmentation_k3.npz` (real Keras 3.15.1 outputs, written
by `tests/data/keras/make_augmentation_fixtures.py`) on minikeras's augmentation layers."""

import json
import os

import numpy as np

import minikeras as keras

DATA_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras")
DTYPES = {
    "apply_inversion": "bool",
    "shift_factor": "uint8",
    "apply_erasing": "bool",
    "batch_masks": "bool",
}


def load_cases(filename):
    """The arrays of the npz `tests/data/keras/<filename>` and its cases (`args<i>`, as dicts)."""
    data = np.load(os.path.join(DATA_DIR, filename))
    count = sum(k.startswith("args") for k in data)
    return data, [json.loads(str(data[f"args{i}"])) for i in range(count)]


def cases_named(data, all_cases, name):
    """(case, Keras output) pairs of the cases whose "layer" is `name`."""
    return [(c, data[f"y{i}"]) for i, c in enumerate(all_cases) if c["layer"] == name]


_DATA, _CASES = load_cases("augmentation_k3.npz")


def cases(layer):
    """(case, Keras output) pairs for one layer class name."""
    return cases_named(_DATA, _CASES, layer)


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
