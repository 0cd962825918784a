"""Tests for minikeras/core/dtypes.py: Keras 3's type-promotion lattice (`result_type`, `promote`)."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras.core import dtypes

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "data", "keras", "result_type_k3.json")
PY = {"int": int, "float": float, "pybool": bool, "pycomplex": complex}


def _load():
    with open(FIXTURES) as f:
        return json.load(f)


def test_result_type_matches_keras_for_every_pair():
    """keras.backend.result_type over 19 x 19 dtype pairs (with complex64/complex128 and Python
    int/float/bool/complex), as Keras 3.15.1 returned them
    (tests/data/keras/make_result_type_fixtures.py)."""
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


def test_complex_in_the_lattice():
    """complex64/complex128 sit above float32/float64 and Python ints (Keras 3.15.1): result_type
    narrows complex128 to complex64, as on jax/torch; the ops' rule keeps it (torch: complex64 +
    float64 -> complex128), and a Python complex is complex64 (not weak)."""
    r = keras.backend.result_type
    assert r("complex64", "float64") == r("complex128") == r(complex, "int8") == "complex64"
    assert dtypes.promote("complex64", "float64") == "complex128"
    assert dtypes.promote("complex64", "int64") == dtypes.promote(float, complex) == "complex64"
    assert keras.backend.standardize_dtype(complex) == "complex64"
    assert dtypes.is_complex("complex128") and not dtypes.is_complex(np.dtype("float64"))


def test_complex_conversions_and_casts():
    """As Keras 3.15.1 on torch: complex arrays keep their dtype, Python complex numbers (and
    lists of them) become complex64; a cast to a real dtype keeps the real part, to bool tests
    both parts; complex operands of the arithmetic ops take Keras's dtype (int32 + complex64 is
    complex64, numpy would say complex128)."""
    z = np.array([1 + 2j, 3 - 4j, 2j])
    ctt = keras.ops.convert_to_tensor
    assert ctt(z).dtype == "complex128" and ctt(z.astype("complex64")).dtype == "complex64"
    assert ctt(1 + 2j).dtype == ctt([1j, 2]).dtype == "complex64"
    assert ctt(z, dtype="float32").numpy().tolist() == [1.0, 3.0, 0.0]
    cast = keras.ops.cast
    assert cast(z, "float32").numpy().tolist() == [1.0, 3.0, 0.0]
    assert cast(z, "int32").numpy().tolist() == [1, 3, 0]
    assert cast(z, "bool").numpy().tolist() == [True, True, True]
    assert cast(np.array([1.5, 0.0], "float32"), "complex64").numpy().tolist() == [1.5, 0j]
    i32 = np.array([1, 2], "int32")
    assert keras.ops.add(i32, z[:2].astype("complex64")).dtype == "complex64"
    assert keras.ops.multiply(i32, 1j).dtype == "complex64"
    assert keras.ops.add(np.ones(2), 1j).dtype == "complex128"  # float64 + complex: torch's
    assert (keras.ops.convert_to_tensor(z) + 1).dtype.name == "complex128"
