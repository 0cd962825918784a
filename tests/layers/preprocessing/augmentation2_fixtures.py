"""Replays the cases of `tests/data/keras/augmentation2_k3.npz` (real Keras 3.15.1 outputs on
jax, written by `tests/data/keras/make_augmentation2_fixtures.py`) on minikeras."""

import numpy as np
from augmentation_fixtures import case_id, cases_named, load_cases

import minikeras as keras

__all__ = ["case_id", "cases", "run_case"]

DTYPES = {
    "should_apply_blur": "bool",
    "apply_perspective": "bool",
    "batch_masks": "bool",
    "permutation_order": "int32",
    "apply_transform": "bool",
}
_DATA, _CASES = load_cases("augmentation2_k3.npz")


def cases(name):
    """(case, Keras output) pairs for one layer class (or `keras.ops.image` function) name."""
    return cases_named(_DATA, _CASES, name)


def _transformation(t):
    if "chain_transforms" in t:  # AugMix: Keras's step transformations -> a (unused) seed
        chains = [
            [{"layer_name": step["layer_name"], "seed": 0} for step in chain]
            for chain in t["chain_transforms"]
        ]
        return {
            "chain_mixing_weights": np.asarray(t["chain_mixing_weights"], "float32"),
            "weight_sample": np.float32(t["weight_sample"]),
            "chain_transforms": chains,
        }
    return {k: np.asarray(v, DTYPES.get(k, "float32")) for k, v in t.items()}


def run_case(c):
    """minikeras's output for one case (same arguments, input and transformation)."""
    x = _DATA[f"x_{c['x']}"] if c["x"] else None
    if c["mode"] == "op":
        kwargs = dict(c["kwargs"])
        for k in ("start_points", "end_points"):
            if k in kwargs:
                kwargs[k] = np.asarray(kwargs[k], "float32")
        if c["layer"] == "compute_homography_matrix":
            from minikeras.core.ops.image_warp import compute_homography_matrix

            return compute_homography_matrix(kwargs["start_points"], kwargs["end_points"])
        return np.asarray(getattr(keras.ops.image, c["layer"])(x, **kwargs))
    seed = {} if c["layer"] == "Equalization" else {"seed": 3}
    layer = getattr(keras.layers, c["layer"])(**c["kwargs"], **seed)
    if c["mode"] in ("call", "single"):
        return np.asarray(layer(x, training=True))
    if c["mode"] == "transform":
        return np.asarray(layer.transform_images(x, _transformation(c["transformation"])))
    if c["mode"] == "randaug":  # a drawn transformation, its operations chosen by the case
        t = layer.get_random_transformation(x)
        t["layer_idxes"] = np.asarray(c["transformation"])
        return np.asarray(layer.transform_images(x, t))
    if c["mode"] == "labels":
        return np.asarray(layer.transform_labels(x, _transformation(c["transformation"])))
    return np.asarray(layer(x, training=False))  # "infer"
