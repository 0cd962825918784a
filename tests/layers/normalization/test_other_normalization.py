"""LayerNormalization, GroupNormalization and UnitNormalization against numpy formulas."""

import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test

L = keras.layers


def set_random(layer, seed=3):
    rng = np.random.default_rng(seed)
    for v in layer.weights:
        v.assign(rng.uniform(0.5, 1.5, v.shape))
    return [v.numpy().copy() for v in layer.weights]


def test_layer_normalization_last_axis():
    x = randn(3, 4, 5) * 2 + 1
    layer = L.LayerNormalization(dtype="float64")
    layer.build(x.shape)
    gamma, beta = set_random(layer)
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    ref = gamma * (x - mean) / np.sqrt(var + 1e-3) + beta
    np.testing.assert_allclose(np.asarray(layer(x)), ref, rtol=1e-10)


def test_layer_normalization_several_axes_and_flags():
    x = randn(2, 3, 4)
    layer = L.LayerNormalization(axis=[1, 2], epsilon=1e-5, center=False, dtype="float64")
    layer.build(x.shape)
    (gamma,) = set_random(layer)
    assert layer.gamma.shape == (3, 4) and layer.beta is None
    mean, var = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(
        np.asarray(layer(x)), gamma * (x - mean) / np.sqrt(var + 1e-5), rtol=1e-10
    )
    # rms_scaling: gamma only, x / sqrt(var + eps) (Keras 3's formula), no beta weight
    rms = L.LayerNormalization(rms_scaling=True, dtype="float64")
    rms.build(x.shape)
    assert [v.name for v in rms.weights] == ["gamma"]
    np.testing.assert_allclose(
        np.asarray(rms(x)), x / np.sqrt(x.var(-1, keepdims=True) + 1e-3), rtol=1e-10
    )


@pytest.mark.parametrize("kwargs", [{}, {"axis": [1, 2]}, {"scale": False}, {"rms_scaling": True}])
def test_layer_normalization_layer_test(kwargs):
    layer, _ = run_layer_test(
        L.LayerNormalization, kwargs, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4)
    )
    assert layer.get_config()["epsilon"] == 1e-3


def test_group_normalization_matches_numpy():
    x = randn(2, 3, 3, 6)
    layer = L.GroupNormalization(groups=3, dtype="float64")
    layer.build(x.shape)
    gamma, beta = set_random(layer)
    g = x.reshape(2, 3, 3, 3, 2)  # (batch, h, w, groups, channels per group)
    mean, var = g.mean((1, 2, 4), keepdims=True), g.var((1, 2, 4), keepdims=True)
    ref = ((g - mean) / np.sqrt(var + 1e-3)).reshape(x.shape) * gamma + beta
    np.testing.assert_allclose(np.asarray(layer(x)), ref, rtol=1e-10)
    # channels first: groups along axis 1
    xf = np.moveaxis(x, -1, 1)
    first = L.GroupNormalization(groups=3, axis=1, dtype="float64")
    first.build(xf.shape)
    first.set_weights([gamma, beta])
    np.testing.assert_allclose(np.asarray(first(xf)), np.moveaxis(ref, -1, 1), rtol=1e-10)


def test_group_normalization_layer_tests_and_errors():
    run_layer_test(
        L.GroupNormalization, {"groups": 2}, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4)
    )
    inst = L.GroupNormalization(groups=-1)  # one group per channel: instance normalization
    inst(np.ones((2, 3, 4), "float32"))
    assert inst.groups == 4
    with pytest.raises(ValueError, match=r"'gn'.*groups \(3\).*channels \(4\)"):
        L.GroupNormalization(groups=3, name="gn")(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match="groups"):
        L.GroupNormalization()(np.ones((2, 8), "float32"))  # default 32 groups > 8 channels


def test_unit_normalization():
    x = randn(3, 4, 2)
    # float64 in and out, but float32-accurate: as Keras 3, the 1e-12 floor (a Python float) makes
    # `maximum` and the rsqrt float32 (Keras on torch differs from float64 numpy by ~3e-8 too)
    y = np.asarray(L.UnitNormalization(dtype="float64")(x))
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, x / np.linalg.norm(x, axis=-1, keepdims=True), rtol=1e-6)
    y2 = np.asarray(L.UnitNormalization(axis=[1, 2], dtype="float64")(x))
    np.testing.assert_allclose(y2, x / np.sqrt((x**2).sum((1, 2), keepdims=True)), rtol=1e-6)
    zero = np.asarray(L.UnitNormalization()(np.zeros((1, 3), "float32")))
    assert np.all(zero == 0)  # the 1e-12 floor avoids 0 / 0
    run_layer_test(
        L.UnitNormalization, {"axis": -1}, input_shape=(2, 3), expected_output_shape=(2, 3)
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", [{}, {"axis": [1, 2]}, {"center": False}, {"scale": False}])
def test_layer_normalization_fused_op_matches_keras_formula(kwargs, dtype):
    """The fused op (kernels/layer_norm.py) gives Keras 3's formula, inv = gamma * rsqrt(var +
    eps), out = x * inv + (beta - mean * inv), and its gradients (analytic reference, itself
    checked against finite differences in tests/kernels/test_layer_norm.py)."""
    from minikeras.core.autodiff import gradients
    from minikeras.core.tensor import Tensor
    from minikeras.kernels.layer_norm import layer_norm_grad_ref

    x = (randn(2, 3, 4) * 2 + 1).astype(dtype)
    layer = L.LayerNormalization(epsilon=1e-3, dtype=dtype, **kwargs)
    layer.build(x.shape)
    weights = set_random(layer)
    axes = tuple(kwargs.get("axis", [-1]))
    mean, var = x.mean(axes, keepdims=True), x.var(axes, keepdims=True)
    gamma = layer.gamma.numpy() if layer.gamma is not None else 1.0
    beta = layer.beta.numpy() if layer.beta is not None else 0.0
    inv = gamma / np.sqrt(var + 1e-3)
    t = Tensor(x, requires_grad=True)
    out = layer(t)
    assert out._op == "layer_normalization"  # the fused op, not the composite
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(out.numpy(), x * inv + (beta - mean * inv), rtol=tol, atol=tol)
    d = randn(*x.shape, seed=5).astype(dtype)
    got = gradients(out, [t, *layer.weights], output_gradient=d)
    c = int(np.prod([x.shape[a] for a in axes]))
    rows = x.reshape(-1, c).astype(np.float64)
    g = np.broadcast_to(gamma, x.shape[3 - len(axes) :]).reshape(-1)
    m, v = rows.mean(1), rows.var(1)
    want = layer_norm_grad_ref(d.reshape(-1, c), rows, g, m, 1 / np.sqrt(v + 1e-3))
    np.testing.assert_allclose(got[0], want[0].reshape(x.shape), rtol=tol * 10, atol=tol * 10)
    named = dict(zip([w.name for w in layer.weights], got[1:]))
    for name, k in (("gamma", 1), ("beta", 2)):
        if name in named:
            np.testing.assert_allclose(
                named[name].reshape(-1), want[k], rtol=tol * 10, atol=tol * 10
            )
    assert len(weights) == len(named)


def test_layer_normalization_keeps_the_composite_path_where_the_kernel_does_not_apply():
    """A non-trailing axis, rms_scaling and float16 run Keras's formula with ops."""
    x = randn(2, 3, 4)
    for layer, data in [
        (L.LayerNormalization(axis=1, dtype="float64"), x),
        (L.LayerNormalization(rms_scaling=True, dtype="float64"), x),
        (L.LayerNormalization(dtype="float16"), x.astype("float16")),
    ]:
        out = layer(data)
        assert out._op != "layer_normalization"


def test_layer_normalization_axis_in_config_as_keras():
    """Keras 3.15.1: LayerNormalization().get_config()["axis"] is -1 before building and [-1]
    (a list) once built; a list/tuple axis is saved as a list."""
    import minikeras as keras

    layer = keras.layers.LayerNormalization()
    assert layer.get_config()["axis"] == -1
    layer(np.ones((2, 3, 4), "float32"))
    assert layer.get_config()["axis"] == [-1]
    assert keras.layers.LayerNormalization(axis=(1, 2)).get_config()["axis"] == [1, 2]
