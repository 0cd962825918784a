"""Tests for minikeras/quantizers/quantizers.py and int4_packing.py against Keras 3.15.1.

`keras_quantizers.npz` holds what real Keras 3.15.1 (torch backend) returned for the same
inputs (`make_keras_fixtures.py`). Integer results must match exactly; float scales and
dequantized values to float32 rounding (rtol 1e-6), the same operations in the same order.
"""

import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import quantizers as Q

K = np.load(os.path.join(os.path.dirname(__file__), "keras_quantizers.npz"))


def _np(t):
    return t.numpy() if hasattr(t, "numpy") else np.asarray(t)


@pytest.mark.parametrize(
    "case, axis, value_range",
    [
        ("amq_last", -1, (-127, 127)),
        ("amq_first", 0, (-127, 127)),
        ("amq_both", (0, 1), (-127, 127)),
        ("amq_int4", -1, (-8, 7)),
    ],
)
def test_abs_max_quantize_matches_keras(case, axis, value_range):
    """Keras 3.15.1: values, int8 dtype, the scale's kept axes, the all-zero row (epsilon)."""
    q, scale = Q.abs_max_quantize(K["x"], axis=axis, value_range=value_range)
    assert q.dtype == np.int8 and scale.dtype == np.float32
    np.testing.assert_array_equal(_np(q), K[f"{case}/q"])
    assert scale.shape == K[f"{case}/scale"].shape
    np.testing.assert_allclose(_np(scale), K[f"{case}/scale"], rtol=1e-6)


def test_abs_max_quantizer_call_matches_keras():
    """AbsMaxQuantizer()(x) quantizes over the last axis by default (Keras 3.15.1)."""
    q, scale = Q.AbsMaxQuantizer()(K["x"])
    np.testing.assert_array_equal(_np(q), K["absmax_call/q"])
    np.testing.assert_allclose(_np(scale), K["absmax_call/scale"], rtol=1e-6)


def test_float64_reference_agreement():
    """Against a float64 reference: dequantized int8 values are within half a step
    (max|x| / 127 / 2 per row) of the input."""
    x = K["x"].astype(np.float64)
    q, scale = Q.abs_max_quantize(K["x"], axis=-1)
    back = _np(q) / _np(scale).astype(np.float64)
    step = np.max(np.abs(x), axis=-1, keepdims=True) / 127
    assert np.all(np.abs(back - x) <= step / 2 + 1e-6)


@pytest.mark.parametrize("path", ["numpy", "tensor"])
def test_grouped_with_zero_point_matches_keras(path):
    """abs_max_quantize_grouped_with_zero_point(w (300, 6), 128): 3 groups, int8 zero points;
    Keras 3.15.1's host (`to_numpy=True`, what its layers call) and device paths both match."""
    q, scale, zero = Q.abs_max_quantize_grouped_with_zero_point(K["w"], 128)
    assert scale.shape == (3, 6) and zero.dtype == np.int8
    np.testing.assert_array_equal(_np(q), K[f"grouped_{path}/q"])
    np.testing.assert_array_equal(_np(zero), K[f"grouped_{path}/zero"])
    np.testing.assert_allclose(_np(scale), K[f"grouped_{path}/scale"], rtol=1e-6)


@pytest.mark.parametrize(
    "case, lo, hi, bits, narrow, axis",
    [
        ("fq_tensor", -1.0, 1.5, 8, False, None),
        ("fq_narrow", -0.7, 2.1, 8, True, None),
        ("fq_bits4", -1.2, 0.9, 4, False, None),
        ("fq_channel", [-1.0, -0.3, -2.0], [1.0, 0.8, 0.5], 8, False, -1),
    ],
)
def test_fake_quant_matches_keras(case, lo, hi, bits, narrow, axis):
    """Values and the gradients for inputs, min and max (Keras's custom gradient, via torch)."""
    x = keras.Variable(K["fx"])
    lo_v = keras.Variable(np.asarray(lo, "float32"))
    hi_v = keras.Variable(np.asarray(hi, "float32"))
    with keras.GradientTape() as tape:
        y = Q.fake_quant_with_min_max_vars(
            x, lo_v, hi_v, num_bits=bits, narrow_range=narrow, axis=axis
        )
        loss = keras.ops.sum(y * K["fx_upstream"])
    dx, dmin, dmax = tape.gradient(loss, [x, lo_v, hi_v])
    np.testing.assert_allclose(_np(y), K[f"{case}/y"], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(_np(dx), K[f"{case}/dx"], rtol=1e-6)
    np.testing.assert_allclose(_np(dmin), K[f"{case}/dmin"], rtol=1e-6)
    np.testing.assert_allclose(_np(dmax), K[f"{case}/dmax"], rtol=1e-6)


def test_float8_helpers_match_keras():
    """compute_float8_scale (amax 0 and inf keep the old scale), compute_float8_amax_history
    (roll left, newest in slot 0) and quantize_and_dequantize for e4m3fn / e5m2 (Keras 3.15.1)."""
    m0 = Q.compute_float8_scale(K["amax"], K["f8scale_in"], 448.0)
    m1 = Q.compute_float8_scale(K["amax"], K["f8scale_in"], 57344.0, margin=1)
    np.testing.assert_allclose(_np(m0), K["f8scale/m0"], rtol=1e-6)
    np.testing.assert_allclose(_np(m1), K["f8scale/m1"], rtol=1e-6)
    new = Q.compute_float8_amax_history(K["x"], K["history"])
    np.testing.assert_array_equal(_np(new), K["amax_history/new"])
    e4 = Q.quantize_and_dequantize(K["big"], 0.5, "float8_e4m3fn", "float32")
    e5 = Q.quantize_and_dequantize(K["big"], 3.0, "float8_e5m2", "float32")
    np.testing.assert_array_equal(_np(e4), K["qdq/e4m3"])
    np.testing.assert_array_equal(_np(e5), K["qdq/e5m2"])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_pack_unpack_int4_matches_keras(axis):
    """Keras 3.15.1's nibble layout (low nibble first, odd lengths zero-padded) on each axis."""
    packed, shape, n = Q.pack_int4(K["ints"], axis=axis)
    np.testing.assert_array_equal(_np(packed), K[f"pack_axis{axis}/packed"])
    assert shape == K[f"pack_axis{axis}/packed"].shape and n == K["ints"].shape[axis]
    np.testing.assert_array_equal(_np(Q.unpack_int4(packed, n, axis=axis)), K["ints"])


def test_pack_unpack_uint8_and_errors():
    """uint8 nibbles round-trip unsigned; wrong dtypes raise Keras's errors."""
    packed, _, n = Q.pack_int4(K["nibbles"], axis=0, dtype="uint8")
    np.testing.assert_array_equal(_np(packed), K["pack_uint8/packed"])
    np.testing.assert_array_equal(_np(Q.unpack_int4(packed, n, dtype="uint8")), K["nibbles"])
    with pytest.raises(TypeError, match="Expected int8 tensor for packing, got int32"):
        Q.pack_int4(np.zeros((2, 2), "int32"))
    with pytest.raises(ValueError, match="Expected dtype to be 'int8' or 'uint8'"):
        Q.pack_int4(np.zeros((2, 2), "int8"), dtype="int4")
