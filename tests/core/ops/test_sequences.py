"""Tests for minikeras/core/ops/sequences.py: extract_sequences, unfold/fold and rearrange against
Keras 3.15.1 on jax (api16a_ops_k3.npz), float64 finite differences, fold as unfold's adjoint."""

import numpy as np
import pytest
from api16a_cases import cases, check_case

import minikeras as keras
from helpers import check_grad
from minikeras import ops

NAMES = ("extract_sequences", "unfold", "fold", "rearrange")


@pytest.mark.parametrize("case,args,kwargs,expected", cases(*NAMES))
def test_matches_keras3(case, args, kwargs, expected):
    check_case(case, args, kwargs, expected)


@pytest.mark.parametrize(
    "fn,shape",
    [
        (lambda x: ops.extract_sequences(x, 3, 2), (2, 7)),
        (lambda x: ops.unfold(x, 2, dilation=(1, 2), padding=1, stride=(2, 1)), (1, 2, 4, 5)),
        (lambda x: ops.fold(x, (3, 4), 2, padding=1), (1, 8, 20)),
        (lambda x: ops.rearrange(x, "b (h c) -> c b h", c=2), (3, 4)),
    ],
)
def test_gradient_float64(fn, shape):
    check_grad(fn, np.random.default_rng(7).normal(size=shape))


def test_fold_is_the_adjoint_of_unfold():
    """<unfold(x), y> == <x, fold(y)>: col2im sums what im2col copies (Keras's documented
    relation)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 6, 5))
    kw = {"kernel_size": (3, 2), "dilation": (1, 2), "padding": 1, "stride": 2}
    cols = ops.unfold(x, **kw).numpy()
    y = rng.normal(size=cols.shape)
    back = ops.fold(y, (6, 5), **kw).numpy()
    np.testing.assert_allclose(np.sum(cols * y), np.sum(x * back), rtol=1e-10)


def test_namespaces_symbolic_and_errors():
    assert ops.nn.fold is ops.fold and ops.nn.unfold is ops.unfold
    inp = keras.Input((4, 6))
    out = ops.rearrange(inp, "b h w -> b w h")
    assert tuple(out.shape) == (None, 6, 4)
    with pytest.raises(ValueError, match="rearrange: pattern 'a b -> b' names 2 axes|same axes"):
        ops.rearrange(np.zeros((2, 3)), "a b -> b")
    with pytest.raises(ValueError, match="unfold: input must be a 4D tensor"):
        ops.unfold(np.zeros((2, 3, 4)), 2)
