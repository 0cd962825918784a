"""Writes linalg_k3.npz: values, dtypes and input gradients of keras.ops cholesky,
cholesky_inverse, eigh, qr, svd, lstsq, solve_triangular, lu_factor, slogdet, logdet, pinv and
matrix_rank from Keras 3.15.1 on the jax backend (float32; gradients by jax.grad of
sum(output * W) for a fixed W, through Keras's ops).

Run: KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_linalg_fixtures.py
"""

import os

import jax
import keras
import numpy as np
from keras import ops

rng = np.random.default_rng(7)
M = rng.normal(size=(4, 4)).astype("float32")
SPD = (M @ M.T + 4 * np.eye(4)).astype("float32")
A = rng.normal(size=(5, 3)).astype("float32")  # tall
W_ = rng.normal(size=(4, 3)).astype("float32")  # wide (transposed tall)
B = rng.normal(size=(5, 2)).astype("float32")
B3 = rng.normal(size=(4, 2)).astype("float32")
BATCH = rng.normal(size=(2, 3, 3)).astype("float32") + 3 * np.eye(3, dtype="float32")


def weights_like(y, seed):
    return np.random.default_rng(seed).normal(size=np.shape(y)).astype("float32")


def main():
    out = {"SPD": SPD, "A": A, "W": W_, "B": B, "B3": B3, "BATCH": BATCH, "M": M}

    def record(name, fn, *args):
        ys = fn(*args)
        ys = ys if isinstance(ys, (tuple, list)) else (ys,)
        for i, y in enumerate(ys):
            out[f"{name}__y{i}"] = np.asarray(y)
        weights = [weights_like(y, 100 + i) for i, y in enumerate(ys)]
        for i, w in enumerate(weights):
            out[f"{name}__w{i}"] = w

        def loss(*xs):
            ys = fn(*xs)
            ys = ys if isinstance(ys, (tuple, list)) else (ys,)
            return sum(ops.sum(y * w) for y, w in zip(ys, weights) if "float" in str(y.dtype))

        try:
            grads = jax.grad(loss, argnums=tuple(range(len(args))))(*args)
            for i, g in enumerate(grads):
                out[f"{name}__g{i}"] = np.asarray(g)
        except Exception as e:  # not differentiable in Keras/jax
            print(name, "no gradient:", type(e).__name__, str(e)[:80])

    record("cholesky", ops.cholesky, SPD)
    record("cholesky_upper", lambda x: ops.cholesky(x, upper=True), SPD)
    record("cholesky_inverse", lambda x: ops.cholesky_inverse(ops.cholesky(x)), SPD)
    record("eigh", ops.eigh, SPD)
    record("eigh_values", lambda x: ops.eigh(x)[0], SPD)
    record("qr", ops.qr, A)
    record("qr_complete", lambda x: ops.qr(x, mode="complete"), A)
    record("svd_values", lambda x: ops.svd(x, compute_uv=False), A)
    record("svd_reduced", lambda x: ops.svd(x, full_matrices=False), A)
    record("lstsq", ops.lstsq, A, B)
    record("solve_triangular_lower", lambda a, b: ops.solve_triangular(a, b, lower=True), SPD, B3)
    record("solve_triangular_upper", lambda a, b: ops.solve_triangular(a, b), SPD, B3)
    record(
        "solve_triangular_vec", lambda a, b: ops.solve_triangular(a, b[:, 0], lower=True), SPD, B3
    )
    record("solve_triangular_batch", lambda a: ops.solve_triangular(a, a, lower=True), BATCH)
    record("lu_factor", ops.lu_factor, M)
    record("lu_factor_batch", ops.lu_factor, BATCH)
    record("slogdet", ops.slogdet, M)
    record("logdet", ops.logdet, SPD)
    record("pinv", ops.pinv, A)
    record("pinv_wide", ops.pinv, W_.T)
    record("matrix_rank", ops.matrix_rank, A)
    record("cholesky_batch", ops.cholesky, np.stack([SPD[:3, :3], SPD[1:, 1:]]))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linalg_k3.npz")
    np.savez(path, **out)
    print(keras.__version__, len(out))


if __name__ == "__main__":
    main()
