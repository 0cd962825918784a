"""Muon's routing and Newton-Schulz iteration, as Keras 3's muon.py defines them (numeric parity
with real Keras is in `test_keras_parity.py`)."""

import numpy as np

import minikeras as keras
from minikeras import optimizers


def var(shape, path):
    v = keras.Variable(np.ones(shape, "float32"), name=path.split("/")[-1])
    v.path = path
    return v


def test_which_weights_fall_back_to_adamw():
    """Keras 3: rank != 2, 'embedding' in the path (exclude_embeddings) or an exclude_layers
    regex match take AdamW (they get a velocity slot); other 2-D weights take Muon."""
    vs = [
        var((3, 4), "dense/kernel"),
        var((4,), "dense/bias"),
        var((2, 3, 4), "conv/kernel"),
        var((10, 4), "embedding/embeddings"),
        var((3, 4), "head/kernel"),
    ]
    opt = optimizers.Muon(exclude_layers=["^head"])
    opt.build(vs)
    assert [v is not None for v in opt.adam_velocities] == [False, True, True, True, True]
    assert [v.path for v in opt.variables[2:5]] == [
        "muon/dense_kernel_momentum",
        "muon/dense_bias_momentum",
        "muon/dense_bias_velocity",
    ]
    opt2 = optimizers.Muon(exclude_embeddings=False)
    opt2.build(vs[3:4])
    assert opt2.adam_velocities == [None]


def test_newton_schulz_keras_coefficients_and_near_orthogonal_output():
    opt = optimizers.Muon()
    assert (opt.muon_a, opt.muon_b, opt.muon_c, opt.ns_steps) == (3.4445, -4.7750, 2.0315, 5)
    rng = np.random.default_rng(0)
    for shape in [(8, 5), (5, 8)]:  # tall matrices are iterated transposed
        g = rng.standard_normal(shape).astype("float32")
        x = opt.zeropower_via_newtonschulz5(g, 5)
        assert x.shape == shape and x.dtype == np.float32
        u, _, vt = np.linalg.svd(g.astype("float64"), full_matrices=False)
        # the singular vectors are kept and the singular values pushed into about [0.7, 1.2]
        s = np.linalg.svd(x.astype("float64"), compute_uv=False)
        assert np.all((s > 0.6) & (s < 1.25)), s
        diag = np.sort(np.abs(np.diag(u.T @ x @ vt.T)))[::-1]  # x = U diag(s) V^T, reordered
        np.testing.assert_allclose(diag, s, rtol=1e-4, atol=1e-4)
