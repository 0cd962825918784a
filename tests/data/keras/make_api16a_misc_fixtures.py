"""Writes api16a_misc_k3.npz: Keras 3.15.1 (jax backend) outputs for issue 16's second batch of
losses, optimizers and layers: CategoricalGeneralizedCrossEntropy (values, reductions, the
gradient with respect to y_pred), ScheduleFreeAdamW (five steps; jax and numpy agree, while the
torch backend differs from the second step on: its `momentum.value` aliases the slot that
`assign_sub` then updates in place), and the layers whose numbers tests compare.

Run: KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_api16a_misc_fixtures.py
"""

import os

import keras
import numpy as np
import jax

rng = np.random.default_rng(161)
OUT = {}


def loss_cases():
    logits = rng.normal(size=(6, 4)).astype("float32")
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    labels = np.array([0, 3, 1, 1, 2, 0], "int32")
    weights = rng.uniform(0.0, 2.0, size=(6,)).astype("float32")
    OUT.update(gce_probs=probs, gce_labels=labels, gce_weights=weights)
    for q in (0.2, 0.5, 0.9):
        y = keras.losses.categorical_generalized_cross_entropy(labels, jax.numpy.asarray(probs), q)
        OUT[f"gce_fn_q{q}"] = np.asarray(y)
    for reduction in ("sum_over_batch_size", "sum", "none", "mean_with_sample_weight"):
        loss = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.7, reduction=reduction)
        OUT[f"gce_cls_{reduction}"] = np.asarray(loss(labels, probs, sample_weight=weights))
    loss = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.4)
    OUT["gce_grad_q0.4"] = np.asarray(jax.grad(lambda p: loss(labels, p))(jax.numpy.asarray(probs)))


def optimizer_cases():
    w0 = rng.normal(size=(3, 4)).astype("float32")
    grads = rng.normal(size=(5, 3, 4)).astype("float32")
    OUT.update(sfa_w0=w0, sfa_grads=grads)
    configs = {
        "default": {},
        "warmup_wd": {"learning_rate": 0.05, "warmup_steps": 3, "weight_decay": 0.1},
        "betas": {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
    }
    for key, config in configs.items():
        w = keras.Variable(w0)
        opt = keras.optimizers.ScheduleFreeAdamW(**config)
        for g in grads:
            opt.apply([g], [w])
        OUT[f"sfa_{key}"] = np.asarray(w.numpy())
        OUT[f"sfa_{key}_slots"] = np.stack([np.asarray(v.numpy()) for v in opt.variables[2:]])


def main():
    loss_cases()
    optimizer_cases()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "api16a_misc_k3.npz")
    np.savez_compressed(path, **OUT)
    print(f"wrote {len(OUT)} arrays to {path}")


if __name__ == "__main__":
    main()
