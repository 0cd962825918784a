"""Tests for minikeras/core/ops/linalg.py: values against numpy, float64 gradients, dtypes."""

import numpy as np
import pytest

from helpers import check_grad, randn
from minikeras import ops
from minikeras.core import dtypes
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

pytestmark = pytest.mark.filterwarnings("error")

MATMUL_SHAPES = [
    ((3, 4), (4, 2)),  # plain
    ((2, 3, 4), (2, 4, 5)),  # batched
    ((3, 4), (2, 4, 5)),  # broadcast left
    ((2, 1, 3, 4), (5, 4, 2)),  # broadcast both
    ((4,), (4, 3)),  # vector @ matrix
    ((3, 4), (4,)),  # matrix @ vector
    ((4,), (4,)),  # vector @ vector
    ((4,), (2, 4, 3)),  # vector @ batch
    ((2, 3, 4), (4,)),  # batch @ vector
]


def loop_matmul(a, b):
    """Reference matmul by explicit sums over the inner index (numpy's rank rules)."""
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    a2, b2 = np.broadcast_arrays(a2[..., :, :, None], b2[..., None, :, :])
    out = (a2 * b2).sum(axis=-2)
    if a.ndim == 1:
        out = out[..., 0, :]
    if b.ndim == 1:
        out = out[..., 0]
    return out


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES)
def test_matmul_values_and_grads(sa, sb):
    a, b = randn(*sa, seed=1), randn(*sb, seed=2)
    out = ops.matmul(a, b)
    np.testing.assert_allclose(out.numpy(), loop_matmul(a, b), rtol=1e-12, atol=1e-12)
    check_grad(ops.matmul, a, b)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matmul_keeps_dtype(dtype):
    a, b = randn(2, 3, dtype=dtype), randn(3, 4, dtype=dtype)
    assert ops.matmul(a, b).dtype == np.dtype(dtype)
    ta = Tensor(a, requires_grad=True)
    (g,) = gradients(ops.matmul(ta, b), [ta])
    assert g.dtype == np.dtype(dtype)
    m = (randn(3, 3) + 3 * np.eye(3)).astype(dtype)
    for out in [
        ops.einsum("ij,jk->ik", a, b),
        ops.dot(a, b),
        ops.outer(a, b),
        ops.vdot(a, a),
        ops.trace(m),
        ops.diagonal(m),
        ops.diag(m),
        ops.inv(m),
        ops.det(m),
        ops.solve(m, b[:, :2]),
    ]:
        assert out.dtype == np.dtype(dtype)
    # Keras 3.15.1 (jax, torch): result_type narrows these
    assert ops.inner(a, a).dtype == ops.tensordot(a, b, 1).dtype == np.float32


@pytest.mark.parametrize(
    "sa,sb", [((2, 3), (4, 5)), ((3,), (4,)), ((2, 2, 3), (3, 3, 4)), ((5,), (4, 2))]
)
def test_matmul_incompatible_shapes_name_op_and_shapes(sa, sb):
    pattern = rf"matmul.*{sa}.*{sb}".replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(ValueError, match=pattern):
        ops.matmul(np.ones(sa), np.ones(sb))


def test_matmul_rejects_scalars_and_strings():
    with pytest.raises(ValueError, match="rank"):
        ops.matmul(np.float64(2.0), np.ones(3))
    with pytest.raises(TypeError, match="matmul"):
        ops.matmul(np.array([["a"]]), np.ones((1, 1)))


def test_dot_follows_numpy_dot():
    a, b = randn(2, 3, 4, seed=1), randn(5, 4, 2, seed=2)
    np.testing.assert_allclose(ops.dot(a, b).numpy(), np.dot(a, b), rtol=1e-12)
    check_grad(ops.dot, a, b)
    np.testing.assert_allclose(ops.dot(randn(3, 4), randn(4)).numpy(), randn(3, 4) @ randn(4))
    np.testing.assert_allclose(ops.dot(2.0, randn(3)).numpy(), 2.0 * randn(3))
    u, v = randn(2, 3), randn(3, 2, seed=1)
    np.testing.assert_allclose(ops.vdot(u, v).numpy(), np.sum(u.ravel() * v.ravel()))
    check_grad(ops.vdot, (2, 3), (6,))


@pytest.mark.parametrize("axes", [1, 2, ([1], [0]), ([0, 2], [2, 0]), ([-1], [0])])
def test_tensordot(axes):
    a = randn(3, 4, 2, seed=1)
    b = randn(2, 4, 3, seed=2) if axes == ([0, 2], [2, 0]) else randn(4, 2, 3, seed=2)
    if axes in (1, ([-1], [0])):
        b = randn(2, 5, seed=2)
    with dtypes.keep_64bit():  # Keras 3 gives float32 for float64 tensordot
        out = ops.tensordot(a, b, axes=axes).numpy()
    np.testing.assert_allclose(out, np.tensordot(a, b, axes=axes), rtol=1e-12)
    assert ops.tensordot(a, b, axes=axes).dtype == np.float32
    check_grad(lambda x, y: ops.tensordot(x, y, axes=axes), a, b)


EINSUMS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ij->i", [(3, 4)]),  # j summed within the one operand
    ("ij,k->i", [(3, 4), (5,)]),  # j and k each summed within their own operand
    ("ij,ik->", [(3, 4), (3, 2)]),
    ("ij->ji", [(3, 4)]),
    ("ij", [(3, 4)]),  # implicit output
    ("ij,jk", [(2, 3), (3, 4)]),  # implicit: ik
    ("ii->i", [(3, 3)]),  # a diagonal
    ("ii->", [(3, 3)]),  # a trace
    ("iij->j", [(3, 3, 2)]),
    ("ii,...i->...", [(3, 3), (2, 3)]),
    ("...ij,jk->...ik", [(2, 5, 3), (3, 4)]),
    ("...ij->...i", [(2, 3, 4)]),
    ("...i->i", [(4,)]),  # an empty ...
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(3,), (2,)]),
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
    # two operands through the batched GEMM (kernels/einsum.py), forward and both gradients
    ("aecd,abcd->acbe", [(2, 5, 3, 4), (2, 6, 3, 4)]),  # MultiHeadAttention scores
    ("acbe,aecd->abcd", [(2, 3, 6, 5), (2, 5, 3, 4)]),  # and its combine
    ("abc,cde->abde", [(2, 3, 4), (4, 5, 6)]),
    ("ij,jk->ki", [(3, 4), (4, 5)]),  # transposed output
    ("bij,bjk->kbi", [(2, 3, 4), (2, 4, 5)]),
    ("abc,cd->da", [(2, 3, 4), (4, 5)]),  # b summed within the first operand only
    ("abc,dc->", [(2, 3, 4), (5, 4)]),
    ("ij,ij->ij", [(1, 3), (4, 3)]),  # a size-1 axis broadcasts
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),  # broadcast batch dims
    ("a...,a...->...", [(2, 3, 4), (2, 1, 4)]),
    ("ab...,bc->...ca", [(2, 3, 4), (3, 5)]),
]


@pytest.mark.parametrize("spec,shapes", EINSUMS, ids=[e[0] for e in EINSUMS])
def test_einsum_values_and_grads(spec, shapes):
    arrays = [randn(*s, seed=k) for k, s in enumerate(shapes)]
    np.testing.assert_allclose(
        ops.einsum(spec, *arrays).numpy(), np.einsum(spec, *arrays), rtol=1e-12, atol=1e-12
    )
    check_grad(lambda *ts: ops.einsum(spec, *ts), *arrays)


def test_einsum_two_operands_avoid_numpys_einsum_loop(monkeypatch):
    """Forward and both gradients of a two-operand einsum are batched GEMMs: numpy's unoptimised
    einsum loop took 94 ms for a 32x128x4x16 attention score where BLAS takes ~3 ms."""
    q, k = randn(2, 6, 3, 4), randn(2, 5, 3, 4)
    want = np.einsum("aecd,abcd->acbe", k, q)
    dk, dq = np.einsum("acbe,abcd->aecd", want, q), np.einsum("acbe,aecd->abcd", want, k)
    monkeypatch.setattr(np, "einsum", None)
    tk, tq = Tensor(k, requires_grad=True), Tensor(q, requires_grad=True)
    out = ops.einsum("aecd,abcd->acbe", tk, tq)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-12, atol=1e-12)
    gk, gq = gradients(out, [tk, tq], output_gradient=want)
    np.testing.assert_allclose(gk, dk, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gq, dq, rtol=1e-12, atol=1e-12)


def test_einsum_trace_gradient_is_identity():
    t = Tensor(randn(3, 3), requires_grad=True)
    (g,) = gradients(ops.einsum("ii->", t), [t])
    np.testing.assert_array_equal(g, np.eye(3))


def test_einsum_bad_input():
    with pytest.raises(ValueError, match="einsum"):
        ops.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((4, 5)))
    with pytest.raises(ValueError, match="2 operands"):
        ops.einsum("ij,jk->ik", np.ones((2, 3)))


def test_outer_inner():
    a, b = randn(2, 3, seed=1), randn(4, seed=2)
    np.testing.assert_allclose(ops.outer(a, b).numpy(), np.outer(a, b))
    check_grad(ops.outer, a, b)
    c, d = randn(2, 3, seed=3), randn(4, 3, seed=4)
    with dtypes.keep_64bit():  # Keras 3 gives float32 for inner of float64
        np.testing.assert_allclose(ops.inner(c, d).numpy(), np.inner(c, d), rtol=1e-12)
    check_grad(ops.inner, c, d)
    np.testing.assert_allclose(
        ops.inner(randn(3), randn(3, seed=1)).numpy(),
        np.inner(randn(3), randn(3, seed=1)),
        rtol=1e-6,
    )


@pytest.mark.parametrize(
    "offset,axis1,axis2", [(0, 0, 1), (1, 0, 1), (-1, 0, 1), (0, 1, 2), (1, 2, 0), (0, -1, -2)]
)
def test_diagonal_and_trace(offset, axis1, axis2):
    x = randn(3, 4, 3)
    np.testing.assert_array_equal(
        ops.diagonal(x, offset, axis1, axis2).numpy(), np.diagonal(x, offset, axis1, axis2)
    )
    np.testing.assert_allclose(
        ops.trace(x, offset, axis1, axis2).numpy(), np.trace(x, offset, axis1, axis2)
    )
    check_grad(lambda t: ops.diagonal(t, offset, axis1, axis2), x)
    check_grad(lambda t: ops.trace(t, offset, axis1, axis2), x)


def test_diag():
    v, m = randn(3), randn(3, 4)
    for k in (-1, 0, 2):
        np.testing.assert_array_equal(ops.diag(v, k).numpy(), np.diag(v, k))
        np.testing.assert_array_equal(ops.diag(m, k).numpy(), np.diag(m, k))
        check_grad(lambda t, k=k: ops.diag(t, k), v)
        check_grad(lambda t, k=k: ops.diag(t, k), m)


def well_conditioned(*shape, seed=0):
    return randn(*shape, seed=seed) + 3 * np.eye(shape[-1])


def test_inv_det_solve():
    a = well_conditioned(2, 3, 3)
    b = randn(2, 3, 2, seed=5)
    eye = np.broadcast_to(np.eye(3), a.shape)
    np.testing.assert_allclose(ops.matmul(ops.inv(a), a).numpy(), eye, atol=1e-12)
    m = np.array([[2.0, 1.0], [0.5, 3.0]])
    np.testing.assert_allclose(float(ops.det(m)), 2.0 * 3.0 - 1.0 * 0.5)
    x = ops.solve(a, b).numpy()
    np.testing.assert_allclose(np.matmul(a, x), b, atol=1e-12)
    check_grad(ops.inv, a)
    check_grad(ops.det, a)
    check_grad(ops.det, m)
    check_grad(ops.solve, a, b)
    check_grad(ops.solve, well_conditioned(3, 3), randn(3, seed=2))
    with pytest.raises(ValueError, match=r"inv.*square.*\(2, 3\)"):
        ops.inv(np.ones((2, 3)))


def test_linalg_namespace_has_norm():
    import minikeras as keras

    assert float(keras.ops.linalg.norm(np.array([3.0, 4.0]))) == 5.0


def test_public_sub_namespaces_dispatch_like_keras_ops():
    """Keras 3 exposes keras.ops.nn, keras.ops.numpy and keras.ops.linalg as namespaces of the
    same ops, and they work on symbolic tensors (`keras.ops.nn.softmax(keras.Input(...))`);
    minikeras's ops.nn used to be its raw module, which refused KerasTensors."""
    import minikeras as keras

    x = keras.Input((3,))
    model = keras.Model(
        x, [keras.ops.nn.softmax(x), keras.ops.linalg.norm(x, axis=-1), keras.ops.numpy.add(x, 1.0)]
    )
    data = np.array([[1.0, 2.0, 3.0]], "float32")
    soft, norm, plus = (o.numpy() for o in model(data))
    e = np.exp(data - data.max())
    np.testing.assert_allclose(soft, e / e.sum(), rtol=1e-6)
    np.testing.assert_allclose(norm, [np.sqrt(14.0)], rtol=1e-6)
    np.testing.assert_allclose(plus, data + 1)
    assert keras.ops.nn.relu is keras.ops.relu
    with pytest.raises(AttributeError, match="keras.ops.nn"):
        keras.ops.nn.no_such_op


def test_matmul_of_int8_gives_int32_and_dot_keeps_int8():
    """Keras 3.15.1 (numpy, jax and torch backends): matmul(int8, int8) is int32 (no overflow:
    100 * 100 * 2 = 20000); dot(int8, int8) stays int8; other int pairs keep their dtype."""
    a = np.full((2, 2), 100, "int8")
    y = ops.matmul(a, a)
    assert y.dtype == "int32" and y.numpy().tolist() == [[20000, 20000]] * 2
    assert ops.dot(np.ones((2, 2), "int8"), np.ones((2, 2), "int8")).dtype == "int8"
    assert ops.matmul(np.ones((2, 2), "int16"), np.ones((2, 2), "int16")).dtype == "int16"


def test_einsum_of_int8_gives_int32_and_tensordot_keeps_int8():
    """Keras 3.15.1 (numpy, jax and torch backends): einsum of int8 operands is int32 (no
    overflow), tensordot(int8, int8) stays int8, mixed int8/int16 einsum is int16."""
    a = np.full((2, 2), 100, "int8")
    y = ops.einsum("ij,jk->ik", a, a)
    assert y.dtype == "int32" and y.numpy().tolist() == [[20000, 20000]] * 2
    assert ops.tensordot(np.ones((2, 2), "int8"), np.ones((2, 2), "int8"), 1).dtype == "int8"
    assert ops.einsum("ij,jk->ik", a, a.astype("int16")).dtype == "int16"
