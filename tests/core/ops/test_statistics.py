"""Tests for minikeras/core/ops/statistics.py: values, dtypes and input gradients against Keras
3.15.1 on jax (api16a_ops_k3.npz), float64 finite differences and numpy's semantics where Keras
defers to them (argpartition, correlate with a longer second input)."""

import numpy as np
import pytest
from api16a_cases import cases, check_case

from helpers import check_grad
from minikeras import ops

NAMES = ("bincount", "histogram", "corrcoef", "correlate", "cross", "cdist")


@pytest.mark.parametrize("case,args,kwargs,expected", cases(*NAMES, "segment_min", "segment_prod"))
def test_matches_keras3(case, args, kwargs, expected):
    check_case(case, args, kwargs, expected)


@pytest.mark.parametrize(
    "fn",
    [
        ops.corrcoef,
        lambda x: ops.correlate(x[0], x[1, :3], mode="same"),
        lambda x: ops.cross(x[:, :3], x[:, 1:]),
        lambda x: ops.cross(x[:, :2], x[:, 2:]),
        lambda x: ops.cdist(x, x[:2] + 1.0),
        lambda x: ops.segment_min(x, np.array([0, 1, 1]), num_segments=2),
    ],
)
def test_gradient_float64(fn):
    check_grad(fn, np.random.default_rng(6).normal(size=(3, 4)))


def test_argpartition_partitions_as_keras():
    """Keras 3.15.1 returns int32 indices that put the kth smallest element in place (numpy's
    argpartition); which order the other elements take is unspecified."""
    x = np.random.default_rng(1).normal(size=(4, 9)).astype("float32")
    idx = ops.argpartition(x, 3, axis=1).numpy()
    assert idx.dtype == np.int32
    part = np.take_along_axis(x, idx, axis=1)
    np.testing.assert_array_equal(part[:, 3], np.sort(x, axis=1)[:, 3])
    assert (part[:, :3] <= part[:, 3:4]).all() and (part[:, 4:] >= part[:, 3:4]).all()


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_correlate_longer_second_input_as_numpy(mode):
    a, v = np.array([1.0, 2.0, 0.5]), np.array([0.3, -1.0, 2.0, 4.0, 1.0])
    out = ops.correlate(a, v, mode)  # float32, as Keras 3.15.1 (result_type narrows float64)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), np.correlate(a, v, mode), rtol=1e-6)


def test_bincount_2d_and_errors():
    x = np.array([[0, 2, 2], [1, 1, 0]], "int32")
    np.testing.assert_array_equal(
        ops.bincount(x, minlength=4).numpy(), [[1, 0, 2, 0], [1, 2, 0, 0]]
    )
    with pytest.raises(ValueError, match="bincount: sparse=True"):
        ops.bincount(x, sparse=True)
    with pytest.raises(ValueError, match="cross: the vectors must have 2 or 3 components"):
        ops.cross(np.ones(4), np.ones(3))
