"""keras.ops against Keras 3.15.1 (torch backend; `make_fixtures.py`): each case of
`ops_cases.py` gives the same output dtypes, shapes and values, or raises the same exception
type, and each op shared with Keras has Keras's signature. Where Keras's JAX backend answers
differently from its torch backend (the case's `jax` entry), either answer is accepted."""

import inspect
import json
import os
import warnings

import numpy as np
import pytest

import minikeras as keras

import ops_cases as C

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "ops_k3.json")) as f:
    DOC = json.load(f)
CASES = C.cases()
assert len(CASES) == len(DOC["cases"]), "ops_cases.py changed: rerun make_fixtures.py"

# signatures that differ on purpose: {name: reason}
SIGNATURE_EXCEPTIONS = {}
# Keras 3 op names minikeras lacks (README's ops row)
MISSING = set()


def op_of(name):
    mod = keras.ops
    for part in name.split(".")[:-1]:
        mod = getattr(mod, part)
    return getattr(mod, name.split(".")[-1])


def _close(o, e):
    if o.dtype.kind == "f" and e.dtype.kind == "f" and o.shape == e.shape:
        return np.allclose(o.astype("float64"), e.astype("float64"), **_tol(str(e.dtype)))
    return o.shape == e.shape and np.array_equal(o, e)


def _tol(dtype):
    if dtype == "float64":  # Keras's torch mean/erfc/... of float64 compute in float32
        return {"rtol": 1e-6, "atol": 1e-7}
    if dtype in ("float16", "bfloat16"):
        return {"rtol": 2e-3, "atol": 2e-3}
    return {"rtol": 1e-5, "atol": 1e-6}


@pytest.fixture(scope="module")
def expected():
    with np.load(os.path.join(HERE, "ops_k3.npz")) as data:
        return dict(data)


def _ids():
    return [f"{i}-{c['name']}" for i, c in enumerate(DOC["cases"])]


@pytest.mark.parametrize("i", range(len(CASES)), ids=_ids())
def test_op_matches_keras(i, expected):
    name, args, kwargs = CASES[i]
    want = DOC["cases"][i]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # log(0), 0/0: Keras gives inf/nan too
        try:
            got = op_of(name)(*C.arrays(args, seed=i), **kwargs)
        except Exception as e:  # noqa: BLE001
            allowed = {want.get("error"), want.get("jax", {}).get("error")} - {None}
            if len(allowed) == 2 and "dtypes" not in want and "dtypes" not in want["jax"]:
                return  # both backends raise, each its own type: any exception is Keras's
            if allowed == {"AttributeError"}:
                return  # Keras crashes (softmax of a Python float: 'float' has no .shape)
            names = {t.__name__ for t in type(e).__mro__}  # numpy's AxisError is both
            assert names & allowed, f"raised {type(e).__name__}: {e}; Keras: {want}"
            return
    assert "error" not in want or "dtypes" in want.get("jax", {}), f"Keras raised {want}"
    outs = list(got) if want.get("multi") else [got]
    dtypes = [str(np.asarray(o).dtype) for o in outs]
    allowed = [want.get("dtypes"), want.get("jax", {}).get("dtypes")]
    assert dtypes in allowed, f"dtypes {dtypes}; Keras {allowed}"
    for k, o in enumerate(outs):
        o = np.asarray(o)
        if f"y{i}_{k}" not in expected:
            continue
        e = expected[f"y{i}_{k}"]
        if want.get("jax", {}).get("values") and not _close(o, e):
            e = expected[f"j{i}_{k}"]  # Keras's JAX backend computes differently: its values
        if list(o.shape) != want["shapes"][k]:  # JAX's shape (keepdims with axis=None)
            assert list(o.shape) == want["jax"]["shapes"][k], (o.shape, want)
            continue
        if o.dtype.kind == "f" and e.dtype.kind == "f":
            tol = _tol(str(e.dtype) if e.dtype == o.dtype else "float16")
            np.testing.assert_allclose(o.astype("float64"), e.astype("float64"), **tol)
        else:
            np.testing.assert_array_equal(o, e)


def _signature(fn):
    return [
        [p.name, p.kind.name, repr(p.default)] for p in inspect.signature(fn).parameters.values()
    ]


SHARED = sorted(n for n in DOC["signatures"] if n.split(".")[-1] not in MISSING)


@pytest.mark.parametrize("name", SHARED)
def test_signature_matches_keras(name):
    fn = op_of(name)
    if name.split(".")[-1] not in SIGNATURE_EXCEPTIONS:
        assert _signature(fn) == DOC["signatures"][name]


def test_the_missing_ops_are_the_listed_ones():
    absent = {n.split(".")[-1] for n in DOC["signatures"] if not _has(n)}
    assert absent == MISSING


def _has(name):
    try:
        op_of(name)
    except AttributeError:
        return False
    return True
