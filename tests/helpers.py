"""Shared test helpers: random data, float64 finite-difference gradient checks."""

import numpy as np

import minikeras as keras
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor


def randn(*shape, seed=0, dtype="float64"):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def numeric_grad(f, arrays, i, eps=1e-6):
    """Central-difference gradient of sum(f(*arrays) * w) w.r.t. arrays[i] (w fixed random)."""
    base = [a.copy() for a in arrays]
    x = base[i]
    g = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    out0 = np.asarray(f(*base))
    weights = np.random.default_rng(1).standard_normal(out0.shape)
    for _ in it:
        idx = it.multi_index
        old = x[idx]
        x[idx] = old + eps
        plus = np.sum(np.asarray(f(*base)) * weights)
        x[idx] = old - eps
        minus = np.sum(np.asarray(f(*base)) * weights)
        x[idx] = old
        g[idx] = (plus - minus) / (2 * eps)
    return g, weights


def check_grad(fn, *inputs, wrt=None, rtol=1e-5, atol=1e-6, seed=0):
    """Checks the analytic gradient of `fn` against central differences in float64.

    `inputs` are shapes (tuples) or arrays. `fn` takes Tensors and returns a Tensor.
    `wrt` lists the input positions to check (default: every float input).
    """
    arrays = []
    for k, spec in enumerate(inputs):
        if isinstance(spec, tuple):
            arrays.append(randn(*spec, seed=seed + k))
        else:
            arrays.append(np.asarray(spec))
    if wrt is None:
        wrt = [k for k, a in enumerate(arrays) if a.dtype.kind == "f"]

    def f_np(*arrs):
        with keras.no_grad():
            return fn(*[Tensor(a) for a in arrs]).data

    for i in wrt:
        tensors = [Tensor(a.copy(), requires_grad=(k == i)) for k, a in enumerate(arrays)]
        out = fn(*tensors)
        num, weights = numeric_grad(f_np, arrays, i)
        (ana,) = gradients(out, [tensors[i]], output_gradient=weights.astype(out.dtype))
        assert ana is not None, f"no gradient reached input {i}"
        assert ana.shape == arrays[i].shape
        np.testing.assert_allclose(ana, num, rtol=rtol, atol=atol, err_msg=f"input {i}")
