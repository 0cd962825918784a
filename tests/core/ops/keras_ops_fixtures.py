"""The `image_signal_k3.npz` fixture (real Keras 3.15.1 outputs on jax, made by
`tests/data/keras/make_image_signal_fixtures.py`) as pytest cases, for `test_image.py` and
`test_signal.py`."""

import json
import os

import numpy as np
import pytest

OPS_FIXTURE = os.path.join(
    os.path.dirname(__file__), "..", "..", "data", "keras", "image_signal_k3.npz"
)


def ops_cases(fn):
    """(id, positional inputs, kwargs, Keras outputs) of `image_signal_k3.npz`'s cases for `fn`
    (made by `make_image_signal_fixtures.py` with Keras 3.15.1 on jax)."""
    out = []
    with np.load(OPS_FIXTURE) as data:
        n = sum(k.startswith("args") for k in data.files)
        for i in range(n):
            case = json.loads(str(data[f"args{i}"]))
            if case["fn"] != fn:
                continue
            names = case["x"] if isinstance(case["x"], list) else [case["x"]]
            args = [
                tuple(data["x_" + m] for m in name) if isinstance(name, list) else data["x_" + name]
                for name in names
            ]
            kwargs = dict(case["kwargs"])
            if kwargs.get("window") == "win":
                kwargs["window"] = data["x_win"]
            ys = [data[f"y{i}_{k}"] for k in range(2) if f"y{i}_{k}" in data.files]
            tag = "-".join(f"{k}={v}" for k, v in case["kwargs"].items())
            out.append(pytest.param(args, kwargs, ys, id=f"{i}-{'-'.join(map(str, names))}-{tag}"))
    return out


def assert_matches_keras(result, expected, atol=1e-5):
    results = result if isinstance(result, tuple) else (result,)
    assert len(results) == len(expected)
    for y, e in zip(results, expected):
        y = y.numpy()
        assert y.shape == e.shape and y.dtype == e.dtype, (y.shape, e.shape, y.dtype, e.dtype)
        np.testing.assert_allclose(y, e, rtol=0, atol=atol)
