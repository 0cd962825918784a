"""Tests for minikeras/core/ops/adaptive_pool.py: values, dtypes and input gradients against Keras
3.15.1 on jax (api16a_ops_k3.npz), float64 finite differences and Keras's namespace."""

import numpy as np
import pytest
from api16a_cases import cases, check_case

from helpers import check_grad
from minikeras import ops


@pytest.mark.parametrize(
    "case,args,kwargs,expected", cases("adaptive_average_pool", "adaptive_max_pool")
)
def test_matches_keras3(case, args, kwargs, expected):
    check_case(case, args, kwargs, expected)


@pytest.mark.parametrize("name", ["adaptive_average_pool", "adaptive_max_pool"])
@pytest.mark.parametrize(
    "shape,size", [((2, 7, 3), 3), ((1, 5, 6, 2), (4, 2)), ((1, 3, 4, 5, 1), 2)]
)
def test_gradient_float64(name, shape, size):
    x = np.random.default_rng(5).normal(size=shape)
    check_grad(lambda t: getattr(ops, name)(t, size), x)


def test_namespace_and_errors():
    """Keras 3.15.1 lists both in keras.ops.nn; a wrong output_size names the op and value."""
    assert ops.nn.adaptive_max_pool is ops.adaptive_max_pool
    assert "adaptive_average_pool" in ops.nn.__all__
    with pytest.raises(ValueError, match="adaptive_max_pool.*output_size=\\(2, 2, 2\\)"):
        ops.adaptive_max_pool(np.zeros((1, 4, 4, 1)), (2, 2, 2))
