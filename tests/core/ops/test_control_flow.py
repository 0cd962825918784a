"""keras.ops control flow and custom_gradient (minikeras/core/ops/control_flow.py).

Expected values come from the semantics Keras 3 documents in `keras/src/ops/core.py` (the Python
reference loops in the docstrings, written out here in numpy) and its docstring examples;
gradients are checked against float64 central differences.
"""

import numpy as np
import pytest

import minikeras as keras
from minikeras import ops
from tests.helpers import check_grad, randn


def _np(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


# ---- values (Keras's docstring examples and reference loops) -----------------------------------


def test_cond_takes_one_branch():
    calls = []
    out = ops.cond(ops.array(False), lambda: calls.append("t") or 1, lambda: calls.append("f") or 2)
    assert out == 2 and calls == ["f"]


def test_switch_clamps_index():
    """Keras: an out-of-bounds index is clamped (2.5 / 1.5 from Keras's docstring)."""
    branches = [lambda x, y: x + y, lambda x, y: x - y]
    x, y = ops.array(2.0), ops.array(0.5)
    assert float(ops.switch(0, branches, x, y)) == 2.5
    assert float(ops.switch(1, branches, x, y)) == 1.5
    assert float(ops.switch(7, branches, x, y)) == 1.5
    assert float(ops.switch(-3, branches, x, y)) == 2.5


def test_while_loop_structures_and_maximum_iterations():
    """Keras docstring: 10, and (10, 11) for a tuple of loop variables."""
    assert int(ops.while_loop(lambda i: i < 10, lambda i: i + 1, 0)) == 10
    x, y = ops.while_loop(lambda x, y: x < 10, lambda x, y: (x + 1, y + 1), (0, 1))
    assert (int(x), int(y)) == (10, 11)
    assert int(ops.while_loop(lambda i: i < 10, lambda i: i + 1, 0, maximum_iterations=3)) == 3


def test_fori_loop_docstring():
    assert int(ops.fori_loop(0, 10, lambda i, s: s + i, 0)) == 45


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_matches_reference_loop(reverse):
    xs = randn(5, 3)
    carry, ys = ops.scan(lambda c, x: (c * 0.5 + x, c + 2 * x), np.zeros(3), xs, reverse=reverse)
    c, expected = np.zeros(3), [None] * 5
    for i in range(4, -1, -1) if reverse else range(5):
        c, expected[i] = c * 0.5 + xs[i], c + 2 * xs[i]
    np.testing.assert_allclose(_np(carry), c)
    np.testing.assert_allclose(_np(ys), np.stack(expected))


def test_scan_nested_and_length_only():
    carry, ys = ops.scan(
        lambda c, x: ((c[0] + x["a"], c[1] * 2), x["b"]),
        (0.0, 1.0),
        {"a": np.arange(4.0), "b": np.ones((4, 2))},
    )
    assert float(carry[0]) == 6.0 and float(carry[1]) == 16.0 and ys.shape == (4, 2)
    carry, ys = ops.scan(lambda c, _: (c + 1, c), 0, length=3)
    assert int(carry) == 3 and _np(ys).tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="length"):
        ops.scan(lambda c, x: (c, x), 0)


def test_map_and_vectorized_map():
    """Keras docstrings: map(x**2) and nested outputs; vectorized_map of a list passes lists."""
    assert _np(ops.map(lambda x: x**2, ops.arange(10))).tolist() == [i * i for i in range(10)]
    ys = ops.map(lambda x: {"y1": x**2, "y2": x * 10}, ops.arange(4))
    assert _np(ys["y2"]).tolist() == [0, 10, 20, 30]
    a, b = randn(3, 2), randn(3, 2, seed=1)
    out = ops.vectorized_map(lambda pair: pair[0] * pair[1], [a, b])
    np.testing.assert_allclose(_np(out), a * b)
    np.testing.assert_allclose(_np(ops.vectorized_map(ops.sum, a)), a.sum(1))


def _affine(p, q):  # composition of x -> a x + b maps: associative, not commutative
    return (p[0] * q[0], q[0] * p[1] + q[1])


@pytest.mark.parametrize("n", [1, 2, 5, 8, 11])
@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan_matches_sequential(n, reverse):
    a, b = randn(2, n, 3), randn(2, n, 3, seed=1)
    ra, rb = ops.associative_scan(_affine, (a, b), reverse=reverse, axis=1)
    ea, eb = np.empty_like(a), np.empty_like(b)
    order = list(range(n))[::-1] if reverse else list(range(n))
    acc = None
    for i in order:
        acc = (a[:, i], b[:, i]) if acc is None else _affine(acc, (a[:, i], b[:, i]))
        ea[:, i], eb[:, i] = acc
    np.testing.assert_allclose(_np(ra), ea, rtol=1e-12)
    np.testing.assert_allclose(_np(rb), eb, rtol=1e-12)
    assert _np(ops.associative_scan(lambda x, y: x + y, ops.arange(5))).tolist() == [0, 1, 3, 6, 10]


# ---- gradients through the executed path -------------------------------------------------------


def test_cond_grad_flows_through_taken_branch():
    check_grad(lambda x: ops.cond(ops.sum(x) > -100, lambda: ops.sin(x) * x, lambda: x), (4,))
    check_grad(lambda x: ops.cond(False, lambda: ops.sin(x), lambda: ops.exp(x)), (4,))


def test_scan_grad():
    def fn(init, xs, w):
        return ops.scan(lambda c, x: (ops.tanh(c * w + x), c * x), init, xs)[1]

    check_grad(fn, (3,), (4, 3), (3,))
    check_grad(
        lambda init, xs: ops.scan(lambda c, x: (c * x, c), init, xs, reverse=True)[0], (3,), (4, 3)
    )


def test_loops_grad():
    check_grad(lambda x: ops.fori_loop(0, 4, lambda i, v: ops.sin(v) * (i + 1), x), (3,))
    check_grad(
        lambda x: ops.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * v + v), (0, x))[1],
        (3,),
    )
    check_grad(lambda x: ops.switch(1, [ops.exp, ops.sin], x), (3,))


def test_map_grad():
    check_grad(lambda x, w: ops.map(lambda r: ops.matmul(r, w), x), (4, 3), (3, 2))
    check_grad(lambda x: ops.vectorized_map(lambda r: ops.sum(r * r), x), (4, 3))


def test_associative_scan_grad():
    check_grad(lambda a, b: ops.associative_scan(_affine, (a, b), axis=0)[1], (7, 2), (7, 2))
    check_grad(lambda x: ops.associative_scan(ops.multiply, x, reverse=True, axis=1), (2, 6))


def _log1pexp(convention):
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)
        if convention == "jax":

            def grad(upstream):
                return upstream * (1.0 - 1.0 / (1.0 + e))
        else:  # Keras's portable form: torch passes (*args, upstream=...)

            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                return upstream * (1.0 - 1.0 / (1.0 + e))

        return ops.log(1.0 + e), grad

    return log1pexp


@pytest.mark.parametrize("convention", ["jax", "portable"])
def test_custom_gradient_matches_finite_differences(convention):
    check_grad(_log1pexp(convention), (5,))


def test_custom_gradient_replaces_the_recorded_gradient():
    @ops.custom_gradient
    def scaled(x, y):
        return x * y, lambda up: (up * 100.0, None)  # deliberately not the true gradient

    x, y = keras.Variable([1.0, 2.0]), keras.Variable([3.0, 4.0])
    with keras.GradientTape() as tape:
        loss = ops.sum(scaled(x, y))
    gx, gy = tape.gradient(loss, [x, y])
    assert _np(gx).tolist() == [100.0, 100.0] and gy is None


def test_custom_gradient_two_outputs():
    @ops.custom_gradient
    def pair(x):
        return (x * 2.0, x * x), lambda g1, g2: g1 * 2.0 + g2 * 2.0 * x

    check_grad(lambda x: pair(x)[0] * 3.0 + pair(x)[1], (4,))


# ---- symbolic tensors in functional models -----------------------------------------------------


@keras.saving.register_keras_serializable(package="test_control_flow")
def _running(c, x):
    return c + x, c * x


def test_functional_nodes_and_saving(tmp_path):
    """One op node per call, named as Keras names it; a registered function saves by name and
    loads back (Keras 3 writes functions by name too); a lambda cannot be saved."""
    x = keras.Input((3,))
    _, y = ops.scan(_running, ops.zeros((3,)), x)
    z = ops.map(lambda r: r * 2.0, y)
    w = ops.cond(ops.sum(x) > 0, lambda: 1.0, lambda: 2.0)
    assert y._keras_history[0].name.startswith("scan") and w._keras_history[0].name.startswith(
        "cond"
    )
    data = randn(4, 3, dtype="float32")
    m = keras.Model(x, y)
    c, ref = np.zeros(3, "float32"), []
    for row in data:
        c, out = c + row, c * row
        ref.append(out)
    np.testing.assert_allclose(_np(m(data)), np.stack(ref), rtol=1e-6)
    np.testing.assert_allclose(_np(keras.Model(x, z)(data)), 2 * np.stack(ref), rtol=1e-6)
    m.save(tmp_path / "scan.keras")
    loaded = keras.saving.load_model(tmp_path / "scan.keras")
    np.testing.assert_allclose(_np(loaded(data)), np.stack(ref), rtol=1e-6)
    with pytest.raises(ValueError, match=r"keras\.ops\.map"):
        keras.Model(x, z).save(tmp_path / "map.keras")
