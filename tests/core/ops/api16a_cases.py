"""The `api16a_ops_k3.npz` fixture (real Keras 3.15.1 outputs and input gradients on jax, made by
`tests/data/keras/make_api16a_ops_fixtures.py`) as pytest cases, and the check that replays one."""

import json
import os

import numpy as np
import pytest

from minikeras import ops
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras", "api16a_ops_k3.npz")


def cases(*fns):
    """pytest params `(case, inputs, kwargs, expected)` of the fixture's cases for `fns`."""
    out = []
    with np.load(FIXTURE) as data:
        n = sum(k.startswith("args") for k in data.files)
        for i in range(n):
            case = json.loads(str(data[f"args{i}"]))
            if case["fn"] not in fns:
                continue
            args = [n["lit"] if isinstance(n, dict) else data["x_" + n] for n in case["x"]]
            kwargs = {}
            for k, v in case["kwargs"].items():
                if isinstance(v, str) and "x_" + v in data.files:
                    v = data["x_" + v]
                elif isinstance(v, list) and k != "pattern":
                    v = tuple(v)
                kwargs[k] = v
            ys = [data[f"y{i}_{k}"] for k in range(case["parts"] + case["grad"])]
            tag = "-".join(f"{k}={v}" for k, v in case["kwargs"].items())
            out.append(pytest.param(case, args, kwargs, ys, id=f"{i}-{case['fn']}-{tag}"))
    return out


def function(name):
    return getattr(ops.image, name[6:]) if name.startswith("image.") else getattr(ops, name)


def check_case(case, args, kwargs, expected, atol=1e-5, grad_atol=1e-5):
    """Values, dtypes and (when recorded) the gradient of sum(output * W) wrt the first input."""
    fn = function(case["fn"])
    y = fn(*args, **kwargs)
    parts = list(y) if isinstance(y, (list, tuple)) else [y]
    assert len(parts) == case["parts"]
    for got, want in zip(parts, expected):
        got = np.asarray(got)
        assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, got.dtype, want)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=atol)
    if case["grad"]:
        first = Tensor(np.array(args[0]), requires_grad=True)
        out = fn(first, *args[1:], **kwargs)
        out = list(out) if isinstance(out, (list, tuple)) else [out]
        weights = [np.random.default_rng(99).normal(size=o.shape).astype(o.dtype) for o in out]
        total = sum(ops.sum(o * w) for o, w in zip(out, weights))
        (grad,) = gradients(total, [first])
        np.testing.assert_allclose(np.asarray(grad), expected[-1], rtol=1e-4, atol=grad_atol)
