"""Tests for minikeras/core/ops/special_math.py: values, dtypes and gradients against Keras 3.15.1
on jax (api16a_ops_k3.npz), float64 finite differences, tails and errors."""

import numpy as np
import pytest
from api16a_cases import cases, check_case

from helpers import check_grad
from minikeras import ops

NAMES = ("erfc", "erfinv", "i0", "isreal", "ldexp", "nextafter", "gcd", "lcm")


@pytest.mark.parametrize("case,args,kwargs,expected", cases(*NAMES))
def test_matches_keras3(case, args, kwargs, expected):
    check_case(case, args, kwargs, expected)


@pytest.mark.parametrize("name", ["erfc", "erfinv", "i0"])
def test_gradient_float64(name):
    x = np.random.default_rng(2).uniform(-0.9, 0.9, size=(3, 4))
    check_grad(getattr(ops, name), x)


def test_tails_and_edges():
    """erfc keeps relative precision where 1 - erf would round to 0 (Keras on jax: erfc(5) =
    1.5375e-12); erfinv is +-inf at +-1 and nan outside; i0 matches numpy at large x."""
    np.testing.assert_allclose(float(ops.erfc(np.float32(5.0))), 1.5374597e-12, rtol=1e-5)
    out = ops.erfinv(np.array([-1.0, 1.0, 1.5], "float32")).numpy()
    assert out[0] == -np.inf and out[1] == np.inf and np.isnan(out[2])
    x = np.array([0.0, 3.0, 40.0])
    np.testing.assert_allclose(ops.i0(x).numpy(), np.i0(x), rtol=1e-12)
    check_grad(ops.i0, np.array([-35.0, 31.0]), rtol=1e-5)


def test_errors():
    with pytest.raises(TypeError, match="gcd expects integer tensors.*float32"):
        ops.gcd(np.ones(2, "float32"), np.ones(2, "int32"))
    with pytest.raises(TypeError, match="ldexp: x2 must be an integer"):
        ops.ldexp(np.ones(2), np.ones(2))
