"""ConvNeXt against real Keras 3.15 (fixtures from make_fixtures.py): ConvNeXtTiny's layer list,
weight order and logits after loading Keras's `.weights.h5` and its legacy `.h5` (the layout of
Keras's ImageNet files, with the nested Sequential stem and downsampling blocks); every
variant's parameter count; LayerScale and StochasticDepth as Keras's convnext module defines
them."""

import os

import numpy as np
import pytest
from keras_app_fixtures import (
    FIXTURES,
    assert_layout,
    assert_matches_keras_outputs,
    assert_parameter_counts,
    build,
    load_and_compare,
)

import minikeras as keras
from minikeras.applications import convnext


def test_tiny_layers_and_weight_order_match_keras():
    assert_layout(build("convnext_tiny"), "convnext_tiny")


def test_tiny_loads_keras_weights_file_and_matches_its_outputs():
    load_and_compare("convnext_tiny")


def test_tiny_loads_keras_legacy_h5_weights():
    # written by Keras's save_weights_to_hdf5_group, the format of the ImageNet files
    load_and_compare("convnext_tiny", "_legacy.h5")


def test_tiny_saved_by_minikeras_reloads_to_same_outputs(tmp_path):
    model, y = load_and_compare("convnext_tiny")
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    fresh = build("convnext_tiny")
    fresh.load_weights(path)
    assert_matches_keras_outputs(fresh, "convnext_tiny")


@pytest.mark.parametrize(
    "builder",
    ["ConvNeXtTiny"]
    + [
        pytest.param(f"ConvNeXt{v}", marks=pytest.mark.slow)
        for v in ("Small", "Base", "Large", "XLarge")
    ],
)
def test_parameter_counts_match_keras(builder):
    # the no-top count only for Tiny: the others would build every weight twice
    assert_parameter_counts(builder, notop=builder == "ConvNeXtTiny")


def test_no_top_pooling_ends_with_layernorm():
    # Keras applies an unnamed LayerNormalization after the optional pooling
    model = convnext.ConvNeXtTiny(
        weights=None, include_top=False, pooling="avg", input_shape=(32, 32, 3)
    )
    assert model.output_shape == (None, 768)
    assert type(model.layers[-1]).__name__ == "LayerNormalization"
    assert model.layers[-1].name == "layer_normalization"


def test_layer_scale_multiplies_by_gamma_initialised_to_init_values():
    layer = convnext.LayerScale(1e-6, 4)
    y = layer(np.ones((2, 4), "float32"))
    np.testing.assert_allclose(y.numpy(), np.full((2, 4), 1e-6), rtol=1e-6)
    assert [w.shape for w in layer.trainable_weights] == [(4,)]
    assert layer.get_config()["init_values"] == 1e-6
    assert layer.get_config()["projection_dim"] == 4


def test_stochastic_depth_drops_whole_samples_in_training_only():
    layer = convnext.StochasticDepth(0.5)
    x = np.ones((64, 3, 3, 2), "float32")
    np.testing.assert_array_equal(layer(x).numpy(), x)  # inference: identity
    keras.utils.set_random_seed(0)
    y = layer(x, training=True).numpy()
    per_sample = y.reshape(64, -1)
    # each sample is dropped (0) or kept and scaled by 1 / keep_prob = 2, as a whole
    assert set(np.unique(per_sample)) <= {0.0, 2.0}
    assert (per_sample.min(axis=1) == per_sample.max(axis=1)).all()
    assert 10 < (per_sample[:, 0] == 0).sum() < 54


def test_drop_path_rate_puts_stochastic_depth_layers_in_blocks():
    model = convnext.ConvNeXt(
        depths=[1, 1, 1, 1],
        projection_dims=[8, 16, 32, 64],
        drop_path_rate=0.1,
        input_shape=(32, 32, 3),
        name="convnext_small_test",
        include_top=False,
    )
    names = [layer.name for layer in model.layers]
    assert "convnext_small_test_stage_0_block_0_identity" in names  # rate 0 for the first
    assert "convnext_small_test_stage_3_block_0_stochastic_depth" in names


def test_preprocess_input_is_identity_and_errors(tmp_path, monkeypatch):
    x = np.zeros((1, 2, 2, 3))
    assert convnext.preprocess_input(x) is x
    with pytest.raises(ValueError, match="at least 32x32"):
        convnext.ConvNeXtTiny(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="classes"):
        convnext.ConvNeXtTiny(classes=10)
    for env in ("MINIKERAS_HOME", "KERAS_HOME", "HOME"):
        monkeypatch.setenv(env, str(tmp_path))
    monkeypatch.delenv("MINIKERAS_DOWNLOAD_WEIGHTS", raising=False)
    with pytest.raises(FileNotFoundError, match="convnext_tiny_notop.h5"):
        convnext.ConvNeXtTiny(include_top=False)


def test_keras_written_keras_file_with_layer_scale_and_stochastic_depth_loads():
    # Keras's config names LayerScale and StochasticDepth by class (module keras.src...convnext)
    model = keras.models.load_model(os.path.join(FIXTURES, "convnext_toy.keras"))
    assert type(model.get_layer("convnext_toy_stage_3_block_0_stochastic_depth")).__name__ == (
        "StochasticDepth"
    )
    assert model.get_layer("convnext_toy_stage_3_block_0_stochastic_depth").drop_path_rate == 0.1
    data = np.load(os.path.join(FIXTURES, "convnext_toy.npz"))
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["y"], atol=1e-5)


def test_minikeras_convnext_round_trips_through_keras_and_h5_files(tmp_path):
    model = convnext.ConvNeXt(
        depths=[1, 1, 1, 1],
        projection_dims=[8, 16, 32, 64],
        drop_path_rate=0.1,
        input_shape=(32, 32, 3),
        classes=3,
    )
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    y = model.predict(x, verbose=0)
    for suffix in (".keras", ".h5"):
        path = str(tmp_path / f"m{suffix}")
        model.save(path)
        loaded = keras.models.load_model(path)
        np.testing.assert_allclose(loaded.predict(x, verbose=0), y, rtol=1e-6, atol=1e-6)
