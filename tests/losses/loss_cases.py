"""Shared inputs of the loss tests and numpy versions of Keras's formulas (the expected values)."""

import numpy as np

EPS = 1e-7
RNG = np.random.default_rng(0)
Y_REG = RNG.standard_normal((5, 3)).astype("float32")
P_REG = RNG.standard_normal((5, 3)).astype("float32")
Y_POS = RNG.uniform(0.1, 2, (5, 3)).astype("float32")
P_POS = RNG.uniform(0.1, 2, (5, 3)).astype("float32")
Y_BIN = RNG.integers(0, 2, (5, 3)).astype("float32")
P_PROB = RNG.uniform(0.02, 0.98, (5, 3)).astype("float32")
LABELS = np.array([0, 2, 1, 2, 0])
ONE_HOT = np.eye(3, dtype="float32")[LABELS]
LOGITS = RNG.standard_normal((5, 3)).astype("float32") * 2
SOFT = np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)


def normalize(x):
    return x / np.maximum(np.sqrt((x * x).sum(-1, keepdims=True)), EPS)


def bce_np(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def cce_np(t, p):
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -(t * np.log(p)).sum(-1)


def hinge_labels(t):
    return 2 * t - 1 if np.all((t == 0) | (t == 1)) else t


def assert_per_sample(fn, y_true, y_pred, ref):
    """`fn` gives one value per sample, equal to `ref` computed in float64."""
    out = fn(y_true, y_pred)
    assert out.shape == (5,)
    np.testing.assert_allclose(
        out.numpy(), ref(y_true.astype("float64"), y_pred.astype("float64")), rtol=1e-5, atol=1e-6
    )
