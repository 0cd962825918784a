"""LoRA on Dense, EinsumDense, Embedding and Conv1D/2D/3D (`minikeras/layers/core_layers/lora.py`).

Expected behaviour is Keras 3's (keras/src/layers/core/dense.py, einsum_dense.py, embedding.py,
convolutional/base_conv.py, and observed with Keras 3.15.1 on torch): the layer computes with
`W + (lora_alpha / rank) * A @ B`, `W` is frozen, the factors are float32 and named
`lora_kernel_a/b` (`lora_embeddings_a/b`), saving writes the merged `W` and no factors, loading
into a LoRA layer zeroes the factors. Expected values come from numpy or from Keras's own files.
"""

import json
import os
import warnings

import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras")


def _merged(kernel, a, b, alpha, rank):
    return kernel + (alpha / rank) * np.matmul(a, b)


def _randomize_b(layer, seed=0):
    for w in layer.weights:
        if w.name.startswith("lora_") and w.name.endswith("_b"):
            w.assign(np.random.default_rng(seed).normal(0, 0.5, w.shape).astype("float32"))


def test_dense_lora_computes_kernel_plus_scaled_update():
    layer = keras.layers.Dense(3, activation="tanh", lora_rank=2, lora_alpha=8)
    x = randn(5, 4, dtype="float32")
    before = np.asarray(layer(x))
    k, b, a, bb = layer.get_weights()
    # B starts at zero: enabling LoRA changes nothing until training moves it
    np.testing.assert_allclose(before, np.tanh(x @ k + b), rtol=1e-6, atol=1e-6)
    _randomize_b(layer)
    k, b, a, bb = layer.get_weights()
    expected = np.tanh(x @ _merged(k, a, bb, 8, 2) + b)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(layer.kernel), _merged(k, a, bb, 8, 2), rtol=1e-6)


def test_einsum_dense_lora_factor_shapes_and_values():
    layer = keras.layers.EinsumDense(
        "ab,bcd->acd", output_shape=(2, 5), bias_axes="d", lora_rank=3, lora_alpha=1.5
    )
    x = randn(4, 3, dtype="float32")
    layer(x)
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("kernel", (3, 2, 5)),
        ("bias", (5,)),
        ("lora_kernel_a", (3, 2, 3)),
        ("lora_kernel_b", (3, 5)),
    ]
    _randomize_b(layer)
    k, b, a, bb = layer.get_weights()
    expected = np.einsum("ab,bcd->acd", x, _merged(k, a, bb, 1.5, 3)) + b
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5, atol=1e-5)


def test_embedding_lora_looks_up_merged_table():
    layer = keras.layers.Embedding(7, 4, lora_rank=2, lora_alpha=6, mask_zero=True)
    ids = np.array([[1, 6, 0], [3, 3, 2]])
    layer(ids)
    assert [w.name for w in layer.weights] == [
        "embeddings",
        "lora_embeddings_a",
        "lora_embeddings_b",
    ]
    assert [w.name for w in layer.trainable_weights] == ["lora_embeddings_a", "lora_embeddings_b"]
    _randomize_b(layer)
    e, a, b = layer.get_weights()
    out = layer(ids)
    np.testing.assert_allclose(np.asarray(out), _merged(e, a, b, 6, 2)[ids], rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), ids != 0)


@pytest.mark.parametrize(
    "cls,kernel_size,x_shape",
    [
        (keras.layers.Conv1D, 3, (2, 7, 3)),
        (keras.layers.Conv2D, (3, 2), (2, 6, 5, 3)),
        (keras.layers.Conv3D, 2, (1, 4, 4, 4, 3)),
    ],
)
def test_conv_lora_equals_conv_with_merged_kernel(cls, kernel_size, x_shape):
    layer = cls(4, kernel_size, padding="same", lora_rank=2, lora_alpha=3)
    x = randn(*x_shape, dtype="float32")
    layer(x)
    k = layer.get_weights()[0]
    assert layer.lora_kernel_a.shape == k.shape[:-1] + (2,) and layer.lora_kernel_b.shape == (2, 4)
    _randomize_b(layer)
    k, b, a, bb = layer.get_weights()
    plain = cls(4, kernel_size, padding="same")
    plain(x)
    plain.set_weights([_merged(k, a, bb, 3, 2), b])  # the merged kernel, computed by numpy
    np.testing.assert_allclose(np.asarray(layer(x)), np.asarray(plain(x)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "cls,args",
    [
        (keras.layers.Conv2DTranspose, (2, 3)),
        (keras.layers.DepthwiseConv2D, (3,)),
        (keras.layers.SeparableConv2D, (2, 3)),
    ],
)
def test_convolutions_without_lora_in_keras_reject_it(cls, args):
    # Keras 3.15.1: ValueError: Unrecognized keyword arguments passed to Conv2DTranspose: {...}
    with pytest.raises(
        ValueError, match=f"Unrecognized keyword arguments passed to {cls.__name__}"
    ):
        cls(*args, lora_rank=2)


def test_enable_lora_after_build_freezes_kernel_and_keeps_outputs():
    layer = keras.layers.Dense(3, name="head")
    x = randn(2, 4, dtype="float32")
    before = np.asarray(layer(x))
    layer.enable_lora(2)
    assert [w.path for w in layer.weights] == [
        "head/kernel",
        "head/bias",
        "head/lora_kernel_a",
        "head/lora_kernel_b",
    ]
    assert [w.path for w in layer.trainable_weights] == [
        "head/bias",
        "head/lora_kernel_a",
        "head/lora_kernel_b",
    ]
    assert [w.path for w in layer.non_trainable_weights] == ["head/kernel"]
    assert layer.lora_kernel_a.dtype == np.float32 and layer.lora_alpha == 2
    np.testing.assert_array_equal(np.asarray(layer(x)), before)
    assert layer.get_config()["lora_rank"] == 2 and layer.get_config()["lora_alpha"] == 2


def test_enable_lora_errors():
    layer = keras.layers.Dense(3, name="d")
    with pytest.raises(ValueError, match="not built"):
        layer.enable_lora(2)
    layer.build((None, 4))
    for bad in (0, -1, 1.5):
        with pytest.raises(ValueError, match=f"rank={bad}"):
            layer.enable_lora(bad)
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    constrained = keras.layers.Embedding(5, 2, embeddings_constraint="non_neg")
    constrained.build()
    with pytest.raises(ValueError, match="embeddings_constraint"):
        constrained.enable_lora(2)


def test_lora_rank_zero_or_none_means_no_lora():
    # as Keras: `if self.lora_rank:` -- 0 is "no LoRA", and the config leaves the keys out
    for rank in (0, None):
        layer = keras.layers.Dense(2, lora_rank=rank)
        layer.build((None, 3))
        assert not layer.lora_enabled and len(layer.weights) == 2
        assert "lora_rank" not in layer.get_config()


def test_config_round_trip_rebuilds_lora():
    layer = keras.layers.Conv1D(3, 2, lora_rank=2, lora_alpha=5)
    layer.build((None, 6, 4))
    config = layer.get_config()
    assert config["lora_rank"] == 2 and config["lora_alpha"] == 5
    clone = keras.layers.Conv1D.from_config(json.loads(json.dumps(config)))
    clone.build((None, 6, 4))
    assert clone.lora_enabled and clone.lora_alpha == 5 and len(clone.trainable_weights) == 3


def test_regularizer_applies_to_factors_not_frozen_kernel():
    # Keras gives the factors the kernel's regularizer; the frozen kernel adds no penalty
    layer = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.5), lora_rank=2)
    layer(np.ones((1, 3), "float32"))
    a = layer.lora_kernel_a.numpy()
    assert len(layer.losses) == 2
    np.testing.assert_allclose(float(np.asarray(layer.losses[0])), 0.5 * np.sum(a**2), rtol=1e-5)


def test_fit_updates_only_the_factors_and_bias():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, lora_rank=2),
        ]
    )
    model.layers[0].enable_lora(2)
    before = {w.path: w.numpy().copy() for w in model.weights}
    model.compile("sgd", "mse")
    x, y = randn(32, 4, dtype="float32"), randn(32, 1, dtype="float32")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    after = {w.path: w.numpy() for w in model.weights}
    changed = {p for p, v in before.items() if not np.array_equal(v, after[p])}
    # paths under the Sequential's name scope, as Keras 3 (enable_lora after the build too)
    assert changed == {
        f"sequential/{p}"
        for p in (
            "dense/bias",
            "dense/lora_kernel_a",
            "dense/lora_kernel_b",
            "dense_1/bias",
            "dense_1/lora_kernel_a",
            "dense_1/lora_kernel_b",
        )
    }


def test_weights_file_holds_merged_kernel_and_loads_into_plain_and_lora_layers(tmp_path):
    def model(**lora):
        keras.utils.set_random_seed(1)
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, **lora)])

    source = model(lora_rank=2, lora_alpha=4)
    _randomize_b(source.layers[0])
    x = randn(5, 4, dtype="float32")
    expected = np.asarray(source(x))
    k, b, a, bb = source.get_weights()
    path = str(tmp_path / "m.weights.h5")
    source.save_weights(path)
    import h5py

    with h5py.File(path) as f:
        group = f["layers/dense/vars"]
        assert sorted(group) == ["0", "1"]  # the factors are not saved, as Keras
        np.testing.assert_allclose(group["0"][()], _merged(k, a, bb, 4, 2), rtol=1e-6)
    plain = model()
    plain.load_weights(path)
    np.testing.assert_allclose(np.asarray(plain(x)), expected, rtol=1e-5, atol=1e-6)
    target = model(lora_rank=2, lora_alpha=4)
    target.load_weights(path)
    np.testing.assert_allclose(np.asarray(target(x)), expected, rtol=1e-5, atol=1e-6)
    assert not target.layers[0].lora_kernel_a.numpy().any()  # Keras zeroes both factors
    assert not target.layers[0].lora_kernel_b.numpy().any()
    wrong = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, lora_rank=2)])
    with pytest.raises(ValueError, match="shape"):
        wrong.load_weights(path)


def test_keras_file_round_trip_keeps_lora(tmp_path):
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, lora_rank=2, lora_alpha=3)])
    _randomize_b(model.layers[0])
    x = randn(4, 3, dtype="float32")
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    layer = loaded.layers[0]
    assert layer.lora_enabled and layer.lora_rank == 2 and layer.lora_alpha == 3
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), rtol=1e-5, atol=1e-6)


def _keras_fixture_model(lora=True):
    """The model of tests/data/keras/make_lora_fixtures.py, written with minikeras (without any
    LoRA when `lora` is False)."""
    ids = keras.Input((6,), dtype="int32", name="ids")
    emb = {"lora_rank": 2} if lora else {}
    conv = {"lora_rank": 3, "lora_alpha": 6} if lora else {}
    x = keras.layers.Embedding(11, 4, name="emb", **emb)(ids)
    x = keras.layers.Conv1D(5, 3, padding="same", name="conv", **conv)(x)
    proj = keras.layers.EinsumDense("abc,cd->abd", output_shape=(6, 4), bias_axes="d", name="proj")
    x = keras.layers.Flatten(name="flat")(proj(x))
    y = keras.layers.Dense(3, activation="tanh", name="head")(x)
    model = keras.Model(ids, y)
    if lora:
        model.get_layer("proj").enable_lora(2, lora_alpha=1)
        model.get_layer("head").enable_lora(2, lora_alpha=4)
    return model


def test_matches_keras_fixture():
    """`lora_k3.*` were written by Keras 3.15.1 (torch) with non-zero LoRA factors."""
    data = np.load(os.path.join(DATA, "lora_k3.npz"))
    model = _keras_fixture_model()
    assert [w.path for w in model.weights] == list(data["paths"])
    assert json.loads(str(data["alphas"])) == {
        name: [model.get_layer(name).lora_rank, model.get_layer(name).lora_alpha]
        for name in ("emb", "conv", "proj", "head")
    }
    model.set_weights([data[f"w{i:03d}"] for i in range(int(data["n_weights"]))])
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["y"], atol=1e-5)
    # Keras's weights file holds the merged kernels (checked here with numpy), so a model
    # without LoRA loads it too
    import h5py

    w = {path: data[f"w{i:03d}"] for i, path in enumerate(data["paths"])}
    with h5py.File(os.path.join(DATA, "lora_k3.weights.h5")) as f:
        np.testing.assert_allclose(
            f["layers/dense/vars/0"][()],
            _merged(w["head/kernel"], w["head/lora_kernel_a"], w["head/lora_kernel_b"], 4, 2),
            atol=1e-6,
        )
    plain = _keras_fixture_model(lora=False)
    plain.load_weights(os.path.join(DATA, "lora_k3.weights.h5"))
    assert not any("lora" in w.path for w in plain.weights)
    np.testing.assert_allclose(plain.predict(data["x"], verbose=0), data["y"], atol=1e-5)
    loaded = keras.saving.load_model(os.path.join(DATA, "lora_k3.keras"))
    assert loaded.get_layer("head").lora_enabled and loaded.get_layer("emb").lora_enabled
    np.testing.assert_allclose(loaded.predict(data["x"], verbose=0), data["y"], atol=1e-5)


def test_quantization_arguments_as_keras():
    """quantization_config is accepted (issue 20, layers/core_layers/quantized.py; a wrong
    value names the layer), GPTQ's argument is refused unless None."""
    keras.layers.Dense(2, quantization_config=None)  # Keras's own configs carry None
    keras.layers.Dense(2, quantization_config=keras.quantizers.Int8QuantizationConfig())
    with pytest.raises(ValueError, match="Dense.*quantization_config"):
        keras.layers.Dense(2, quantization_config="int8")
    with pytest.raises(NotImplementedError, match="EinsumDense.*gptq_unpacked_column_size"):
        keras.layers.EinsumDense("ab,bc->ac", 2, gptq_unpacked_column_size=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keras.layers.Embedding(3, 2, quantization_config=None)


@pytest.mark.parametrize(
    "cls,kwargs,input_shape,output_shape",
    [
        (keras.layers.Dense, {"units": 3}, (2, 4), (2, 3)),
        (
            keras.layers.EinsumDense,
            {"equation": "abc,cd->abd", "output_shape": (3, 2), "bias_axes": "d"},
            (2, 3, 4),
            (2, 3, 2),
        ),
        (keras.layers.Conv2D, {"filters": 3, "kernel_size": 2}, (2, 4, 4, 2), (2, 3, 3, 3)),
    ],
)
def test_lora_layers_pass_the_generic_layer_test(cls, kwargs, input_shape, output_shape):
    # config round trip, symbolic call, float64 gradients and a file round trip, with LoRA on
    layer, _ = run_layer_test(
        cls,
        {**kwargs, "lora_rank": 2, "lora_alpha": 3},
        input_shape=input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=3,
        expected_num_non_trainable_weights=1,
    )
    assert layer.lora_enabled and layer.lora_alpha == 3
