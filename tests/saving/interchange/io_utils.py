"""What the interchange scripts and the test share: where the files live, how inputs are fed and
outputs flattened, and the npz layout (`x_<i>` inputs in the builder's order, `y_<i>` outputs in
`flat_outputs` order). Imports numpy only."""

import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
FORMATS = ("keras", "h5", "weights.h5", "json")
DICT_INPUTS = {"merging": ("a", "b", "c")}


def folder(kind):
    """`k3` (written by Keras 3), `k2` (tf.keras 2), `mk` (written by minikeras)."""
    path = os.path.join(DATA, kind)
    os.makedirs(path, exist_ok=True)
    return path


def feed(name, inputs):
    """The builder's input list as model `name` takes it: a dict for the models whose inputs
    are a dict (`DICT_INPUTS`), one array for one input, else a list."""
    if name in DICT_INPUTS:
        return dict(zip(DICT_INPUTS[name], inputs))
    return inputs[0] if len(inputs) == 1 else list(inputs)


def flat_outputs(y):
    """Model outputs as a list of float arrays: dicts by sorted key, lists in order."""
    if isinstance(y, dict):
        return [a for key in sorted(y) for a in flat_outputs(y[key])]
    if isinstance(y, (list, tuple)):
        return [a for item in y for a in flat_outputs(item)]
    if hasattr(y, "detach"):
        y = y.detach().cpu().numpy()
    elif hasattr(y, "numpy"):
        y = y.numpy()
    return [np.asarray(y)]


def save_arrays(path, inputs, outputs, **extra):
    arrays = {f"x_{i}": np.asarray(a) for i, a in enumerate(inputs)}
    arrays.update({f"y_{i}": np.asarray(a) for i, a in enumerate(outputs)})
    arrays.update(extra)
    np.savez_compressed(path, **arrays)


def load_arrays(path, prefix="y_"):
    with np.load(path, allow_pickle=False) as npz:
        count = sum(1 for key in npz.files if key.startswith(prefix))
        return [npz[f"{prefix}{i}"] for i in range(count)]


def read_json(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def write_json(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
