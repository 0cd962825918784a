"""Tests for the elementwise families in minikeras/core/ops (elementwise.py, arithmetic.py,
comparison.py, bitwise.py, trigonometry.py): values against numpy, float64 gradients, dtypes."""

import math

import numpy as np
import pytest

from helpers import check_grad, randn
from minikeras import ops
from minikeras.core import dtypes
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

pytestmark = pytest.mark.filterwarnings("error")

BROADCAST_SHAPES = [
    ((2, 3), (2, 3)),
    ((2, 3, 4), (3, 1)),
    ((3, 1), (1, 4)),
    ((4,), (2, 3, 4)),
    ((), (2, 3)),
    ((2, 1, 3), ()),
]


def positive(*shape, seed=0):
    return np.abs(randn(*shape, seed=seed)) + 0.5


BINARY = {
    "add": (ops.add, np.add),
    "subtract": (ops.subtract, np.subtract),
    "multiply": (ops.multiply, np.multiply),
    "divide": (ops.divide, np.divide),
    "maximum": (ops.maximum, np.maximum),
    "minimum": (ops.minimum, np.minimum),
    "arctan2": (ops.arctan2, np.arctan2),
    "logaddexp": (ops.logaddexp, lambda a, b: np.log(np.exp(a) + np.exp(b))),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("sa,sb", BROADCAST_SHAPES)
def test_binary_values_and_grads(name, sa, sb):
    op, ref = BINARY[name]
    a, b = randn(*sa, seed=1), randn(*sb, seed=2)
    if name == "divide":
        b = np.where(np.abs(b) < 0.3, 0.7, b)  # keep away from the pole
    with dtypes.keep_64bit():  # Keras 3 gives float32 for arctan2/logaddexp/maximum/minimum
        np.testing.assert_allclose(op(a, b).numpy(), ref(a, b), rtol=1e-12)
    check_grad(op, a, b)


@pytest.mark.parametrize("sa,sb", BROADCAST_SHAPES)
def test_power_values_and_grads(sa, sb):
    a, b = positive(*sa, seed=3), randn(*sb, seed=4)
    np.testing.assert_allclose(ops.power(a, b).numpy(), a**b, rtol=1e-12)
    check_grad(ops.power, a, b)


def test_power_with_integer_exponent_of_negative_base():
    x = np.array([-2.0, -0.5, 1.5])
    np.testing.assert_allclose(ops.power(x, 3).numpy(), x**3)
    check_grad(lambda t: ops.power(t, 3), x)
    check_grad(lambda t: ops.power(t, 2.0), x)


def test_python_scalars_on_either_side():
    x = randn(2, 3)
    check_grad(lambda t: ops.add(2.5, t), x)
    check_grad(lambda t: ops.subtract(1.0, t), x)
    check_grad(lambda t: ops.divide(3.0, ops.add(ops.square(t), 1.0)), x)
    check_grad(lambda t: ops.power(2.0, t), x)
    np.testing.assert_allclose(ops.subtract(1.0, x).numpy(), 1.0 - x)
    np.testing.assert_allclose(ops.power(2.0, x).numpy(), 2.0**x)


def test_maximum_minimum_ties_send_gradient_to_first_argument():
    a = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    b = Tensor(np.array([1.0, 0.0, 5.0]), requires_grad=True)
    ga, gb = gradients(ops.maximum(a, b), [a, b])
    np.testing.assert_array_equal(ga, [1, 1, 0])
    np.testing.assert_array_equal(gb, [0, 0, 1])
    ga, gb = gradients(ops.minimum(a, b), [a, b])
    np.testing.assert_array_equal(ga, [1, 0, 1])
    np.testing.assert_array_equal(gb, [0, 1, 0])


UNARY = {
    # name: (op, numpy reference, input domain)
    "negative": (ops.negative, np.negative, "any"),
    "exp": (ops.exp, np.exp, "any"),
    "expm1": (ops.expm1, lambda a: np.exp(a) - 1, "any"),
    "exp2": (ops.exp2, lambda a: 2.0**a, "any"),
    "log": (ops.log, np.log, "pos"),
    "log1p": (ops.log1p, lambda a: np.log(1 + a), "pos"),
    "log2": (ops.log2, lambda a: np.log(a) / np.log(2), "pos"),
    "log10": (ops.log10, lambda a: np.log(a) / np.log(10), "pos"),
    "sqrt": (ops.sqrt, lambda a: a**0.5, "pos"),
    "rsqrt": (ops.rsqrt, lambda a: a**-0.5, "pos"),
    "square": (ops.square, lambda a: a * a, "any"),
    "abs": (ops.abs, lambda a: np.where(a < 0, -a, a), "any"),
    "absolute": (ops.absolute, lambda a: np.where(a < 0, -a, a), "any"),
    "reciprocal": (ops.reciprocal, lambda a: 1 / a, "pos"),
    "tanh": (ops.tanh, lambda a: (np.exp(2 * a) - 1) / (np.exp(2 * a) + 1), "any"),
    "sin": (ops.sin, np.sin, "any"),
    "cos": (ops.cos, np.cos, "any"),
    "tan": (ops.tan, lambda a: np.sin(a) / np.cos(a), "unit"),
    "sinh": (ops.sinh, lambda a: (np.exp(a) - np.exp(-a)) / 2, "any"),
    "cosh": (ops.cosh, lambda a: (np.exp(a) + np.exp(-a)) / 2, "any"),
    "arcsin": (ops.arcsin, np.arcsin, "unit"),
    "arccos": (ops.arccos, np.arccos, "unit"),
    "arctan": (ops.arctan, np.arctan, "any"),
    "arcsinh": (ops.arcsinh, lambda a: np.log(a + np.sqrt(a * a + 1)), "any"),
    "arccosh": (ops.arccosh, lambda a: np.log(a + np.sqrt(a * a - 1)), "gt1"),
    "arctanh": (ops.arctanh, lambda a: 0.5 * np.log((1 + a) / (1 - a)), "unit"),
}


def domain_input(domain, shape=(2, 3), seed=0):
    x = randn(*shape, seed=seed)
    if domain == "pos":
        return np.abs(x) + 0.2
    if domain == "unit":
        return np.tanh(x) * 0.9
    if domain == "gt1":
        return np.abs(x) + 1.2
    return x


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_values_and_grads(name):
    op, ref, domain = UNARY[name]
    x = domain_input(domain)
    np.testing.assert_allclose(op(x).numpy(), ref(x), rtol=1e-12, atol=1e-14)
    check_grad(op, x)
    check_grad(op, domain_input(domain, shape=()))


def test_erf_known_values_and_grad():
    x = np.array([0.0, 0.5, 1.0, -2.0, 3.0])
    expected = [
        0.0,
        0.5204998778130465,
        0.8427007929497149,
        -0.9953222650189527,
        0.9999779095030014,
    ]
    np.testing.assert_allclose(ops.erf(x).numpy(), expected, rtol=1e-14, atol=1e-16)
    check_grad(ops.erf, (3, 4))
    assert ops.erf(np.float32(0.5) * np.ones(3, "float32")).dtype == np.float32
    assert ops.erf(np.array(0.5)).shape == ()


def test_where_grads_with_broadcast_condition():
    cond = np.array([[True], [False]])  # (2, 1) against (2, 3)
    x1, x2 = randn(2, 3, seed=1), randn(3, seed=2)
    np.testing.assert_array_equal(ops.where(cond, x1, x2).numpy(), np.where(cond, x1, x2))
    check_grad(lambda a, b: ops.where(cond, a, b), x1, x2)
    check_grad(lambda a: ops.where(cond, a, 0.0), x1)
    out = ops.where(np.array([0, 2, 0, 1]))
    np.testing.assert_array_equal(out[0].numpy(), [1, 3])


def test_clip_values_and_grad():
    x = np.array([-2.0, -0.5, 0.3, 0.9, 1.7])
    np.testing.assert_array_equal(ops.clip(x, -1.0, 1.0).numpy(), [-1.0, -0.5, 0.3, 0.9, 1.0])
    check_grad(lambda t: ops.clip(t, -1.0, 1.0), x)
    t = Tensor(x, requires_grad=True)
    (g,) = gradients(ops.clip(t, -1.0, 1.0), [t])
    np.testing.assert_array_equal(g, [0, 1, 1, 1, 0])


def test_divide_no_nan():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 0.0, -1.0])
    np.testing.assert_array_equal(ops.divide_no_nan(a, b).numpy(), [0.5, 0.0, -3.0])
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    ga, gb = gradients(ops.divide_no_nan(ta, tb), [ta, tb])
    np.testing.assert_allclose(ga, [0.5, 0.0, -1.0])
    np.testing.assert_allclose(gb, [-0.25, 0.0, -3.0])


def test_nan_to_num():
    x = np.array([np.nan, np.inf, -np.inf, 2.0])
    out = ops.nan_to_num(x, nan=0.5, posinf=9.0, neginf=-9.0).numpy()
    np.testing.assert_array_equal(out, [0.5, 9.0, -9.0, 2.0])
    t = Tensor(x, requires_grad=True)
    (g,) = gradients(ops.nan_to_num(t), [t])
    np.testing.assert_array_equal(g, [0, 0, 0, 1])


NO_GRAD = [
    (ops.sign, np.sign, 1),
    (ops.floor, np.floor, 1),
    (ops.ceil, np.ceil, 1),
    (ops.round, np.round, 1),
    (ops.trunc, np.trunc, 1),
    (ops.isnan, np.isnan, 1),
    (ops.isfinite, np.isfinite, 1),
    (ops.isinf, np.isinf, 1),
    (ops.logical_not, np.logical_not, 1),
    (ops.equal, np.equal, 2),
    (ops.not_equal, np.not_equal, 2),
    (ops.less, np.less, 2),
    (ops.less_equal, np.less_equal, 2),
    (ops.greater, np.greater, 2),
    (ops.greater_equal, np.greater_equal, 2),
    (ops.logical_and, np.logical_and, 2),
    (ops.logical_or, np.logical_or, 2),
    (ops.logical_xor, np.logical_xor, 2),
    (ops.mod, np.mod, 2),
    (ops.floor_divide, np.floor_divide, 2),
    (ops.isclose, np.isclose, 2),
]


@pytest.mark.parametrize("op,ref,arity", NO_GRAD, ids=lambda v: getattr(v, "__name__", str(v)))
def test_non_differentiable_ops_match_numpy(op, ref, arity):
    x = np.array([[-1.5, 0.0, 2.5], [0.5, -0.5, 3.0]])
    y = np.array([2.0, -0.5, 2.5])
    args = (x,) if arity == 1 else (x, y)
    out = op(*args)
    np.testing.assert_array_equal(out.numpy(), ref(*args))
    assert not out.requires_grad


def test_round_decimals():
    np.testing.assert_allclose(ops.round(np.array([1.2345, -2.5551]), 2).numpy(), [1.23, -2.56])


ALL_FLOAT_OPS = [
    lambda x: ops.add(x, 2.5),
    lambda x: ops.subtract(1, x),
    lambda x: ops.multiply(x, 3.0),
    lambda x: ops.divide(x, 2.0),
    lambda x: ops.power(ops.abs(x), 1.5),
    lambda x: ops.maximum(x, 0.0),
    lambda x: ops.minimum(0, x),
    lambda x: ops.where(x > 0, x, 0.0),
    lambda x: ops.clip(x, -0.5, 0.5),
    lambda x: ops.divide_no_nan(x, x),
    lambda x: ops.arctan2(x, 2.0),
    lambda x: ops.logaddexp(x, 1.0),
    lambda x: ops.nan_to_num(x),
] + [
    lambda x, op=UNARY[n][0], d=UNARY[n][2]: op(x if d == "any" else ops.abs(x) + 1.5)
    for n in sorted(UNARY)
    if n != "arcsin" and n != "arccos" and n != "arctanh" and n != "tan"
]
ALL_FLOAT_OPS += [
    lambda x: ops.arcsin(ops.tanh(x) * 0.5),
    lambda x: ops.arccos(ops.tanh(x) * 0.5),
    lambda x: ops.arctanh(ops.tanh(x) * 0.5),
    lambda x: ops.tan(ops.tanh(x)),
    ops.erf,
    ops.sign,
    ops.floor,
    ops.round,
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("k", range(len(ALL_FLOAT_OPS)))
def test_dtype_is_kept(dtype, k):
    x = randn(2, 3, dtype=dtype)
    with dtypes.keep_64bit():
        assert ALL_FLOAT_OPS[k](x).dtype == np.dtype(dtype)
        assert ALL_FLOAT_OPS[k](Tensor(x)).dtype == np.dtype(dtype)


# Keras 3.15.1 (jax and torch) takes these ops' dtype from result_type, which narrows float64
NARROWING = [ops.maximum, ops.minimum, ops.divide_no_nan, ops.arctan2, ops.logaddexp, ops.hypot]


@pytest.mark.parametrize("op", NARROWING)
def test_float64_narrows_to_float32_as_keras(op):
    x = randn(2, 3)
    assert op(x, x).dtype == np.float32
    assert op(Tensor(x), 2.0).dtype == np.float32
    assert ops.floor(x).dtype == ops.ceil(x).dtype == np.float32
    assert ops.add(x, x).dtype == np.float64  # torch's own promotion: kept


def test_float32_gradient_is_float32():
    t = Tensor(randn(3, dtype="float32"), requires_grad=True)
    (g,) = gradients(ops.multiply(ops.exp(t), 2.0), [t])
    assert g.dtype == np.float32


def test_integer_division_gives_floatx():
    out = ops.divide(np.array([1, 2], "int32"), np.array([2, 4], "int32"))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), [0.5, 0.5])
    assert ops.exp(np.array([0, 1], "int32")).dtype == np.float32


@pytest.mark.parametrize("op", [ops.add, ops.subtract, ops.multiply, ops.divide, ops.maximum])
def test_incompatible_shapes_name_op_and_shapes(op):
    with pytest.raises(ValueError, match=rf"{op.__name__}.*\(2, 3\).*\(2, 4\)"):
        op(np.ones((2, 3)), np.ones((2, 4)))


@pytest.mark.parametrize("bad", [np.array(["a", "b"]), np.array([object(), None])])
@pytest.mark.parametrize("op", [ops.add, ops.multiply, ops.maximum, ops.where])
def test_string_or_object_arrays_raise_type_error(op, bad):
    args = (np.array([True, False]), bad, 1.0) if op is ops.where else (bad, 1.0)
    with pytest.raises(TypeError, match=op.__name__):
        op(*args)


@pytest.mark.parametrize("op", [ops.exp, ops.sqrt, ops.abs, ops.sign, ops.erf, ops.negative])
def test_unary_ops_reject_strings(op):
    with pytest.raises(TypeError, match="numeric"):
        op(np.array(["x"]))


def test_erf_matches_math_erf_on_a_grid():
    x = np.linspace(-4, 4, 81)
    np.testing.assert_allclose(ops.erf(x).numpy(), [math.erf(v) for v in x], rtol=0, atol=0)


# Keras 3.15.1 observed on jax and torch (keras.ops on tensors of these dtypes): result dtypes of
# binary ops follow keras.backend.result_type, not numpy's promotion
_KERAS_BINARY_DTYPES = [
    ("int32", "float32", "float32"),
    ("int64", "float32", "float32"),
    ("float32", "int32", "float32"),
    ("int32", "float16", "float16"),
    ("bool", "float32", "float32"),
    ("bool", "pyint", "int32"),
    ("int32", "pyfloat", "float32"),
    ("pyfloat", "int32", "float32"),
    ("int8", "pyfloat", "float32"),
    ("bool", "pyfloat", "float32"),
    ("float16", "pyfloat", "float16"),
    ("int8", "pyint", "int8"),
    ("int8", "uint8", "int16"),
]


@pytest.mark.parametrize("a,b,expected", _KERAS_BINARY_DTYPES)
@pytest.mark.parametrize(
    "op", ["add", "subtract", "multiply", "maximum", "minimum", "power", "floor_divide", "mod"]
)
def test_binary_result_dtype_as_keras(op, a, b, expected):
    def value(kind):
        if kind == "pyint":
            return 3
        if kind == "pyfloat":
            return 2.5
        return ops.convert_to_tensor(np.array([1, 2], kind))

    assert getattr(ops, op)(value(a), value(b)).dtype == expected


def test_float_results_of_int_inputs_as_keras():
    """Keras 3.15.1: divide/arctan2/logaddexp of int32 pairs, floor/ceil of ints give float32;
    int @ float32 and concatenate/stack of int32 with float32 give float32."""
    i = np.array([[1, 2]], "int32")
    f = np.array([[1.0, 2.0]], "float32")
    for fn in (ops.divide, ops.arctan2, ops.logaddexp):
        assert fn(i, i).dtype == "float32"
    assert ops.floor(i).dtype == "float32" and ops.ceil(np.array([True])).dtype == "float32"
    assert ops.matmul(i, f.T).dtype == "float32"
    assert ops.concatenate([i, f]).dtype == "float32" and ops.stack([i, f]).dtype == "float32"


def test_square_and_clip_of_bool_give_int32():
    """Keras 3.15.1 (numpy, jax and torch backends): square(bool) and clip(bool) are int32."""
    b = np.array([True, False, True])
    y = ops.square(b)
    assert y.dtype == "int32" and y.numpy().tolist() == [1, 0, 1]
    y = ops.clip(b, 0, 2)
    assert y.dtype == "int32" and y.numpy().tolist() == [1, 0, 1]
    assert ops.clip(np.array([5, -1], "int8"), 0, 2).dtype == "int8"


# Keras 3.15.1 (jax): results and dtypes on A8 = [5, 12, -3] (int8) with B32 = [3, 10, 2] (int32),
# with the Python int 2, and U8 = [1, 2, 3] (uint8) with A8
BITWISE_KERAS = {
    "bitwise_and": ([1, 8, 0], [0, 0, 0], [1, 0, 1]),
    "bitwise_or": ([7, 14, -1], [7, 14, -1], [5, 14, -1]),
    "bitwise_xor": ([6, 6, -1], [7, 14, -1], [4, 14, -2]),
    "bitwise_left_shift": ([40, 12288, -12], [20, 48, -12], [32, 8192, 0]),
    "bitwise_right_shift": ([0, 0, -1], [1, 3, -1], [0, 0, 0]),
}


@pytest.mark.parametrize("name", sorted(BITWISE_KERAS))
def test_bitwise_ops_match_keras(name):
    a8, b32, u8 = (
        np.array([5, 12, -3], "int8"),
        np.array([3, 10, 2], "int32"),
        np.array([1, 2, 3], "uint8"),
    )
    fn = getattr(ops, name)
    with_i32, with_py, u8_i8 = BITWISE_KERAS[name]
    for got, want, dtype in [
        (fn(a8, b32), with_i32, "int32"),
        (fn(a8, 2), with_py, "int8"),
        (fn(u8, a8), u8_i8, "int16"),
    ]:
        assert got.dtype == dtype and got.numpy().tolist() == want


def test_bitwise_bools_invert_aliases_and_errors():
    """Keras 3.15.1: bool & bool stays bool, bool << bool is int32; invert keeps the dtype;
    left_shift/right_shift are the shift ops; float input raises TypeError."""
    t = np.array([True, False, True])
    assert ops.bitwise_xor(t, t).dtype == bool
    y = ops.bitwise_left_shift(t, t)
    assert y.dtype == "int32" and y.numpy().tolist() == [2, 0, 2]
    assert ops.bitwise_invert(np.array([5, -3], "int8")).numpy().tolist() == [-6, 2]
    assert ops.bitwise_not(np.array([1, 2], "uint8")).numpy().tolist() == [254, 253]
    assert ops.bitwise_invert(t).numpy().tolist() == [False, True, False]
    assert ops.left_shift(np.array([1], "int8"), 3).numpy().tolist() == [8]
    assert ops.right_shift(np.array([-8], "int32"), 1).numpy().tolist() == [-4]
    with pytest.raises(TypeError, match="integer"):
        ops.bitwise_and(np.array([1.0]), np.array([1.0]))


@pytest.mark.filterwarnings("ignore:divide by zero")
def test_floor_divide_power_mod_of_bools_give_int32():
    """Keras 3.15.1 (jax; torch refuses bools): floor_divide, power and mod of two bools (array
    or Python bool) are int32 (numpy: int8); int8 pairs stay int8."""
    t = np.array([True, True])
    for name in ["floor_divide", "power", "mod"]:
        fn = getattr(ops, name)
        assert fn(t, t).dtype == "int32" and fn(t, True).dtype == "int32", name
        assert fn(np.array([3, 4], "int8"), np.array([2, 3], "int8")).dtype == "int8"
    assert ops.power(t, np.array([True, False])).numpy().tolist() == [1, 1]


def test_python_scalars_alone_are_int32_or_floatx_as_keras():
    """Keras 3.15.1 converts a lone Python scalar to int32/float32 (numpy: int64/float64)."""
    assert ops.sqrt(4.0).dtype == ops.abs(-2.0).dtype == ops.sum(3.0).dtype == np.float32
    assert ops.negative(2).dtype == ops.square(3).dtype == ops.cumsum(2).dtype == np.int32
    assert ops.add(2, 3).dtype == np.int32 and ops.multiply(2.0, 3).dtype == np.float32
    assert ops.bitwise_invert(5).dtype == np.int32 and ops.gcd(np.int8([4]), 6).dtype == np.int8
    assert ops.maximum(np.int8([1]), 3).dtype == np.int8  # a scalar with an array stays weak


def test_shift_by_bools_keeps_the_integer_dtype_as_keras():
    x = np.array([1, 2], "int8")
    assert ops.left_shift(x, np.array([True, False])).dtype == np.int8
    assert ops.right_shift(np.array([True]), np.array([1], "uint8")).dtype == np.uint8
    assert ops.left_shift(np.array([True]), np.array([True])).dtype == np.int32


def test_where_clip_and_einsum_promote_as_keras():
    """Keras 3.15.1: where(c, int32, float32) and einsum/outer of int32 with float32 are float32
    (numpy: float64); where(c, 1, 0) is int32; int8 clipped to float bounds is float32."""
    c, i, f = np.array([True, False]), np.array([1, 2], "int32"), np.array([0.5, 1.5], "float32")
    assert ops.where(c, i, f).dtype == np.float32 and ops.where(c, 1, 0).dtype == np.int32
    np.testing.assert_array_equal(ops.where(c, i, f).numpy(), [1.0, 1.5])
    assert ops.einsum("i,i->", i, f).dtype == ops.outer(i, f).dtype == np.float32
    out = ops.clip(np.array([0, 1, 3], "int8"), 0.5, 1.5)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), [0.5, 1.0, 1.5])


def test_keras_signatures_of_renamed_arguments():
    assert ops.stack(x=[np.ones(2), np.zeros(2)], axis=1).shape == (2, 2)
    assert ops.stop_gradient(variable=np.ones(2)).shape == (2,)
    assert ops.arange(3, step=None).numpy().tolist() == [0, 1, 2]
    with pytest.raises(TypeError):
        ops.amax(np.ones(2), initial=0.0)  # Keras 3's amax has no `initial` (max has)
    with pytest.raises(IndexError):  # numpy's AxisError: an IndexError as in Keras on torch
        ops.cumsum(np.ones((2, 3)), axis=2)
    values, step = ops.linspace(0, 1, 5, retstep=True)  # Keras 3: (tensor, 0.25)
    assert step == 0.25 and values.dtype == np.float32
    assert ops.linspace(np.zeros(2), np.ones(2), 3, axis=1).shape == (2, 3)
    assert ops.multi_hot([[0, 2]], num_tokens=3).numpy().tolist() == [[1.0, 0.0, 1.0]]
    with pytest.raises(ValueError, match="num_classes"):
        ops.multi_hot([[0, 2]])
    with pytest.raises(ValueError, match="ragged"):
        ops.convert_to_tensor([1], ragged=True)


def test_fmod_takes_the_dividends_sign_with_keras_dtypes():
    """Keras 3.15.1 (torch and jax): int8 with a Python int stays int8, two bools give int32."""
    x = np.array([-7.5, 7.0, -3.0], "float32")
    np.testing.assert_array_equal(ops.fmod(x, 2.0).numpy(), np.fmod(x, 2.0))
    assert ops.fmod(np.array([-7, 7], "int8"), 3).numpy().tolist() == [-1, 1]
    assert ops.fmod(np.array([-7, 7], "int8"), 3).dtype == np.int8
    assert ops.fmod(np.array([True]), np.array([True])).dtype == np.int32
    assert ops.fmod(x, np.array([2], "int32")).dtype == np.float32


def test_integer_input_raises_where_keras_does():
    with pytest.raises(TypeError, match="silu"):
        ops.silu(np.array([1, 2], "int32"))
    with pytest.raises(TypeError, match="round"):
        ops.round(np.array([True]))
    with pytest.raises(TypeError, match="gcd"):
        ops.gcd(np.array([True]), np.array([False]))


def test_argument_errors_have_keras_types():
    with pytest.raises(ValueError, match="x2"):  # Keras 3: ValueError (both or neither)
        ops.where(np.array([True]), np.ones(1))
    with pytest.raises(ValueError, match="dtype"):  # Keras 3: ValueError("Invalid dtype: nope")
        ops.cast(np.ones(2), "nope")
