"""Tests for minikeras/core/dtypes.py: Keras 3's type-promotion lattice (`result_type`, `promote`)."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras.core import dtypes

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "data", "keras", "result_type_k3.json")
PY = {"int": int, "float": float, "pybool": bool}


def _load():
    with open(FIXTURES) as f:
        return json.load(f)


def test_result_type_matches_keras_for_every_pair():
    """keras.backend.result_type over 16 x 16 dtype pairs (with Python int/float/bool), as Keras
    3.15.1 returned them (tests/data/keras/make_result_type_fixtures.py)."""
    data = _load()
    for key, expected in data["pairs"].items():
        a, b = key.split(",")
        if expected.startswith("ValueError"):
            with pytest.raises(ValueError):
                keras.backend.result_type(PY.get(a, a), PY.get(b, b))
        else:
            assert keras.backend.result_type(PY.get(a, a), PY.get(b, b)) == expected, key
    for name, expected in data["single"].items():
        assert keras.backend.result_type(PY.get(name, name)) == expected, name
    assert keras.backend.result_type() == data["empty"] == "float32"


def test_result_type_observed_values():
    """A few Keras 3.15.1 values written out: 64-bit results are reported as 32-bit types, int8 +
    uint8 -> int16, int64 + uint64 -> float32, bool + Python int -> int32."""
    r = keras.backend.result_type
    assert r("int64") == "int32" and r("float64", "float64") == "float32"
    assert r("int8", "uint8") == "int16"
    assert r("int64", "uint64") == "float32"
    assert r("bool", int) == "int32" and r("int8", float) == "float32"
    assert r("bfloat16", int) == "bfloat16" and r(None) == "float32"
    assert r(np.dtype("int16"), "float16") == "float16"
    with pytest.raises(ValueError, match="string"):
        r("string", "int32")


def test_promote_keeps_64_bit_types():
    """The ops' rule keeps int64/float64 (Keras on torch: add(int64, int64) -> int64), while the
    lattice is otherwise the same."""
    assert dtypes.promote("int64", "int64") == "int64"
    assert dtypes.promote("float64", "float32") == "float64"
    assert dtypes.promote("int64", "uint64") == "float32"


def test_ops_use_the_lattice_for_int_pairs():
    """add(int64, uint64) is float32 in Keras 3.15.1 (numpy would give float64); int8 + uint8 is
    int16."""
    a = np.ones(2, "int64")
    assert keras.ops.add(a, a.astype("uint64")).dtype == "float32"
    assert keras.ops.add(a.astype("int8"), a.astype("uint8")).dtype == "int16"


def test_bfloat16_through_ml_dtypes():
    """Keras 3 names bfloat16 "bfloat16" and holds it in numpy as `ml_dtypes.bfloat16` (its numpy
    backend does the same); float8 names likewise (keras.backend.standardize_dtype)."""
    import ml_dtypes  # the [bfloat16] extra (.ci/run installs it)

    assert dtypes.standardize_dtype("bfloat16") == "bfloat16"
    assert dtypes.standardize_dtype(ml_dtypes.bfloat16) == "bfloat16"
    assert dtypes.standardize_dtype(np.zeros(2, ml_dtypes.bfloat16).dtype) == "bfloat16"
    assert dtypes.standardize_dtype("float8_e4m3fn") == "float8_e4m3fn"
    assert dtypes.numpy_dtype("bfloat16") == np.dtype(ml_dtypes.bfloat16)
    assert dtypes.is_float("bfloat16") and dtypes.is_float(np.dtype(ml_dtypes.bfloat16))
    assert not dtypes.is_float("int8")
    # Keras's lattice: bfloat16 and float16 meet at float32; a Python float stays bfloat16
    assert keras.backend.result_type("bfloat16", "float16") == "float32"
    assert keras.backend.result_type("bfloat16", float) == "bfloat16"


def test_bfloat16_without_ml_dtypes_names_the_extra(monkeypatch):
    """Without ml_dtypes, asking for bfloat16 is an ImportError naming the extra to install."""
    import sys

    monkeypatch.setitem(sys.modules, "ml_dtypes", None)  # `import ml_dtypes` now raises
    monkeypatch.setattr(dtypes, "_NAMES", {})
    with pytest.raises(ImportError, match=r"minikeras\[bfloat16\]"):
        dtypes.standardize_dtype("bfloat16")
    with pytest.raises(ImportError, match="ml_dtypes"):
        dtypes.numpy_dtype("float8_e5m2")
    assert dtypes.standardize_dtype("float16") == "float16"
