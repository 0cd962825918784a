"""Tests for minikeras/layers/core_layers/reversible_embedding.py against Keras 3.15.1 (jax):
forward and reverse outputs with set weights (tied and untied, soft cap), a model file written
by Keras (tests/data/keras/reversible_embedding_k3.keras), config and run_layer_test's round
trips and gradients."""

import os

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad, run_layer_test

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras")
DATA = np.load(os.path.join(HERE, "api16a_misc_k3.npz"))


@pytest.mark.parametrize("tie", [True, False])
def test_outputs_match_keras3(tie):
    layer = keras.layers.ReversibleEmbedding(10, 5, tie_weights=tie, logit_soft_cap=2.0)
    layer.build()
    layer.set_weights([DATA["rev_table"]] if tie else [DATA["rev_table"], DATA["rev_reverse"]])
    np.testing.assert_allclose(layer(DATA["rev_ids"]).numpy(), DATA[f"rev_fwd_tie{tie}"])
    back = layer(DATA["rev_hidden"], reverse=True).numpy()
    np.testing.assert_allclose(back, DATA[f"rev_back_tie{tie}"], rtol=1e-5, atol=1e-6)


def test_loads_a_keras_written_model(tmp_path):
    model = keras.saving.load_model(os.path.join(HERE, "reversible_embedding_k3.keras"))
    out = model.predict(DATA["rev_ids"], verbose=0)
    np.testing.assert_allclose(out, DATA["rev_model_out"], rtol=1e-5, atol=1e-6)
    model.save(tmp_path / "again.keras")
    again = keras.saving.load_model(tmp_path / "again.keras")
    np.testing.assert_allclose(again.predict(DATA["rev_ids"], verbose=0), out, rtol=1e-6)


@pytest.mark.parametrize("tie", [True, False])
def test_layer(tie):
    run_layer_test(
        keras.layers.ReversibleEmbedding,
        {"input_dim": 6, "output_dim": 3, "tie_weights": tie},
        input_shape=(2, 4),
        input_dtype="int32",
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=1 if tie else 2,
        check_gradients=tie,  # untied, the forward call never reads reverse_embeddings
    )
    run_layer_test(
        keras.layers.ReversibleEmbedding,
        {"input_dim": 6, "output_dim": 3, "tie_weights": tie, "logit_soft_cap": 1.5},
        input_shape=(2, 4, 3),
        call_kwargs={"reverse": True},
        expected_output_shape=(2, 4, 6),
        check_gradients=tie,  # untied, the reverse call never reads embeddings
    )


def test_mask_and_config_as_keras():
    """Keras 3.15.1 (observed): the forward call carries ids != 0 as mask, the reverse call none;
    config adds tie_weights, reverse_dtype and logit_soft_cap to Embedding's."""
    layer = keras.layers.ReversibleEmbedding(10, 4, mask_zero=True)
    h = layer(np.array([[0, 2, 3]]))
    assert h._keras_mask.numpy().tolist() == [[False, True, True]]
    assert getattr(layer(h, reverse=True), "_keras_mask", None) is None
    config = layer.get_config()
    assert (config["tie_weights"], config["reverse_dtype"], config["logit_soft_cap"]) == (
        True,
        None,
        None,
    )
    assert "lora_rank" not in config


def test_untied_reverse_gradients_float64():
    layer = keras.layers.ReversibleEmbedding(6, 3, tie_weights=False, dtype="float64")
    layer.build()
    check_grad(lambda h: layer(h, reverse=True), (2, 3))
