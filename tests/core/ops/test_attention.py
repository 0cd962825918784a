"""keras.ops.dot_product_attention (minikeras/core/ops/attention.py) against real Keras 3.15.1
(jax backend) outputs and gradients from `tests/data/keras/make_core_ops_fixtures.py`, plus
float64 finite-difference gradients and Keras's argument errors."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import ops
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor
from tests.helpers import check_grad, randn

FIXTURES = np.load(os.path.join(os.path.dirname(__file__), "../../data/keras/core_ops_k3.npz"))
CASES = sorted(int(k[3:]) for k in FIXTURES.files if k.startswith("dpa") and "_" not in k)


@pytest.mark.parametrize("i", CASES)
def test_matches_keras3(i):
    spec = json.loads(str(FIXTURES[f"dpa{i}"]))
    arrays = {n: FIXTURES[f"dpa{i}_{n}"] for n in spec["arrays"]}
    diff = [n for n in ("query", "key", "value", "bias") if n in arrays]
    tensors = {
        n: Tensor(a, requires_grad=n in diff) if n != "mask" else a for n, a in arrays.items()
    }
    out = ops.dot_product_attention(**tensors, **spec["kwargs"])
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), FIXTURES[f"dpa{i}_out"], rtol=1e-5, atol=1e-5)
    grads = gradients(out, [tensors[n] for n in diff], output_gradient=FIXTURES[f"dpa{i}_w"])
    for n, g in zip(diff, grads):
        np.testing.assert_allclose(g, FIXTURES[f"dpa{i}_d{n}"], rtol=1e-4, atol=1e-5, err_msg=n)


def test_grad_float64_grouped_masked_causal():
    mask = np.random.default_rng(0).uniform(size=(2, 1, 3, 4)) > 0.3

    def fn(q, k, v, bias):
        return ops.dot_product_attention(q, k, v, bias=bias, mask=mask, is_causal=True, scale=0.7)

    check_grad(fn, (2, 3, 4, 5), (2, 4, 2, 5), (2, 4, 2, 3), (1, 4, 3, 4))
    check_grad(
        lambda q, k, v: ops.dot_product_attention(q, k, v), (1, 3, 2, 4), (1, 5, 2, 4), (1, 5, 2, 4)
    )


def test_default_scale_and_dtype():
    """scale defaults to 1/sqrt(depth); float64 inputs stay float64."""
    q, k, v = randn(1, 2, 1, 4), randn(1, 3, 1, 4, seed=1), randn(1, 3, 1, 4, seed=2)
    logits = np.einsum("th,sh->ts", q[0, :, 0], k[0, :, 0]) / 2.0
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    out = ops.dot_product_attention(q, k, v)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.numpy()[0, :, 0], p @ v[0, :, 0], rtol=1e-12)


def test_errors_and_symbolic_node(tmp_path):
    q = np.ones((1, 2, 3, 4), "float32")
    with pytest.raises(ValueError, match="attn_logits_soft_cap"):
        ops.dot_product_attention(q, q, q, attn_logits_soft_cap=20.0)
    with pytest.raises(ValueError, match="flash"):
        ops.dot_product_attention(q, q, q, flash_attention=True)
    with pytest.raises(ValueError, match="4D"):
        ops.dot_product_attention(q[0], q[0], q[0])
    with pytest.raises(ValueError, match="multiple"):
        ops.dot_product_attention(q, np.ones((1, 2, 2, 4)), np.ones((1, 2, 2, 4)))
    x = keras.Input((2, 3, 4))
    y = ops.dot_product_attention(x, x, x, is_causal=True)
    layer = y._keras_history[0]
    assert layer.name.startswith("dot_product_attention")
    assert layer.op_kwargs == {
        "is_causal": True,
        "flash_attention": None,
        "attn_logits_soft_cap": None,
    }
    model = keras.Model(x, y)
    model.save(tmp_path / "m.keras")
    data = randn(2, 2, 3, 4, dtype="float32")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        loaded(data).numpy(), ops.dot_product_attention(data, data, data, is_causal=True).numpy()
    )
