"""The CTC loss (minikeras/losses/ctc.py) against Keras 3.15.1 values."""

import os

import numpy as np
import pytest

from minikeras import losses
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

_FIX2 = os.path.join(os.path.dirname(__file__), "..", "data", "keras", "metrics_losses2_k3.npz")


def test_ctc_loss_function_and_class_match_keras3():
    """Keras 3.15.1 (jax): `ctc` counts non-zero labels as the length and uses every frame;
    `CTC()` averages over the batch. Values from tests/data/keras/make_metric_loss_fixtures.py."""
    f = np.load(_FIX2)
    y, z = f["x_ctc_loss_y"], f["x_ctc_z"]
    np.testing.assert_allclose(losses.ctc(y, z).numpy(), f["ctcfn_loss"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(losses.CTC()(y, z).numpy(), f["ctccls_loss"], rtol=1e-5)
    assert losses.CTC().get_config() == {"name": "ctc", "reduction": "sum_over_batch_size"}
    assert losses.get("ctc") is losses.ctc and type(losses.get("CTC")) is losses.CTC
    with pytest.raises(ValueError, match="y_true"):
        losses.ctc(np.zeros((2, 3, 1)), z)


def test_ctc_loss_trains_through_the_loss_class():
    """The CTC loss has a gradient w.r.t. the logits that lowers it (the OCR/ASR use)."""
    f = np.load(_FIX2)
    z = Tensor(f["x_ctc_z"].copy(), requires_grad=True)
    loss = losses.CTC()(f["x_ctc_loss_y"], z)
    (g,) = gradients(loss, [z])
    lower = losses.CTC()(f["x_ctc_loss_y"], Tensor(f["x_ctc_z"] - 0.5 * g))
    assert float(lower.numpy()) < float(loss.numpy())
