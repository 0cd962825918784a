"""A Conv2D whose output only feeds a MaxPooling2D(2) runs both in one kernel in inference
(`models/inference_fusion.py`): the same numbers as the two layers one after the other, and
nothing changes where the fusion does not apply (training, other layers, shared outputs)."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.core import autodiff
from minikeras.models import inference_fusion

layers = keras.layers


def _spy(layer):
    """Counts the calls of `layer.call`."""
    calls = []
    call = layer.call
    layer.call = lambda *a, **k: calls.append(1) or call(*a, **k)
    return calls


def _layer_by_layer(model, x):
    """The model's layers called one at a time (nothing fused), under no_grad."""
    with autodiff.no_grad():
        h = keras.ops.convert_to_tensor(x)
        for layer in (
            model.layers[1:] if isinstance(model.layers[0], layers.InputLayer) else model.layers
        ):
            h = layer(h)
    return h.numpy()


def _data(shape=(5, 14, 13, 3)):
    return np.random.default_rng(0).random(shape, dtype=np.float32)


@pytest.mark.parametrize(
    "activation, filters, padding",
    [("relu", 4, "valid"), (None, 32, "same"), ("relu", 40, "valid")],
)
def test_functional_conv_then_pool_runs_fused(activation, filters, padding):
    keras.utils.set_random_seed(0)
    x = keras.Input((14, 13, 3))
    h = layers.Conv2D(filters, 3, activation=activation, padding=padding)(x)
    h = layers.MaxPooling2D(2)(h)
    h = layers.Conv2D(32, 3, activation="relu")(h)  # 32 channels in: Winograd, pooled
    model = keras.Model(x, layers.MaxPooling2D(2)(h))
    model.layers[1].bias.assign(np.linspace(-1, 1, filters).astype(np.float32))
    pools = [_spy(model.layers[2]), _spy(model.layers[4])]
    got = model.predict(_data(), verbose=0)
    assert pools == [[], []]  # both poolings ran inside the convolutions
    np.testing.assert_array_equal(got, _layer_by_layer(model, _data()))


def test_sequential_conv_then_pool_runs_fused():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((14, 13, 3)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(3),
        ]
    )
    pool = _spy(model.layers[1])
    got = model.predict(_data(), verbose=0)
    assert pool == []
    np.testing.assert_array_equal(got, _layer_by_layer(model, _data()))


def test_training_runs_the_two_layers():
    """Under a gradient tape (training) the pooling layer runs and gradients flow as before."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((14, 13, 3)), layers.Conv2D(4, 3, activation="relu"), layers.MaxPooling2D(2)]
    )
    pool = _spy(model.layers[1])
    model.compile(optimizer="sgd", loss="mse")
    model.train_on_batch(_data(), np.zeros((5, 6, 5, 4), np.float32))
    assert pool == [1]


@pytest.mark.parametrize(
    "case",
    ["pool_stride_1", "pool_same", "sigmoid", "shared_output", "model_output", "regularizer"],
)
def test_not_fused(case):
    """Pairs that do not fit (other pooling geometry, an activation the kernel does not apply,
    a convolution output used elsewhere or returned, an activity regularizer) run as two
    layers, with the same results as layer by layer."""
    keras.utils.set_random_seed(0)
    x = keras.Input((14, 13, 3))
    conv = layers.Conv2D(4, 3, activation="sigmoid" if case == "sigmoid" else "relu",
                         activity_regularizer="l2" if case == "regularizer" else None)  # fmt: skip
    pool = layers.MaxPooling2D(2, strides=1 if case == "pool_stride_1" else None,
                               padding="same" if case == "pool_same" else "valid")  # fmt: skip
    c = conv(x)
    p = pool(c)
    outputs = [p, layers.Flatten()(c)] if case == "shared_output" else p
    outputs = [p, c] if case == "model_output" else outputs
    model = keras.Model(x, outputs)
    calls = _spy(pool)
    model.predict(_data(), verbose=0)
    assert calls == [1]
    fused = inference_fusion.functional_pairs(model._order, model._single_inputs, model.outputs)
    assert fused == {} or case == "sigmoid"  # sigmoid: paired, but the op declines


def test_fusable_checks_the_exact_classes():
    class MyPool(layers.MaxPooling2D):
        pass

    conv = layers.Conv2D(2, 3)
    assert inference_fusion.fusable(conv, layers.MaxPooling2D(2))
    assert not inference_fusion.fusable(conv, MyPool(2))
    assert not inference_fusion.fusable(conv, layers.MaxPooling2D(3))
    assert not inference_fusion.fusable(
        layers.Conv2D(2, 3, data_format="channels_first"), layers.MaxPooling2D(2)
    )
