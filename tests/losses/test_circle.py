"""The circle loss (minikeras/losses/circle.py) against Keras 3.15.1 values, and its gradient."""

import json
import os

import numpy as np
import pytest
from helpers import check_grad

from minikeras import losses

_FIX2 = os.path.join(os.path.dirname(__file__), "..", "data", "keras", "metrics_losses2_k3.npz")


@pytest.mark.parametrize("i", range(4))
def test_circle_matches_keras3(i):
    """Keras 3.15.1 (jax) circle loss values; `Circle()` means over rows with a non-zero loss."""
    f = np.load(_FIX2)
    kwargs = json.loads(str(f[f"circle{i}"]))
    kw = dict(kwargs)
    if kw.pop("ref", False):
        kw["ref_labels"], kw["ref_embeddings"] = f["x_circ_refy"], f["x_circ_ref"]
    out = losses.circle(f["x_circ_y"], f["x_circ_emb"], **kw)
    np.testing.assert_allclose(out.numpy(), f[f"circle{i}_loss"], rtol=1e-5, atol=1e-5)
    if f"circle{i}_cls" in f.files:
        cls = losses.Circle(**kw)
        np.testing.assert_allclose(
            cls(f["x_circ_y"], f["x_circ_emb"]).numpy(), f[f"circle{i}_cls"], rtol=1e-5
        )
        assert cls.get_config() == json.loads(str(f[f"circle{i}_config"]))


def test_circle_gradient_float64():
    labels = np.array([0, 1, 0, 1, 2])

    def fn(e):
        return losses.circle(labels, e, gamma=4.0)

    emb = np.random.default_rng(5).normal(size=(5, 3))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    check_grad(fn, emb, rtol=1e-5, atol=1e-7)
