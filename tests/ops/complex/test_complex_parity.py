"""Complex numbers against Keras 3.15.1 (`make_complex_fixtures.py`): real, imag, conj, conjugate,
angle, view_as_real, view_as_complex, polar, eig, and complex operands of add/subtract/multiply/
divide/abs/sqrt/exp/log/sum/mean/matmul/cast/convert_to_tensor give Keras's dtypes, shapes and
values on its torch backend (64-bit kept, as torch), or raise its exception type. Where Keras on
torch raises and Keras on JAX computes (imag/view_as_real of a real tensor, real/imag/conj of a
Python list or scalar, eig of integers), the JAX answer is the expected one. The input gradients
equal torch's (its convention for complex inputs: dL/dRe + i dL/dIm)."""

import json
import os
import warnings

import numpy as np
import pytest

import minikeras as keras

import complex_cases as C

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "complex_k3.json")) as f:
    DOC = json.load(f)
CASES = C.cases()
assert len(CASES) == len(DOC["cases"]), "complex_cases.py changed: rerun make_complex_fixtures.py"


@pytest.fixture(scope="module")
def expected():
    with np.load(os.path.join(HERE, "complex_k3.npz")) as data:
        return dict(data)


def _tol(dtype):
    if dtype in ("float64", "complex128"):
        return {"rtol": 1e-10, "atol": 1e-12}
    if dtype == "float16":
        return {"rtol": 2e-3, "atol": 2e-3}
    return {"rtol": 1e-5, "atol": 1e-6}


def _ids():
    return [f"{i}-{c['name']}-{'-'.join(map(str, c['keys']))}" for i, c in enumerate(DOC["cases"])]


@pytest.mark.parametrize("i", range(len(CASES)), ids=_ids())
def test_matches_keras(i, expected):
    name, keys = CASES[i]
    want, prefix = DOC["cases"][i], "y"
    if "error" in want and "dtypes" in want.get("jax", {}):
        want, prefix = {**want, **want["jax"]}, "j"  # torch raises, JAX computes: JAX's answer
        want.pop("error")
    x = C.inputs()
    # 0 / 0 and log(0) give nan/inf as in Keras; a ComplexWarning (a dropped imaginary part) fails
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error", np.exceptions.ComplexWarning)
        try:
            got = getattr(keras.ops, name)(*[C.arg(x, k) for k in keys])
        except Exception as e:  # noqa: BLE001
            allowed = {want.get("error"), want.get("jax", {}).get("error")} - {None}
            assert allowed, f"raised {type(e).__name__}: {e}; Keras: {want}"
            assert type(e).__name__ in allowed, f"raised {type(e).__name__}; Keras {allowed}"
            return
    assert "error" not in want, f"Keras raised {want['error']}; minikeras returned {got}"
    outs = [np.asarray(o) for o in (got if isinstance(got, (tuple, list)) else [got])]
    dtypes = [str(o.dtype) for o in outs]
    if prefix == "j":  # JAX narrows 64-bit results; minikeras keeps them, as Keras on torch
        dtypes = [_NARROW.get(d, d) if str(keys[0]) in _WIDE_INPUTS else d for d in dtypes]
    assert dtypes == want["dtypes"]
    assert [list(o.shape) for o in outs] == want["shapes"]
    for k, o in enumerate(outs):
        e = expected[f"{prefix}{i}_{k}"]
        if name == "eig" and k == 1:  # eigenvectors: unit norm, each up to a phase (LAPACK's)
            phase = np.sum(np.conj(o) * e, axis=-2, keepdims=True)
            o = o * phase / np.abs(phase)
        if o.dtype.kind in "fc":
            narrow = name == "mean" or prefix == "j"  # torch's mean, JAX's values: 32-bit
            tol = _tol(_NARROW.get(str(o.dtype), str(o.dtype)) if narrow else str(o.dtype))
            np.testing.assert_allclose(o, e, equal_nan=True, **tol)
        else:
            np.testing.assert_array_equal(o, e)


_NARROW = {"float64": "float32", "int64": "int32", "complex128": "complex64"}
_WIDE_INPUTS = {"f64", "i64", "c128", "sq_f64", "sq_c128", "pair_f64"}


@pytest.mark.parametrize("i", range(len(C.GRADIENTS)), ids=[g[0] for g in C.GRADIENTS])
def test_gradient_matches_torch(i, expected):
    name, keys = C.GRADIENTS[i]
    x = C.inputs()
    ts = [keras.Variable(x[k], dtype=x[k].dtype.name) for k in keys]
    with keras.GradientTape() as tape:
        out = getattr(keras.ops, name)(*ts)
        view = keras.ops.view_as_real(out) if out.dtype.kind == "c" else out
        loss = keras.ops.sum(view * C.weights(view.shape))
    with np.errstate(divide="ignore", invalid="ignore"):  # sqrt at 0: inf, as torch
        grads = tape.gradient(loss, ts)
    for k, g in enumerate(grads):
        want = expected[f"g{i}_{k}"]
        assert g.dtype == want.dtype
        tol = 1e-6 if name == "matmul" else 1e-10  # Keras on torch: matmul in complex64
        np.testing.assert_allclose(np.asarray(g), want, rtol=tol, atol=tol)
