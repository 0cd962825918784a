"""Tests for minikeras/core/ops/transforms.py: saturate_cast and view against Keras 3.15.1 on jax
(api16a_ops_k3.npz); vectorize and jvp against Keras 3.15.1's documented results."""

import numpy as np
import pytest
from api16a_cases import cases, check_case

from minikeras import ops


@pytest.mark.parametrize("case,args,kwargs,expected", cases("saturate_cast", "view"))
def test_matches_keras3(case, args, kwargs, expected):
    check_case(case, args, kwargs, expected)


def test_vectorize_elementwise_and_with_signature():
    """Keras 3.15.1 (observed on torch): vectorize(lambda a, b: a + b) adds elementwise; with
    signature '(d),(d)->()' it maps a dot product over rows."""
    add = ops.vectorize(lambda a, b: a + b)
    np.testing.assert_allclose(add([1.0, 2.0], [[10.0], [20.0]]).numpy(), [[11, 12], [21, 22]])
    dot = ops.vectorize(lambda a, b: ops.sum(a * b), signature="(d),(d)->()")
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(dot(x, np.ones(3)).numpy(), [3.0, 12.0])


def test_jvp_matches_jax_semantics():
    """keras.ops.jvp(f, primals, tangents) = (f(x), J(x) t), as jax.jvp; with has_aux the aux
    value comes third (Keras 3.15.1 docstring)."""
    x = np.array([0.5, -1.0, 2.0])
    t = np.array([1.0, 0.5, -2.0])
    y, dy = ops.jvp(lambda a: ops.sin(a) * a, (x,), (t,))
    np.testing.assert_allclose(y.numpy(), np.sin(x) * x)
    np.testing.assert_allclose(dy.numpy(), (np.cos(x) * x + np.sin(x)) * t)
    out = ops.jvp(lambda a, b: (ops.sum(a * b), "aux"), (x, x), (t, t), has_aux=True)
    np.testing.assert_allclose(float(out[1]), 2 * np.sum(x * t))
    assert out[2] == "aux"
    assert ops.linalg.jvp is ops.jvp
    with pytest.raises(ValueError, match="jvp: primals and tangents"):
        ops.jvp(ops.sin, (x,), ())


def test_saturate_cast_to_bool_and_bfloat16_as_keras():
    """Keras 3.15.1 (torch and jax): bool clips to [0, 1] first, inf saturates in bfloat16."""
    x = np.array([-1.7, 2.5, 300.2, np.inf], "float32")
    assert ops.saturate_cast(x, "bool").numpy().tolist() == [False, True, True, True]
    out = ops.saturate_cast(x, "bfloat16").numpy().astype("float32")
    assert np.isfinite(out).all() and out[-1] > 3e38


def test_python_ints_beyond_int32_stay_int64():
    assert ops.convert_to_tensor(2**40).dtype == np.int64  # Keras on torch; no wrap-around
    assert ops.convert_to_tensor(2**40).numpy() == 2**40
    assert ops.convert_to_tensor([1, 2]).dtype == np.int32
