"""Writes api16a_misc_k3.npz: Keras 3.15.1 (torch backend) outputs for issue 16's second batch of
losses and layers: CategoricalGeneralizedCrossEntropy (values, reductions, the gradient with
respect to y_pred), and the layers whose numbers tests compare (each entry named below).

Run: KERAS_BACKEND=torch /work/anchors/bin/python tests/data/keras/make_api16a_misc_fixtures.py
"""

import os

import keras
import numpy as np
import torch

rng = np.random.default_rng(161)
OUT = {}


def loss_cases():
    logits = rng.normal(size=(6, 4)).astype("float32")
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    labels = np.array([0, 3, 1, 1, 2, 0], "int32")
    weights = rng.uniform(0.0, 2.0, size=(6,)).astype("float32")
    OUT.update(gce_probs=probs, gce_labels=labels, gce_weights=weights)
    for q in (0.2, 0.5, 0.9):
        y = keras.losses.categorical_generalized_cross_entropy(
            labels, torch.tensor(probs), q
        )
        OUT[f"gce_fn_q{q}"] = y.detach().numpy()
    for reduction in ("sum_over_batch_size", "sum", "none", "mean_with_sample_weight"):
        loss = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.7, reduction=reduction)
        OUT[f"gce_cls_{reduction}"] = np.asarray(loss(labels, probs, sample_weight=weights))
    p = torch.tensor(probs, requires_grad=True)
    total = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.4)(labels, p)
    total.backward()
    OUT["gce_grad_q0.4"] = p.grad.numpy()


def main():
    loss_cases()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "api16a_misc_k3.npz")
    np.savez_compressed(path, **OUT)
    print(f"wrote {len(OUT)} arrays to {path}")


if __name__ == "__main__":
    main()
