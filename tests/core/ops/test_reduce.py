"""Tests for minikeras/core/ops/reduce.py, cumulative.py and nan_reduce.py: values against numpy, float64 gradients, dtypes."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from helpers import check_grad, randn
from minikeras import ops
from minikeras.core import dtypes
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(autouse=True)
def _float64_kept():
    """Values and gradients in float64: prod/var/median/cumsum/norm/... keep 64 bits here, which
    Keras 3 narrows to 32 (tests/ops/parity checks those dtypes against Keras)."""
    with dtypes.keep_64bit():
        yield


AXES = [None, 0, 1, -1, (0, 2), (-1, 0), (0, 1, 2), ()]


def np_logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def np_var(x, axis=None, keepdims=False):
    mu = np.sum(x, axis=axis, keepdims=True) / (np.size(x) / np.size(np.sum(x, axis=axis)))
    return np.sum((x - mu) ** 2, axis=axis, keepdims=keepdims) / (
        np.size(x) / np.size(np.sum(x, axis=axis))
    )


REDUCTIONS = {
    "sum": (ops.sum, np.sum),
    "mean": (ops.mean, np.mean),
    "max": (ops.max, np.max),
    "min": (ops.min, np.min),
    "prod": (ops.prod, np.prod),
    "var": (ops.var, np_var),
    "std": (ops.std, lambda x, axis=None, keepdims=False: np.sqrt(np_var(x, axis, keepdims))),
    "logsumexp": (ops.logsumexp, np_logsumexp),
}


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_values_and_grads(name, axis, keepdims):
    op, ref = REDUCTIONS[name]
    if name == "std" and axis == ():
        pytest.skip("std over no axis is |x - x| = 0, which has no derivative")
    x = randn(2, 3, 4, seed=5)
    out = op(x, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.numpy(), ref(x, axis=axis, keepdims=keepdims), rtol=1e-12)
    check_grad(lambda t: op(t, axis=axis, keepdims=keepdims), x)


def test_aliases():
    x = randn(3, 4)
    np.testing.assert_array_equal(ops.amax(x, axis=0).numpy(), x.max(0))
    np.testing.assert_array_equal(ops.amin(x, axis=1).numpy(), x.min(1))
    np.testing.assert_array_equal(ops.true_divide(x, 2.0).numpy(), x / 2.0)
    check_grad(lambda t: ops.amax(t, axis=0), x)
    check_grad(lambda t: ops.amin(t, axis=1), x)


def test_prod_with_zero_entries():
    x = np.array([[2.0, 0.0, 3.0], [1.5, -2.0, 0.5]])
    np.testing.assert_allclose(ops.prod(x, axis=1).numpy(), [0.0, -1.5])
    check_grad(lambda t: ops.prod(t, axis=1), x)
    check_grad(lambda t: ops.prod(t), x)
    t = Tensor(x, requires_grad=True)
    (g,) = gradients(ops.prod(t, axis=1), [t])
    np.testing.assert_allclose(g[0], [0.0, 6.0, 0.0])  # only the zero entry sees 2 * 3
    x2 = np.array([0.0, 4.0, 0.0])
    t2 = Tensor(x2, requires_grad=True)
    (g2,) = gradients(ops.prod(t2), [t2])
    np.testing.assert_array_equal(g2, [0.0, 0.0, 0.0])


def test_max_ties_share_the_gradient():
    t = Tensor(np.array([[1.0, 3.0, 3.0], [0.0, -1.0, 2.0]]), requires_grad=True)
    (g,) = gradients(ops.max(t, axis=1), [t])
    np.testing.assert_allclose(g, [[0, 0.5, 0.5], [0, 0, 1]])
    (g,) = gradients(ops.min(t), [t])
    np.testing.assert_allclose(g, [[0, 0, 0], [0, 1, 0]])


def test_max_initial_and_empty_axis():
    x = np.array([[-1.0, -2.0], [3.0, 0.5]])
    np.testing.assert_array_equal(ops.max(x, axis=1, initial=0.0).numpy(), [0.0, 3.0])
    t = Tensor(x, requires_grad=True)
    (g,) = gradients(ops.max(t, axis=1, initial=0.0), [t])
    np.testing.assert_array_equal(g, [[0, 0], [1, 0]])
    assert ops.max(np.zeros((0, 3)), axis=1).shape == (0,)
    with pytest.raises(ValueError, match=r"max.*empty.*\(0, 3\)"):
        ops.max(np.zeros((0, 3)), axis=0)


def test_mean_of_integers_is_floatx_and_sum_keeps_int32():
    x = np.array([[1, 2], [3, 4]], "int32")
    assert ops.mean(x).dtype == np.float32 and float(ops.mean(x)) == 2.5
    assert ops.sum(x, axis=0).dtype == np.int32
    assert ops.prod(x).dtype == np.int32 and int(ops.prod(x)) == 24
    assert ops.sum(np.array([True, True, False])).dtype == np.int32
    assert ops.cumsum(x).dtype == np.int32
    assert ops.var(x).dtype == np.float32 and float(ops.var(x)) == 1.25
    assert ops.std(x, axis=0).dtype == np.float32


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reductions_keep_float_dtype(name, dtype):
    out = REDUCTIONS[name][0](randn(3, 4, dtype=dtype), axis=1)
    assert out.dtype == np.dtype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_other_reductions_keep_float_dtype(dtype):
    x = randn(3, 4, dtype=dtype)
    for out in [
        ops.cumsum(x, axis=1),
        ops.cumprod(x, axis=0),
        ops.norm(x),
        ops.norm(x, ord=1),
        ops.average(x, axis=1, weights=np.ones(4, dtype)),
        ops.median(x, axis=0),
        ops.norm(x, ord=np.inf, axis=(0, 1)),
    ]:
        assert out.dtype == np.dtype(dtype)


def test_argmax_argmin():
    x = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]])
    np.testing.assert_array_equal(ops.argmax(x, axis=1).numpy(), [1, 0])
    np.testing.assert_array_equal(ops.argmin(x, axis=0).numpy(), [0, 1, 0])
    assert int(ops.argmax(x)) == 3
    assert ops.argmax(x).dtype == np.int32
    assert ops.argmax(x, axis=1, keepdims=True).shape == (2, 1)
    assert ops.argmax(x, keepdims=True).shape == (1, 1)


def test_any_all_count_nonzero():
    x = np.array([[0, 1, 0], [0, 0, 0]])
    np.testing.assert_array_equal(ops.any(x, axis=1).numpy(), [True, False])
    np.testing.assert_array_equal(ops.all(x == 0, axis=0).numpy(), [True, False, True])
    assert int(ops.count_nonzero(x)) == 1
    np.testing.assert_array_equal(ops.count_nonzero(x, axis=1).numpy(), [1, 0])


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_cumsum_values_and_grads(axis):
    x = randn(3, 4)
    ref = np.cumsum(x.reshape(-1)) if axis is None else np.cumsum(x, axis=axis)
    np.testing.assert_allclose(ops.cumsum(x, axis=axis).numpy(), ref)
    check_grad(lambda t: ops.cumsum(t, axis=axis), x)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_cumprod_values_and_grads_with_zeros(axis):
    x = np.array([[1.5, 0.0, -2.0, 0.0], [0.5, 2.0, 0.0, 3.0], [1.2, -0.7, 0.9, 1.1]])
    flat = x.reshape(-1) if axis is None else x
    ref = np.cumprod(flat, axis=0 if axis is None else axis)
    np.testing.assert_allclose(ops.cumprod(x, axis=axis).numpy(), ref)
    check_grad(lambda t: ops.cumprod(t, axis=axis), x)
    check_grad(lambda t: ops.cumprod(t, axis=axis), randn(3, 4))


@pytest.mark.parametrize(
    "ord,axis",
    [
        (None, None),
        (None, 1),
        (2, 0),
        (1, -1),
        (np.inf, 1),
        (-np.inf, 1),
        (3, 1),
        (0.5, 0),
        ("fro", (0, 1)),
        (1, (0, 1)),
        (np.inf, (0, 1)),
        (-1, (1, 0)),
        (None, (1, 0)),
    ],
)
def test_norm_matches_numpy(ord, axis):
    x = randn(3, 4, seed=7)
    out = ops.norm(x, ord=ord, axis=axis)
    np.testing.assert_allclose(out.numpy(), np.linalg.norm(x, ord=ord, axis=axis), rtol=1e-12)
    check_grad(lambda t: ops.norm(t, ord=ord, axis=axis), x)
    kept = ops.norm(x, ord=ord, axis=axis, keepdims=True)
    assert kept.shape == np.linalg.norm(x, ord=ord, axis=axis, keepdims=True).shape


def test_norm_rejects_unsupported_orders():
    with pytest.raises(ValueError, match="ord"):
        ops.norm(np.ones((2, 2)), ord="nuc")
    with pytest.raises(ValueError, match="ord"):
        ops.norm(np.ones((2, 2)), ord=2, axis=(0, 1))


def test_average_and_median():
    x = randn(3, 4)
    w = np.array([1.0, 2.0, 0.5, 3.0])
    np.testing.assert_allclose(
        ops.average(x, axis=1, weights=w).numpy(), (x * w).sum(1) / w.sum(), rtol=1e-12
    )
    np.testing.assert_allclose(ops.average(x).numpy(), x.mean())
    check_grad(lambda t, u: ops.average(t, axis=1, weights=u), x, w)
    np.testing.assert_allclose(ops.median(x).numpy(), np.median(x))
    np.testing.assert_allclose(ops.median(x, axis=0).numpy(), np.median(x, axis=0))
    np.testing.assert_allclose(
        ops.median(x, axis=1, keepdims=True).numpy(), np.median(x, axis=1, keepdims=True)
    )
    check_grad(lambda t: ops.median(t, axis=1), x)
    with pytest.raises(ValueError, match="weights"):
        ops.average(x, axis=1, weights=np.ones(3))


def test_sum_and_mean_of_empty_arrays():
    assert ops.sum(np.zeros((0, 3)), axis=0).numpy().tolist() == [0.0, 0.0, 0.0]
    assert ops.mean(np.zeros((0, 3)), axis=1).shape == (0,)
    assert float(ops.prod(np.zeros((0,)))) == 1.0


def test_axis_out_of_range():
    with pytest.raises(ValueError, match="axis 2"):
        ops.sum(np.ones((2, 3)), axis=2)


# -- properties -------------------------------------------------------------------------------


@st.composite
def array_and_axis(draw, min_side=1):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=min_side, max_side=4))
    x = draw(hnp.arrays(np.float64, shape, elements=st.floats(-100, 100, width=64)))
    axes = draw(st.lists(st.integers(0, len(shape) - 1), unique=True, max_size=len(shape)))
    axis = draw(st.sampled_from([None, tuple(axes)] + ([axes[0]] if axes else [])))
    return x, axis, draw(st.booleans())


@settings(max_examples=60, deadline=None, derandomize=True)
@given(array_and_axis())
def test_property_reductions_match_numpy(case):
    x, axis, keepdims = case
    for op, ref in [(ops.sum, np.sum), (ops.mean, np.mean), (ops.max, np.max), (ops.min, np.min)]:
        out = op(x, axis=axis, keepdims=keepdims)
        np.testing.assert_allclose(out.numpy(), ref(x, axis=axis, keepdims=keepdims), rtol=1e-10)
        assert out.dtype == np.float64


@settings(max_examples=30, deadline=None, derandomize=True)
@given(array_and_axis(min_side=0))
def test_property_sum_handles_empty_arrays(case):
    x, axis, keepdims = case
    out = ops.sum(x, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.numpy(), np.sum(x, axis=axis, keepdims=keepdims))


@settings(max_examples=30, deadline=None, derandomize=True)
@given(array_and_axis())
def test_property_sum_gradient_is_ones(case):
    x, axis, keepdims = case
    t = Tensor(x, requires_grad=True)
    (g,) = gradients(ops.sum(t, axis=axis, keepdims=keepdims), [t])
    np.testing.assert_array_equal(g, np.ones_like(x))


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("contiguous", [True, False])
@pytest.mark.parametrize("axis", [(1, 2), (2, 1), 1, (1, 2, 3)], ids=str)
def test_sum_and_mean_over_middle_axes(axis, contiguous, dtype):
    # (b, h, w, c) over h and w is global average pooling; it takes an einsum fast path
    x = randn(3, 5, 4, 6, 2, seed=9).astype(dtype)
    if not contiguous:
        x = x[:, :, ::-1].transpose(0, 2, 1, 3, 4)
    exact = x.astype(np.float64)
    for op, ref in ((ops.sum, np.sum), (ops.mean, np.mean)):
        for keepdims in (False, True):
            out = op(x, axis=axis, keepdims=keepdims).numpy()
            assert out.dtype == np.dtype(dtype)
            want = ref(exact, axis=axis, keepdims=keepdims)
            # a float sum of n terms is within about n * eps * sum|x| of the exact one
            bound = 30 * np.finfo(dtype).eps * ref(np.abs(exact), axis=axis, keepdims=keepdims)
            assert np.all(np.abs(out - want) <= bound)
    check_grad(lambda t: ops.mean(t, axis=axis), randn(3, 5, 4, 2, seed=2))


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", ["int8", "int16", "uint8", "int32", "float16"])
def test_scans_keep_the_input_dtype(name, dtype):
    """Keras 3.15.1 (numpy, jax and torch backends): cumsum/cumprod of int8 stay int8 (unlike
    sum(int8), which is int32), of bool give int32."""
    x = np.array([[1, 2], [3, 1]], dtype)
    assert getattr(ops, name)(x).dtype == dtype
    assert getattr(ops, name)(x, axis=0).dtype == dtype
    assert getattr(ops, name)(x > 1).dtype == "int32"
    assert ops.sum(np.ones(3, "int8")).dtype == "int32"  # unchanged: Keras sums int8 in int32


def test_count_nonzero_is_int32():
    """Keras 3.15.1's numpy and jax backends give int32 (torch: int64); minikeras follows numpy."""
    y = ops.count_nonzero(np.array([[0, 1], [2, 3]], "int8"), axis=1)
    assert y.dtype == "int32" and y.numpy().tolist() == [1, 2]
    assert ops.count_nonzero(np.array([True, False])).dtype == "int32"


# Keras 3.15.1 (jax) on X_NAN: (all axes, axis=1), values and dtypes
X_NAN = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, 2.0]], "float32")
NAN_KERAS = {
    "nansum": (6.0, [4.0, 2.0]),
    "nanmean": (2.0, [2.0, 2.0]),
    "nanmax": (3.0, [3.0, 2.0]),
    "nanmin": (1.0, [1.0, 2.0]),
    "nanprod": (6.0, [3.0, 2.0]),
    "nanstd": (0.8164966106414795, [1.0, 0.0]),
    "nanvar": (0.6666666865348816, [1.0, 0.0]),
    "nanargmax": (2, [2, 2]),
    "nanargmin": (0, [0, 2]),
    "nancumsum": ([1.0, 1.0, 4.0, 4.0, 4.0, 6.0], [[1.0, 1.0, 4.0], [0.0, 0.0, 2.0]]),
    "nancumprod": ([1.0, 1.0, 3.0, 3.0, 3.0, 6.0], [[1.0, 1.0, 3.0], [1.0, 1.0, 2.0]]),
}


@pytest.mark.parametrize("name", sorted(NAN_KERAS))
def test_nan_reductions_match_keras(name):
    fn = getattr(ops, name)
    every, along = NAN_KERAS[name]
    dtype = "int32" if "arg" in name else "float32"
    for got, want in [(fn(X_NAN), every), (fn(X_NAN, axis=1), along)]:
        assert got.dtype == dtype
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)


def test_nan_reductions_int_dtypes_all_nan_and_gradients():
    """Keras 3.15.1: int32 input gives int32 (nansum/nanmax/nanprod) or float32 (nanmean/nanstd);
    an all-NaN slice gives NaN (numpy); NaN entries get no gradient."""
    i = np.array([[1, 2, 3]], "int32")
    assert ops.nansum(i).dtype == "int32" and ops.nanmax(i).dtype == "int32"
    assert ops.nanprod(i).dtype == "int32"
    assert ops.nanmean(i).dtype == "float32" and ops.nanstd(i).dtype == "float32"
    assert np.isnan(ops.nanmax(np.array([[np.nan, np.nan]]), axis=1).numpy()).all()
    assert np.isnan(ops.nanmean(np.array([[np.nan, np.nan]]), axis=1).numpy()).all()
    x = randn(3, 4, seed=3)
    x[0, 1] = x[2, 3] = np.nan
    for name in ["nansum", "nanmean", "nanvar", "nanstd", "nanmax", "nanprod"]:
        t = Tensor(x, requires_grad=True)
        (g,) = gradients(getattr(ops, name)(t, axis=1), [t])
        assert g[0, 1] == 0 and g[2, 3] == 0 and np.isfinite(g).all(), name
        clean = np.nan_to_num(x, nan=0.0)
        if name in ("nansum", "nanmean", "nanvar", "nanstd"):  # NaNs put back at fixed places
            holes = np.where(np.isnan(x), np.nan, 0.0)
            check_grad(lambda t, f=getattr(ops, name), holes=holes: f(t + holes, axis=1), clean)  # noqa: B008
