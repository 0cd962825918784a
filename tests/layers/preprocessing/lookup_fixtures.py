"""Replays the cases of `tests/data/keras/lookup_k3.json` (real Keras 3.15.1 outputs, written by
`tests/data/keras/make_lookup_fixtures.py`) on minikeras's layers."""

import json
import os

import numpy as np

import minikeras as keras

PATH = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras", "lookup_k3.json")
with open(PATH, encoding="utf-8") as f:
    FIXTURES = json.load(f)


def cases(layer):
    return [c for c in FIXTURES["cases"] if c["layer"] == layer]


def case_id(c):
    return json.dumps(c["kwargs"], ensure_ascii=False)[:60]


def _array(spec):
    if isinstance(spec, dict):
        return np.array(spec["array"], dtype=spec.get("dtype"))
    return spec


def run_case(c):
    """Builds the layer as the fixture did, runs its setup and call; returns (layer, output)."""
    kwargs = dict(c["kwargs"])
    if isinstance(kwargs.get("ngrams"), list):
        kwargs["ngrams"] = tuple(kwargs["ngrams"])
    layer = getattr(keras.layers, c["layer"])(**kwargs)
    for method, args in c["setup"]:
        if method == "adapt":
            data = args["data"]
            if args.get("batches") and c["layer"] == "Discretization":
                data = [np.array(b) for b in data]  # Discretization adapts on each list item
            elif args.get("batches"):
                data = np.array(data)  # the lookups stack a list of arrays into one batch
            elif args.get("array"):
                data = np.array(data, dtype=args.get("dtype"))
            layer.adapt(data)
        else:
            getattr(layer, method)(**args)
    x = c["x"]
    if c["layer"] == "HashedCrossing":
        x = tuple(_array(a) for a in x)
    else:
        x = _array(x)
    return layer, layer(x, **(c["call_kwargs"] or {}))


def check_case(c):
    layer, y = run_case(c)
    y = y.numpy() if hasattr(y, "numpy") else np.asarray(y)
    expected = np.array(c["y"], dtype=object if c["dtype"] == "string" else c["dtype"])
    assert y.shape == expected.shape, (y.shape, expected.shape)
    if c["dtype"] == "string":
        assert y.tolist() == expected.tolist()
    else:
        assert y.dtype == expected.dtype, (y.dtype, expected.dtype)
        np.testing.assert_allclose(y, expected, rtol=1e-6, atol=1e-6)
    if "vocab" in c:
        assert layer.get_vocabulary() == c["vocab"]
    if "bin_boundaries" in c:
        np.testing.assert_allclose(layer.bin_boundaries, c["bin_boundaries"], rtol=1e-6, atol=1e-7)
    config = layer.get_config()
    expected_config = {k: v for k, v in c["config"].items() if k != "name"}
    got = {k: v for k, v in config.items() if k != "name"}
    if isinstance(got.get("ngrams"), tuple):
        got["ngrams"] = list(got["ngrams"])
    assert json.loads(json.dumps(got)) == expected_config
