"""Large float binary ops split over minikeras's threads (`_elementwise_base._split_ufunc`):
the same values as numpy's call for every broadcast layout, the gradients unchanged, and the
cases it must leave to numpy (mixed dtypes, ints, small arrays, one thread)."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.core.ops import _elementwise_base as eb
from minikeras.kernels import threads

OPS = [
    (keras.ops.add, np.add),
    (keras.ops.subtract, np.subtract),
    (keras.ops.multiply, np.multiply),
    (keras.ops.divide, np.true_divide),
    (keras.ops.maximum, np.maximum),
    (keras.ops.minimum, np.minimum),
]
# (x shape, y shape): same shape, a trailing bias, a scalar, y broadcast along the first
# axis, x broadcast along the first axis, y of more dims than x
LAYOUTS = [
    ((64, 40, 64), (64, 40, 64)),
    ((32, 128, 4, 16), (4, 16)),
    ((64, 40, 64), ()),
    ((64, 40, 64), (1, 40, 64)),
    ((1, 40, 64), (64, 40, 64)),
    ((40, 64), (64, 40, 64)),
]


@pytest.fixture
def two_threads(monkeypatch):
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    calls = []
    run_blocks = threads.run_blocks

    def spy(fn, n, n_threads=None, **kwargs):
        calls.append(n_threads)
        return run_blocks(fn, n, n_threads, **kwargs)

    monkeypatch.setattr(threads, "run_blocks", spy)
    return calls


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("x_shape, y_shape", LAYOUTS)
@pytest.mark.parametrize("op, ufunc", OPS)
def test_split_equals_numpy(monkeypatch, two_threads, op, ufunc, x_shape, y_shape, dtype):
    rng = np.random.default_rng(len(x_shape) + len(y_shape))
    x = rng.normal(size=x_shape).astype(dtype)
    y = (rng.uniform(0.5, 2.0, size=y_shape) * rng.choice([-1, 1], size=y_shape)).astype(dtype)
    got = op(x, y).numpy()
    assert two_threads == [2]  # it did split
    # the op's own dtype rules (maximum/minimum compute float64 numpy inputs in floatx)
    np.testing.assert_array_equal(got, ufunc(x.astype(got.dtype), y.astype(got.dtype)))
    monkeypatch.setattr(threads, "num_threads", lambda: 1)
    unsplit = op(x, y).numpy()
    assert unsplit.dtype == got.dtype
    np.testing.assert_array_equal(got, unsplit)


def test_gradients_unchanged(two_threads):
    rng = np.random.default_rng(0)
    x = keras.Variable(rng.normal(size=(32, 128, 4, 16)).astype("float32"))
    b = keras.Variable(rng.normal(size=(4, 16)).astype("float32"))
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(keras.ops.multiply(keras.ops.add(x, b), 3.0) ** 2)
    gx, gb = tape.gradient(loss, [x, b])
    assert two_threads == [2, 2]
    ref = 18.0 * (x.numpy() + b.numpy())
    np.testing.assert_allclose(gx.numpy(), ref, rtol=1e-6)
    np.testing.assert_allclose(gb.numpy(), ref.sum(axis=(0, 1)), rtol=1e-4)


@pytest.mark.parametrize(
    "x, y",
    [
        (np.ones((64, 40, 64), "float32"), np.ones((64, 40, 64), "float64")),  # mixed dtypes
        (np.ones((64, 40, 64), "int32"), np.ones((64, 40, 64), "int32")),  # ints
        (np.ones((8, 40, 64), "float32"), np.ones((8, 40, 64), "float32")),  # small
    ],
)
def test_left_to_numpy(two_threads, x, y):
    got = keras.ops.add(x, y).numpy()
    np.testing.assert_array_equal(got, np.add(x, y))
    assert two_threads == []


def test_one_thread_is_numpy(monkeypatch):
    monkeypatch.setattr(threads, "num_threads", lambda: 1)
    x = np.ones((64, 40, 64), "float32")
    assert eb._split_ufunc(np.add, x, x) is None
