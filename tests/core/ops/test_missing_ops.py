"""Tests for minikeras/core/ops/missing_ops.py and missing_array_ops.py: values, dtypes and input
gradients against Keras 3.15.1 on jax (tests/data/keras/missing_ops_k3.npz, written by
make_missing_ops_fixtures.py), float64 finite differences, symbolic use, and Keras's errors."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad
from minikeras import ops
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras", "missing_ops_k3.npz")


def _cases():
    out = []
    with np.load(FIXTURE) as data:
        n = sum(k.startswith("args") for k in data.files)
        for i in range(n):
            case = json.loads(str(data[f"args{i}"]))
            ys = [data[f"y{i}_{k}"] for k in range(case["parts"] + case["grad"])]
            tag = "-".join(f"{k}={v}" for k, v in case["kwargs"].items())
            out.append(pytest.param(i, case, ys, id=f"{i}-{case['fn']}-{tag}"))
    return out


def _inputs(case):
    data = np.load(FIXTURE)

    def value(name):
        return [data["x_" + n] for n in name] if isinstance(name, list) else data["x_" + name]

    args = [value(n) for n in case["x"]]
    kwargs = {}
    for k, v in case["kwargs"].items():
        if isinstance(v, str) and "x_" + v in data.files:
            v = data["x_" + v]
        elif k in ("axis", "axes") and isinstance(v, list):
            v = tuple(v)
        kwargs[k] = v
    return args, kwargs


@pytest.mark.parametrize("i,case,expected", _cases())
def test_matches_keras3(i, case, expected):
    """Values and dtypes as Keras 3.15.1 (jax) computes them; gradients of sum(output * W)."""
    fn = getattr(ops, case["fn"])
    args, kwargs = _inputs(case)
    y = fn(*args, **kwargs)
    parts = list(y) if isinstance(y, (list, tuple)) else [y]
    assert len(parts) == case["parts"]
    for got, want in zip(parts, expected):
        got = got.numpy()
        assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, got.dtype, want)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    if case["grad"]:
        first = Tensor(args[0].copy(), requires_grad=True)
        out = fn(first, *args[1:], **kwargs)
        out = list(out) if isinstance(out, (list, tuple)) else [out]
        weights = [np.random.default_rng(99).normal(size=o.shape).astype(o.dtype) for o in out]
        total = sum(ops.sum(o * w) for o, w in zip(out, weights))
        (grad,) = gradients(total, [first])
        if grad is None:  # an op without a gradient (heaviside): Keras's is zero
            grad = np.zeros_like(expected[-1])
        np.testing.assert_allclose(np.asarray(grad), expected[-1], rtol=1e-4, atol=1e-5)


UNARY = ["cbrt", "deg2rad", "rad2deg", "fabs", "sinc", "ptp", "nanmedian", "fliplr", "flipud"]


@pytest.mark.parametrize("name", UNARY)
def test_unary_gradient_float64(name):
    x = np.random.default_rng(3).uniform(0.3, 2.0, size=(3, 4)) * np.array([1, -1, 1, -1])
    check_grad(getattr(ops, name), x)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: ops.quantile(x, [0.2, 0.75], axis=1),
        lambda x: ops.nanquantile(x, 0.4, axis=0, keepdims=True),
        lambda x: ops.percentile(x, 30.0, method="midpoint"),
        lambda x: ops.hypot(x, x[::-1] + 0.5),
        lambda x: ops.logaddexp2(x, 0.5 * x),
        lambda x: ops.fmax(x, -x),
        lambda x: ops.kron(x, x[:2, :2]),
        lambda x: ops.rot90(x, k=3),
        lambda x: ops.vander(x[0], N=3),
        lambda x: ops.trapezoid(x, dx=0.3, axis=0),
        lambda x: ops.psnr(x, x * 0.5, 2.0),
        lambda x: ops.depth_to_space(ops.reshape(x, (1, 1, 3, 4)), 2),
        lambda x: ops.space_to_depth(ops.reshape(x, (1, 2, 2, 3)), 2),
        lambda x: ops.dstack([x, x * 2.0]),
    ],
)
def test_composed_gradients_float64(fn):
    x = np.random.default_rng(4).normal(size=(3, 4))
    check_grad(fn, x)


def test_nearest_quantile_rounds_ties_to_even():
    """Keras 3.15.1 on numpy and torch (observed): position 1.5 takes index 2, 2.5 index 2 (jax
    takes index 1 for 1.5; minikeras follows the numpy backend)."""
    x = np.arange(4.0, dtype="float32")
    assert float(ops.quantile(x, 0.5, method="nearest")) == 2.0
    assert float(ops.quantile(np.arange(6.0, dtype="float32"), 0.5, method="nearest")) == 2.0


def test_symbolic_inputs_record_op_nodes():
    """As every keras.ops function, the new ones accept KerasTensors inside a functional model."""
    inp = keras.Input((4,))
    out = ops.quantile(ops.cbrt(inp), 0.5, axis=1)
    model = keras.Model(inp, out)
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    np.testing.assert_allclose(
        model.predict(x, verbose=0), np.quantile(np.cbrt(x), 0.5, axis=1), rtol=1e-5
    )


def test_namespaces_hold_the_new_ops():
    """Keras 3.15.1 lists the numpy-style ones in keras.ops.numpy, psnr and the block moves in
    keras.ops.nn."""
    assert ops.numpy.nanquantile is ops.nanquantile and ops.numpy.rot90 is ops.rot90
    assert ops.nn.psnr is ops.psnr and ops.nn.depth_to_space is ops.depth_to_space
    assert "kron" in ops.numpy.__all__ and "space_to_depth" in ops.nn.__all__


def test_errors_name_the_op_and_what_was_received():
    with pytest.raises(TypeError, match="array_split.*Received: indices_or_sections=\\[1, 2\\]"):
        ops.array_split(np.zeros(4), [1, 2])
    with pytest.raises(ValueError, match="quantile.*\\[1.5\\]"):
        ops.quantile(np.zeros(3), [1.5])
    with pytest.raises(ValueError, match="psnr.*must match"):
        ops.psnr(np.zeros(3), np.zeros(4), 1.0)
    with pytest.raises(ValueError, match="depth_to_space expects a 4-D tensor"):
        ops.depth_to_space(np.zeros((2, 2, 4)), 2)
