"""Tests for minikeras/core/ops/complex_numbers.py and complex tensors through the core: float64
finite-difference gradients (real inputs, and complex inputs in torch's convention dL/dRe +
i dL/dIm), the ops of `COMPLEX_OPS` against numpy, a clear TypeError from every other op and a
NotImplementedError from a backward that reaches a complex op without a complex gradient.
(Keras's own numbers: tests/ops/complex.)"""

import warnings

import numpy as np
import pytest

import complex_cases
import minikeras as keras
import ops_cases
from helpers import _in_64bit, check_grad, randn
from minikeras import ops
from minikeras.core.autodiff import COMPLEX_GRAD_OPS, HOLOMORPHIC_OPS, gradients
from minikeras.core.ops._base import COMPLEX_OPS
from minikeras.core.tensor import Tensor


def crandn(*shape, seed=0):
    return randn(*shape, seed=seed) + 1j * randn(*shape, seed=seed + 100)


# -- gradients of real inputs --------------------------------------------------------------------
@pytest.mark.parametrize(
    "fn",
    [ops.real, ops.conj, ops.conjugate, ops.imag, ops.angle, ops.view_as_real],
    ids=lambda f: f.__name__,
)
def test_real_input_gradients(fn):
    check_grad(fn, (3, 4))


def test_polar_and_view_as_complex_gradients():
    check_grad(lambda r, t: ops.view_as_real(ops.polar(r, t)), (3, 4), (3, 4))
    check_grad(lambda r, t: ops.imag(ops.polar(r, t)), (3, 1), (1, 4))  # broadcast
    # view_as_complex rounds to complex64 (as Keras), too coarse for differences: the round trip
    # view_as_real(view_as_complex(x)) is the identity, so its gradient is the output weights
    x, w = Tensor(randn(3, 2), requires_grad=True), randn(3, 2, seed=5)
    (g,) = gradients(ops.view_as_real(ops.view_as_complex(x)), [x], output_gradient=w)
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, w.astype(np.float32), rtol=1e-7)


def test_cast_to_complex_and_back_is_differentiable():
    check_grad(lambda x: ops.cast(ops.cast(x, "complex128"), "float64"), (4,))
    check_grad(lambda x: ops.abs(ops.cast(x, "complex128")), (4,))


# -- gradients of complex inputs -----------------------------------------------------------------
@_in_64bit  # no 32-bit narrowing (norm, var): the differences need float64 outputs
def complex_grad_check(fn, z, rtol=1e-6, atol=1e-8, eps=1e-6):
    """fn(complex Tensor) -> real Tensor: the engine's gradient against central differences
    along the real and the imaginary axis of each element."""
    w = np.random.default_rng(1).standard_normal(np.shape(fn(Tensor(z)).data))
    t = Tensor(z.copy(), requires_grad=True)
    (ana,) = gradients(fn(t), [t], output_gradient=w)
    num = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        for step in (eps, 1j * eps):
            zp, zm = z.copy(), z.copy()
            zp[idx] += step
            zm[idx] -= step
            d = (np.sum(fn(Tensor(zp)).data * w) - np.sum(fn(Tensor(zm)).data * w)) / (2 * eps)
            num[idx] += d if step == eps else 1j * d
    np.testing.assert_allclose(ana, num, rtol=rtol, atol=atol)


V = ops.view_as_real
COMPLEX_GRADS = {
    "real": lambda z: ops.real(z),
    "imag": lambda z: ops.imag(z),
    "conjugate": lambda z: V(ops.conjugate(z)),
    "angle": lambda z: ops.angle(z),
    "abs": lambda z: ops.abs(z),
    "view_as_real": lambda z: V(z),
    "add": lambda z: V(ops.add(z, 2 - 1j)),
    "subtract": lambda z: V(ops.subtract(1j, z)),
    "negative": lambda z: V(-z),
    "sum": lambda z: V(ops.sum(z, axis=0)),
    "mean": lambda z: V(ops.mean(z, axis=1)),
    "reshape": lambda z: V(ops.reshape(z, (4, 3))),
    "expand_dims": lambda z: V(ops.expand_dims(z, 0)),
    "squeeze": lambda z: V(ops.squeeze(ops.expand_dims(z, 0))),
    "transpose": lambda z: V(ops.transpose(z)),
    "concatenate": lambda z: V(ops.concatenate([z, z[:1]])),
    "stack": lambda z: V(ops.stack([z, 2 * ops.real(z)])),
    "getitem": lambda z: V(z[1:, ::2]),
    "cast": lambda z: V(ops.cast(z, "complex64")),
    "copy": lambda z: V(ops.copy(z)),
    "var": lambda z: V(ops.var(z, axis=0)),  # composed: the mean of |x - m|^2
    "std": lambda z: ops.std(z, axis=1),
    "norm": lambda z: ops.norm(z, ord=3, axis=1),
}


W = crandn(4, 3, seed=9)  # a complex constant operand
HOLOMORPHIC = {  # f(z) -> real view: the op's gradient through conj(backward(conj(dout)))
    "multiply": lambda z: V(ops.multiply(z, z[::-1])),
    "multiply_real": lambda z: V(ops.multiply(z, 0.5 + ops.real(z))),  # a real operand too
    "divide": lambda z: V(ops.divide(z, z[::-1] + 3)),
    "square": lambda z: V(ops.square(z)),
    "sqrt": lambda z: V(ops.sqrt(z)),
    "exp": lambda z: V(ops.exp(z)),
    "log": lambda z: V(ops.log(z)),
    "power": lambda z: V(ops.power(z, 3)),
    "power_exponent": lambda z: V(ops.power(z[::-1] + 2j, z)),  # complex base and exponent
    "power_real_base": lambda z: V(ops.power(np.array([-2.0, 0.5, 3.0, -1.5]), z)),
    "matmul": lambda z: V(ops.matmul(z, W)),
    "einsum": lambda z: V(ops.einsum("ij,jk->ik", z, W)),
    "tensordot": lambda z: V(ops.tensordot(z, W, 1)),
    "sin": lambda z: V(ops.sin(z)),
    "cos": lambda z: V(ops.cos(z)),
    "tan": lambda z: V(ops.tan(z)),
    "sinh": lambda z: V(ops.sinh(z)),
    "cosh": lambda z: V(ops.cosh(z)),
    "tanh": lambda z: V(ops.tanh(z)),
    "reciprocal": lambda z: V(ops.reciprocal(z)),
    "expm1": lambda z: V(ops.expm1(z)),
    "log1p": lambda z: V(ops.log1p(z)),
    "cumsum": lambda z: V(ops.cumsum(z, axis=1)),
    "where": lambda z: V(ops.where(np.eye(3, 4) > 0, z, 2 * z)),
    "take": lambda z: V(ops.take(z, [2, 0, 2], axis=1)),
    "prod": lambda z: V(ops.prod(z, axis=0)),
    "logaddexp": lambda z: V(ops.logaddexp(z, z[::-1] * 0.5)),
    "trapezoid": lambda z: V(ops.trapezoid(z, axis=0)),  # composed: moveaxis, add, multiply, sum
}
COMPLEX_GRADS.update(HOLOMORPHIC)


@pytest.mark.parametrize("name", sorted(COMPLEX_GRADS))
def test_complex_input_gradients(name):
    z = crandn(3, 4)
    # cast to complex64 rounds: a linear op, checked with a wider step
    tol = {"rtol": 1e-4, "atol": 1e-5, "eps": 1e-2} if name == "cast" else {}
    complex_grad_check(COMPLEX_GRADS[name], z, **tol)


def test_every_complex_gradient_op_is_checked():
    tested = set(COMPLEX_GRADS) | {"concat", "polar", "view_as_complex", "absolute"}
    tested -= {"var", "std", "norm", "trapezoid"}  # composed of the others
    assert COMPLEX_GRAD_OPS <= tested and HOLOMORPHIC_OPS <= set(HOLOMORPHIC)


@pytest.mark.parametrize(
    "fn,op",
    [
        (lambda z: ops.sigmoid(z), "sigmoid"),
        (lambda z: ops.arcsinh(z), "arcsinh"),
        (lambda z: ops.inv(z[:, :3]), "inv"),
        (lambda z: ops.eig(ops.real(z)[:3, :3])[0], "eig"),
        (lambda z: ops.svd(z[:, :3])[1], "svd"),  # real singular values of a complex matrix
        (lambda z: ops.logsumexp(z, axis=1), "logsumexp"),
    ],
)
def test_backward_through_a_complex_op_without_its_gradient_raises(fn, op):
    z = Tensor(crandn(3, 4), requires_grad=True)
    loss = ops.sum(ops.abs(fn(z)))
    with pytest.raises(NotImplementedError, match=f"'{op}'.*complex"):
        gradients(loss, [z])


def test_second_order_gradients_through_complex_products_raise():
    """First-order gradients of the holomorphic ops only: a gradient taken inside an outer tape
    (to be differentiated again) through a complex multiply raises, naming it."""
    v = keras.Variable([1.0, 2.0])
    with keras.GradientTape():
        with keras.GradientTape() as inner:
            y = ops.sum(ops.real(ops.multiply(ops.cast(v, "complex64"), 1 + 2j) ** 2))
        with pytest.raises(NotImplementedError, match="'power'.*complex"):
            inner.gradient(y, v)


def test_eig_of_a_real_variable_has_no_silent_gradient():
    v = keras.Variable([[2.0, 1.0], [0.5, 3.0]])
    with keras.GradientTape() as tape:
        loss = ops.sum(ops.real(ops.eig(v)[0]))
    with pytest.raises(NotImplementedError, match="'eig'"):
        tape.gradient(loss, v)


# -- forward: the complex ops against numpy ------------------------------------------------------
Z = crandn(3, 4).astype("complex64")
F = randn(3, 4, seed=3).astype("float32")
NUMPY = {  # op name -> (minikeras call, numpy call)
    "add": (lambda: ops.add(Z, F), lambda: Z + F),
    "subtract": (lambda: ops.subtract(Z, 2), lambda: Z - 2),
    "multiply": (lambda: ops.multiply(Z, Z), lambda: Z * Z),
    "divide": (lambda: ops.divide(Z, F), lambda: Z / F),
    "true_divide": (lambda: ops.true_divide(F, Z), lambda: F / Z),
    "negative": (lambda: ops.negative(Z), lambda: -Z),
    "abs": (lambda: ops.abs(Z), lambda: np.abs(Z)),
    "absolute": (lambda: ops.absolute(Z), lambda: np.abs(Z)),
    "square": (lambda: ops.square(Z), lambda: Z * Z),
    "sqrt": (lambda: ops.sqrt(Z), lambda: np.sqrt(Z)),
    "exp": (lambda: ops.exp(Z), lambda: np.exp(Z)),
    "log": (lambda: ops.log(Z), lambda: np.log(Z)),
    "power": (lambda: ops.power(Z, 3), lambda: Z**3),
    "matmul": (lambda: ops.matmul(Z, Z.T), lambda: Z @ Z.T),
    "dot": (lambda: ops.dot(Z, F.T), lambda: np.dot(Z, F.T)),
    "vdot": (lambda: ops.vdot(Z, Z), lambda: np.vdot(Z, Z)),
    "tensordot": (lambda: ops.tensordot(Z, Z, 2), lambda: np.tensordot(Z, Z, 2)),
    "einsum": (lambda: ops.einsum("ij,kj->ik", Z, F), lambda: np.einsum("ij,kj->ik", Z, F)),
    "outer": (lambda: ops.outer(Z[0], Z[1]), lambda: np.outer(Z[0], Z[1])),
    "sum": (lambda: ops.sum(Z, axis=1), lambda: Z.sum(1)),
    "mean": (lambda: ops.mean(Z), lambda: Z.mean()),
    "average": (lambda: ops.average(Z, 0, F), lambda: np.average(Z, 0, F)),
    "reshape": (lambda: ops.reshape(Z, (2, 6)), lambda: Z.reshape(2, 6)),
    "ravel": (lambda: ops.ravel(Z), lambda: Z.ravel()),
    "transpose": (lambda: ops.transpose(Z), lambda: Z.T),
    "expand_dims": (lambda: ops.expand_dims(Z, 1), lambda: Z[:, None]),
    "squeeze": (lambda: ops.squeeze(Z[None]), lambda: Z),
    "concatenate": (lambda: ops.concatenate([Z, F]), lambda: np.concatenate([Z, F])),
    "stack": (lambda: ops.stack([Z, Z]), lambda: np.stack([Z, Z])),
    "take": (lambda: ops.take(Z, [2, 0], axis=1), lambda: Z[:, [2, 0]]),
    "getitem": (lambda: Tensor(Z)[1, ::-1], lambda: Z[1, ::-1]),
    "where": (lambda: ops.where(F > 0, Z, 0), lambda: np.where(F > 0, Z, 0)),
    "equal": (lambda: ops.equal(Z, Z[0]), lambda: Z == Z[0]),
    "not_equal": (lambda: ops.not_equal(Z, 1j), lambda: Z != 1j),
    "isnan": (lambda: ops.isnan(Z), lambda: np.isnan(Z)),
    "isfinite": (lambda: ops.isfinite(Z), lambda: np.isfinite(Z)),
    "isinf": (lambda: ops.isinf(Z), lambda: np.isinf(Z)),
    "zeros_like": (lambda: ops.zeros_like(Z), lambda: np.zeros_like(Z)),
    "ones_like": (lambda: ops.ones_like(Z), lambda: np.ones_like(Z)),
    "copy": (lambda: ops.copy(Z), lambda: Z),
    "array": (lambda: ops.array(Z), lambda: Z),
    "convert_to_tensor": (lambda: ops.convert_to_tensor(Z), lambda: Z),
    "convert_to_numpy": (lambda: ops.convert_to_numpy(Tensor(Z)), lambda: Z),
    "stop_gradient": (lambda: ops.stop_gradient(Z), lambda: Z),
    "cast": (lambda: ops.cast(Z, "complex128"), lambda: Z.astype("complex128")),
    "shape": (lambda: ops.shape(Tensor(Z)), lambda: Z.shape),
    "dtype": (lambda: ops.dtype(Tensor(Z)), lambda: "complex64"),
    "size": (lambda: ops.size(Tensor(Z)), lambda: Z.size),
    "ndim": (lambda: ops.ndim(Tensor(Z)), lambda: Z.ndim),
}


@pytest.mark.parametrize("name", sorted(NUMPY))
def test_complex_op_computes_as_numpy(name):
    ours, ref = NUMPY[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ComplexWarning would mean a discarded imaginary part
        got, want = ours(), ref()
    if isinstance(want, (tuple, str, int)):
        assert got == want
        return
    got = np.asarray(got)
    assert got.dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_every_complex_op_is_checked():
    """Each op of COMPLEX_OPS is held to numpy here or to Keras's numbers in tests/ops/complex."""
    covered = set(NUMPY) | {name for name, _ in complex_cases.cases()}
    assert COMPLEX_OPS <= covered, COMPLEX_OPS - covered


# -- every other op: a clear TypeError -----------------------------------------------------------
def _complexified(args, as_tensor):
    def cx(v):
        if isinstance(v, np.ndarray) and v.dtype == np.float32:
            z = (v + 0.5j * v).astype(np.complex64)
            return ops.convert_to_tensor(z) if as_tensor else z
        if isinstance(v, list):
            return [cx(u) for u in v]
        return v

    return [cx(a) for a in args]


def _first_float32_case_of_each_op():
    seen = {}
    for i, (name, args, kwargs) in enumerate(ops_cases.cases()):
        arrays = ops_cases.arrays(args, seed=i)
        if name not in seen and any(
            isinstance(a, np.ndarray) and a.dtype == np.float32 and a.size for a in arrays
        ):
            seen[name] = (arrays, kwargs)
    return seen


CASES = _first_float32_case_of_each_op()


@pytest.mark.parametrize("as_tensor", [False, True], ids=["numpy", "tensor"])
def test_ops_without_complex_support_raise_a_clear_type_error(as_tensor):
    """Each keras.ops op of tests/ops/parity, given complex64 for its float32 arguments, either
    is one of the complex ops or raises a TypeError that says so: none drops the imaginary part."""
    unclear = {}
    for name, (arrays, kwargs) in CASES.items():
        leaf = name.split(".")[-1]
        if leaf in COMPLEX_OPS or leaf == "moments":  # moments: mean/square/subtract, as Keras
            continue
        fn = getattr(getattr(ops, name.split(".")[0]) if "." in name else ops, leaf)
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("error")
                fn(*_complexified(arrays, as_tensor), **kwargs)
        except TypeError as e:
            if "complex" not in str(e) and "numeric" not in str(e):
                unclear[name] = str(e)
            continue
        except Exception as e:  # noqa: BLE001
            unclear[name] = f"{type(e).__name__}: {e}"
            continue
        unclear[name] = "returned a value"
    assert not unclear, unclear


def test_a_python_complex_reaching_a_real_op_raises():
    with pytest.raises(TypeError, match="relu does not support complex"):
        ops.relu(1j)
    with pytest.raises(TypeError, match="hypot does not support complex"):
        ops.hypot(Tensor(Z), 1.0)  # result_type would have cast it to float32


def test_a_model_with_a_complex_input_predicts_and_fits():
    """A complex `keras.Input` takes complex arrays in calls, `predict` and `fit`, as Keras (the
    data adapter and the layers' input conversion refused them)."""
    x = keras.Input((3,), dtype="complex64")
    model = keras.Model(x, keras.layers.Dense(2)(ops.concatenate([ops.abs(x), ops.angle(x)], -1)))
    z = crandn(8, 3).astype("complex64")
    expected = np.concatenate([np.abs(z), np.angle(z)], -1) @ model.layers[-1].kernel.numpy()
    np.testing.assert_allclose(model.predict(z, verbose=0), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model(z).numpy(), expected, rtol=1e-5, atol=1e-6)
    model.compile("sgd", "mse")
    losses = model.fit(z, np.ones((8, 2), "float32"), epochs=3, verbose=0).history["loss"]
    assert losses[-1] < losses[0]


def test_fft_pairs_and_complex_tensors_interoperate():
    """Keras's fft ops take and return (real, imag) pairs: real/imag feed them and
    view_as_complex(stack(...)) reads their result, equal to numpy's complex FFT; a complex
    tensor given directly raises as in Keras (a ValueError there too)."""
    z = crandn(2, 8).astype("complex64")
    re, im = ops.fft((ops.real(z), ops.imag(z)))
    got = ops.view_as_complex(ops.stack([re, im], axis=-1))
    np.testing.assert_allclose(got.numpy(), np.fft.fft(z), rtol=1e-5, atol=1e-5)
    with pytest.raises((TypeError, ValueError), match="complex|tuple"):
        ops.fft(z)


def test_a_complex_fill_value_needs_a_complex_dtype():
    """full / full_like with a complex fill_value and a real dtype raise a TypeError, as Keras on
    torch does (numpy would keep the real part); with a complex dtype they fill as Keras."""
    with pytest.raises(TypeError, match="full: a complex fill_value needs a complex dtype"):
        ops.full((2,), 1j)
    with pytest.raises(TypeError, match="full_like: a complex fill_value"):
        ops.full_like(np.zeros(2, "float32"), 1 + 1j)
    assert ops.full((2,), 1j, dtype="complex64").numpy().tolist() == [1j, 1j]
    assert ops.full_like(np.zeros(2, "complex128"), 2j).numpy().tolist() == [2j, 2j]


def test_complex_values_into_real_places():
    """A complex value assigned to a float variable keeps its real part (Keras 3.15.1, torch and
    jax), with no numpy ComplexWarning; complex clip bounds and a complex pad value for a real
    tensor raise a TypeError, as Keras on torch."""
    v = keras.Variable(np.zeros(2, "float32"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v.assign(np.array([1 + 2j, 3j]))
        v.assign_add(np.array([1j, 1 + 1j]))
    assert v.numpy().tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match="clip does not support complex"):
        ops.clip(np.zeros(2, "float32"), 1j, 2)
    with pytest.raises(TypeError, match="pad: a complex constant_values"):
        ops.pad(np.zeros(2, "float32"), [(1, 1)], constant_values=1j)
    padded = ops.pad(np.zeros(2, "complex64"), [(1, 0)], constant_values=1j)
    assert padded.numpy().tolist() == [1j, 0j, 0j]
