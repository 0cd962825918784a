"""The catalogue's shared pieces: fixed inputs (`rng`, `normal`) and `randomize_weights`.
Imports numpy only."""

import zlib

import numpy as np


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def normal(name, shape, scale=1.0):
    return (rng(name).normal(size=shape) * scale).astype("float32")


def keras2(k):
    return str(getattr(k, "__version__", "3")).startswith("2.")


def randomize_weights(model, name):
    """Gives every float weight a distinct non-trivial value (variances stay positive), so a
    weight loaded into the wrong slot shows in the outputs. Adapted preprocessing state
    (Normalization's mean/variance) keeps its adapted values."""
    r = rng(name + "/weights")
    keep = {
        id(w)
        for layer in _all_layers(model)
        if type(layer).__name__ in ("Normalization", "Discretization")
        for w in layer.weights
    }
    done = set()
    for w in model.weights:
        value = np.asarray(w.numpy() if hasattr(w, "numpy") else w)
        if value.dtype.kind != "f" or id(w) in keep or id(w) in done:
            continue
        done.add(id(w))
        path = str(getattr(w, "path", None) or w.name)
        if "variance" in path or "moving_var" in path:
            new = r.uniform(0.5, 1.5, size=value.shape)
        else:
            new = r.uniform(-0.5, 0.5, size=value.shape)
        w.assign(new.astype(value.dtype))


def _all_layers(model):
    out, stack = [], [model]
    while stack:
        layer = stack.pop()
        if any(layer is seen for seen in out):
            continue
        out.append(layer)
        stack.extend(getattr(layer, "layers", []) or [])
        for attr in ("layer", "forward_layer", "backward_layer", "cell"):
            child = getattr(layer, attr, None)
            if child is not None and hasattr(child, "weights"):
                stack.append(child)
    return out
