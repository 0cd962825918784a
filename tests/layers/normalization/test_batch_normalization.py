"""BatchNormalization: training/inference numerics, moving statistics, frozen layers, configs."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test

L = keras.layers
EPS = 1e-3


def bn_ref(x, gamma, beta, mean, var, axis=-1, eps=EPS):
    shape = [1] * x.ndim
    shape[axis] = -1
    r = [np.reshape(v, shape) for v in (gamma, beta, mean, var)]
    return r[0] * (x - r[2]) / np.sqrt(r[3] + eps) + r[1]


def batch_stats(x, axis=-1):
    axes = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    return x.mean(axis=axes), x.var(axis=axes)  # biased variance (divide by N)


def make_bn(x, **kwargs):
    layer = L.BatchNormalization(dtype="float64", **kwargs)
    layer.build(x.shape)
    rng = np.random.default_rng(5)
    for v in layer.weights:
        v.assign(rng.uniform(0.5, 1.5, v.shape))  # all positive: valid variances
    return layer


def test_training_mode_uses_batch_statistics_and_updates_moving_stats():
    x = randn(4, 3, 3, 5) * 2 + 1
    layer = make_bn(x, momentum=0.9)
    gamma, beta, mm, mv = [w.copy() for w in layer.get_weights()]
    y = np.asarray(layer(x, training=True))
    mean, var = batch_stats(x)
    np.testing.assert_allclose(y, bn_ref(x, gamma, beta, mean, var), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.moving_mean.numpy(), mm * 0.9 + mean * 0.1, rtol=1e-12)
    np.testing.assert_allclose(layer.moving_variance.numpy(), mv * 0.9 + var * 0.1, rtol=1e-12)
    # a second step compounds from the updated values
    x2 = randn(4, 3, 3, 5, seed=9)
    mean2, var2 = batch_stats(x2)
    layer(x2, training=True)
    np.testing.assert_allclose(
        layer.moving_mean.numpy(), (mm * 0.9 + mean * 0.1) * 0.9 + mean2 * 0.1, rtol=1e-12
    )
    np.testing.assert_allclose(
        layer.moving_variance.numpy(), (mv * 0.9 + var * 0.1) * 0.9 + var2 * 0.1, rtol=1e-12
    )


def test_inference_uses_moving_statistics_and_updates_nothing():
    x = randn(6, 4)
    layer = make_bn(x)
    before = [w.copy() for w in layer.get_weights()]
    y = np.asarray(layer(x))  # training defaults to False
    np.testing.assert_allclose(y, bn_ref(x, *before), rtol=1e-12)
    y2 = np.asarray(layer(x, training=False))
    np.testing.assert_allclose(y2, y, rtol=0)
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_moving_updates_are_in_place_and_not_differentiated():
    layer = L.BatchNormalization()
    x = randn(8, 3, dtype="float32")
    layer.build(x.shape)
    arrays = (layer.moving_mean.data, layer.moving_variance.data)
    with keras.GradientTape() as tape:
        y = layer(x, training=True)
    assert layer.moving_mean.data is arrays[0] and layer.moving_variance.data is arrays[1]
    assert not np.allclose(arrays[0], 0) and not layer.moving_mean.trainable
    assert [v.name for v in layer.non_trainable_weights] == ["moving_mean", "moving_variance"]
    grads = tape.gradient(keras.ops.sum(y), [layer.gamma, layer.moving_mean])
    assert grads[0] is not None and grads[1] is None


def test_momentum_default_and_keras3_biased_variance():
    x = np.array([[0.0], [1.0], [5.0]], "float32")
    layer = L.BatchNormalization()
    layer(x, training=True)
    var = x.var()  # biased, as Keras 3 (not N/(N-1))
    np.testing.assert_allclose(layer.moving_variance.numpy(), [0.99 + 0.01 * var], rtol=1e-6)
    np.testing.assert_allclose(layer.moving_mean.numpy(), [0.01 * x.mean()], rtol=1e-6)


@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize("kwargs", [{}, {"center": False}, {"scale": False}, {"axis": 1}])
def test_layer_test_both_modes(training, kwargs):
    run_layer_test(
        L.BatchNormalization,
        kwargs,
        input_shape=(3, 2, 2, 3),
        expected_output_shape=(3, 2, 2, 3),
        call_kwargs={"training": training},
    )


def test_weight_order_and_dropping_rule():
    def names(**kw):
        layer = L.BatchNormalization(**kw)
        layer.build((2, 4))
        return [(v.name, v.shape) for v in layer.weights]

    assert names() == [
        ("gamma", (4,)),
        ("beta", (4,)),
        ("moving_mean", (4,)),
        ("moving_variance", (4,)),
    ]
    assert [n for n, _ in names(center=False)] == ["gamma", "moving_mean", "moving_variance"]
    assert [n for n, _ in names(scale=False)] == ["beta", "moving_mean", "moving_variance"]
    layer = L.BatchNormalization()
    layer.build((2, 4))
    assert [w.tolist() for w in layer.get_weights()] == [[1.0] * 4, [0.0] * 4, [0.0] * 4, [1.0] * 4]


def test_channels_first_axis_and_keras2_list_axis():
    x = randn(3, 4, 2, 2)
    layer = make_bn(x, axis=1)
    w = [v.copy() for v in layer.get_weights()]
    mean, var = batch_stats(x, axis=1)
    np.testing.assert_allclose(
        np.asarray(layer(x, training=True)),
        bn_ref(x, w[0], w[1], mean, var, axis=1),
        rtol=1e-10,
        atol=1e-12,
    )
    k2 = L.BatchNormalization(axis=[3], momentum=0.9)  # as a Keras 2 config writes it
    assert k2.axis == 3 and k2.get_config()["axis"] == 3
    assert k2(np.ones((2, 3, 3, 5), "float32")).shape == (2, 3, 3, 5)
    with pytest.raises(ValueError, match="one axis"):
        L.BatchNormalization(axis=[1, 2])


def test_frozen_layer_runs_in_inference_mode():
    x = randn(5, 3) * 3
    layer = make_bn(x)
    before = [w.copy() for w in layer.get_weights()]
    layer.trainable = False
    y = np.asarray(layer(x, training=True))
    np.testing.assert_allclose(y, bn_ref(x, *before), rtol=1e-12)
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)
    layer.trainable = True
    y_train = np.asarray(layer(x, training=True))
    np.testing.assert_allclose(
        y_train, bn_ref(x, before[0], before[1], *batch_stats(x)), rtol=1e-10
    )


def _nested(seed=0):
    keras.utils.set_random_seed(seed)
    inner = keras.Sequential(
        [keras.Input((4,)), L.Dense(3), L.BatchNormalization(name="bn")], name="inner"
    )
    outer = keras.Sequential([keras.Input((4,)), inner, L.Dense(2)])
    return inner, outer


def _nested_functional(seed=0):
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((4,))
    hidden = L.BatchNormalization(name="bn")(L.Dense(3)(inputs))
    inner = keras.Model(inputs, hidden, name="inner_f")
    outer_in = keras.Input((4,))
    outer = keras.Model(outer_in, L.Dense(2)(inner(outer_in)))
    return inner, outer


@pytest.mark.parametrize("make", [_nested, _nested_functional])
def test_frozen_nested_model_runs_bn_in_inference_mode(make):
    inner, outer = make()
    bn = inner.layers[-1] if hasattr(inner, "layers") else inner.get_layer("bn")
    x = randn(6, 4, dtype="float32")
    inner.trainable = False
    assert not bn.trainable
    stats = [bn.moving_mean.numpy().copy(), bn.moving_variance.numpy().copy()]
    y_train = np.asarray(outer(x, training=True))
    y_infer = np.asarray(outer(x, training=False))
    np.testing.assert_allclose(y_train, y_infer, rtol=1e-6)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), stats[0])
    # unfreezing restores training behaviour: batch statistics and moving updates
    inner.trainable = True
    y_train = np.asarray(outer(x, training=True))
    assert not np.allclose(y_train, y_infer)
    assert not np.allclose(bn.moving_mean.numpy(), stats[0])


@pytest.mark.parametrize("make", [_nested, _nested_functional])
def test_frozen_nested_model_in_train_on_batch(make):
    inner, outer = make(1)
    bn = inner.get_layer("bn") if hasattr(inner, "get_layer") else inner.layers[-1]
    x, y = randn(8, 4, dtype="float32"), randn(8, 2, dtype="float32", seed=3)
    inner.trainable = False
    outer.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    frozen = [w.copy() for w in inner.get_weights()]
    outer.train_on_batch(x, y)
    for a, b in zip(frozen, inner.get_weights()):  # gamma, beta and the statistics all kept
        np.testing.assert_array_equal(a, b)
    inner.trainable = True
    outer.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    outer.train_on_batch(x, y)
    assert not np.allclose(bn.moving_mean.numpy(), frozen[4])


def test_masked_training_statistics():
    x = randn(2, 4, 3)
    mask = np.array([[1, 1, 1, 0], [1, 0, 1, 1]], bool)
    layer = make_bn(x, momentum=0.5)
    w = [v.copy() for v in layer.get_weights()]
    y = np.asarray(layer(x, training=True, mask=mask))
    kept = x[mask]  # (6, 3)
    mean, var = kept.mean(0), kept.var(0)
    np.testing.assert_allclose(y, bn_ref(x, w[0], w[1], mean, var), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(layer.moving_mean.numpy(), w[2] * 0.5 + mean * 0.5, rtol=1e-6)


def test_float16_inputs_compute_in_float32():
    x = randn(4, 3).astype("float16")
    layer = L.BatchNormalization(dtype="float16")
    y = layer(x, training=True)
    assert y.dtype == np.float16
    mean, var = batch_stats(x.astype("float64"))
    np.testing.assert_allclose(np.asarray(y, "float64"), (x - mean) / np.sqrt(var + EPS), atol=2e-3)


def test_config_round_trip_and_keras_keys():
    layer = L.BatchNormalization(momentum=0.9, epsilon=1e-5, center=False, name="b")
    config = layer.get_config()
    json.dumps(config)
    for key in (
        "axis",
        "momentum",
        "epsilon",
        "center",
        "scale",
        "beta_initializer",
        "gamma_initializer",
        "moving_mean_initializer",
        "moving_variance_initializer",
        "synchronized",
        "renorm",
        "renorm_momentum",
    ):
        assert key in config
    clone = L.BatchNormalization.from_config(config)
    assert (clone.momentum, clone.epsilon, clone.center) == (0.9, 1e-5, False)
    with pytest.raises(NotImplementedError, match="renorm"):
        L.BatchNormalization(renorm=True)


def test_bad_input_names_layer():
    layer = L.BatchNormalization(name="bnx")
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"bnx.*value 3.*\(2, 4\)"):
        layer(np.ones((2, 4), "float32"))
    with pytest.raises(IndexError, match=r"bny.*axis 3 is out of range.*\(2, 4\)"):
        L.BatchNormalization(axis=3, name="bny")(np.ones((2, 4), "float32"))


def test_mlp_k3_fixture_inference():
    """Keras 3's Dense -> BatchNormalization -> Dropout -> Dense, in inference mode."""
    data = np.load(os.path.join(os.path.dirname(__file__), "..", "..", "data", "mlp_k3.npz"))
    layers = [keras.Input((10,)), L.Dense(16, activation="relu"), L.BatchNormalization()]
    if hasattr(L, "Dropout"):
        layers.append(L.Dropout(0.3))
    model = keras.Sequential(layers + [L.Dense(4, activation="softmax")])
    model.set_weights([data[f"w{i:03d}"] for i in range(int(data["n_weights"]))])
    np.testing.assert_allclose(np.asarray(model(data["x"])), data["y"], atol=1e-5, rtol=0)
