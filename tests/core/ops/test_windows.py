"""Tests for minikeras/core/ops/windows.py: windows, spaced ranges and unravelled indices against
Keras 3.15.1 on jax (api16a_ops_k3.npz), and empty_like's shape/dtype."""

import numpy as np
import pytest
from api16a_cases import cases, check_case

from minikeras import ops

NAMES = ("bartlett", "blackman", "hamming", "hanning", "kaiser", "geomspace", "logspace")


@pytest.mark.parametrize("case,args,kwargs,expected", cases(*NAMES, "unravel_index"))
def test_matches_keras3(case, args, kwargs, expected):
    check_case(case, args, kwargs, expected)


def test_empty_like_and_namespace():
    """Keras 3.15.1: empty_like keeps shape and dtype (or takes dtype); all in keras.ops.numpy."""
    out = ops.empty_like(np.ones((2, 3), "int32"))
    assert out.shape == (2, 3) and out.dtype == np.int32
    assert ops.empty_like(np.ones(2), dtype="float16").dtype == np.float16
    for name in (*NAMES, "empty_like", "unravel_index"):
        assert getattr(ops.numpy, name) is getattr(ops, name)


def test_errors():
    with pytest.raises(ValueError, match="hamming expects an integer window length"):
        ops.hamming(2.5)
    with pytest.raises(TypeError, match="unravel_index expects integer indices"):
        ops.unravel_index(np.array([1.0]), (2, 2))
