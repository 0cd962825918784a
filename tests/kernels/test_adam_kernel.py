"""The fused Adam kernel against its numpy reference."""

import numba
import numpy as np
import pytest

from minikeras.kernels.adam import adam_update, adam_update_ref
from minikeras.optimizers.adam import fused_adam


def state(n, seed=0):
    rng = np.random.default_rng(seed)
    w, g, m = (rng.standard_normal(n).astype("float32") for _ in range(3))
    v = np.abs(rng.standard_normal(n)).astype("float32")
    vhat = (v * rng.uniform(0.5, 1.5, n)).astype("float32")
    return w, g, m, v, vhat


SCALARS = [np.float32(x) for x in (0.01, 1 - 0.9, 1 - 0.999, 1e-7)]  # alpha, 1-b1, 1-b2, eps


@pytest.mark.parametrize("n", [1, 7, 1000])
@pytest.mark.parametrize("amsgrad", [False, True])
def test_kernel_matches_reference(n, amsgrad):
    a = state(n)
    b = [x.copy() for x in a]
    adam_update(*a, *SCALARS, amsgrad)
    adam_update_ref(*b, *SCALARS, amsgrad)
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-7)
    if not amsgrad:  # vhat untouched
        np.testing.assert_array_equal(a[4], state(n)[4])


def test_kernel_matches_keras_formula_in_float64():
    w, g, m, v, _ = (x.astype("float64") for x in state(50, seed=3))
    lr, b1, b2, eps, t = 0.01, 0.9, 0.999, 1e-7, 4
    alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
    m_new = b1 * m + (1 - b1) * g
    v_new = b2 * v + (1 - b2) * g * g
    expected = w - alpha * m_new / (np.sqrt(v_new) + eps)
    adam_update(w, g, m, v, v, alpha, 1 - b1, 1 - b2, eps, False)
    np.testing.assert_allclose(w, expected, rtol=1e-12)


def test_wrapper_handles_shapes_noncontiguous_and_disabled_jit(monkeypatch):
    w, g, m, v, vhat = (x.reshape(4, 5) for x in state(20))
    ref = [x.copy() for x in (w, g, m, v, vhat)]
    fused_adam(w, np.asfortranarray(g), m, v, vhat, 0.01, 0.9, 0.999, 1e-7, True)
    adam_update_ref(*ref, *SCALARS, True)
    np.testing.assert_allclose(w, ref[0], rtol=1e-6, atol=1e-7)
    monkeypatch.setattr(numba.config, "DISABLE_JIT", True)
    w2, g2, m2, v2, _ = (x.copy() for x in state(6))
    r = [x.copy() for x in (w2, g2, m2, v2, v2)]
    r[4] = r[3]
    fused_adam(w2, g2, m2, v2, v2, 0.01, 0.9, 0.999, 1e-7, False)
    adam_update_ref(*r, *SCALARS, False)
    np.testing.assert_allclose(w2, r[0], rtol=1e-6)
