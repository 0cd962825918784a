"""GroupQueryAttention against Keras 3.15.1 (fixture `tests/data/keras/layers2_k3.npz`, written by
`make_layers2_fixtures.py` with real Keras on the jax backend): weights, config, masks."""

import pathlib

import numpy as np
import pytest
from helpers import _weight_grad_check, check_grad, randn

import minikeras as keras

FIXTURE = pathlib.Path(__file__).parents[2] / "data" / "keras" / "layers2_k3.npz"
CASES = {
    "gqa_plain": {},
    "gqa_key": {"use_bias": False},
    "gqa_mask": {},
    "gqa_mask_scores": {},
    "gqa_qv_mask": {},
    "gqa_causal": {},
    "gqa_causal_scores": {"num_key_value_heads": 1},
    "gqa_causal_mask": {},
    "gqa_window": {"sliding_window": 2},
    "gqa_gate": {"use_gate": True, "num_key_value_heads": 4},
}


@pytest.fixture(scope="module")
def k3():
    return dict(np.load(FIXTURE))


def _layer(case, k3):
    kwargs = {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2, **CASES[case]}
    call = {k.split("/")[-1]: k3[k] for k in k3 if k.startswith(f"{case}/x/")}
    call = {k: (v.item() if v.ndim == 0 else v) for k, v in call.items()}
    layer = keras.layers.GroupQueryAttention(**kwargs)
    layer.build(call["query"].shape, call["value"].shape)
    n = len([k for k in k3 if k.startswith(f"{case}/w")])
    layer.set_weights([k3[f"{case}/w{i:03d}"] for i in range(n)])
    return layer, call


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_keras(k3, case):
    """Outputs (and scores) within 1e-5 of Keras, with attention masks, query/value masks, the
    causal mask (alone and with an attention mask), a sliding window and the gate; a fully
    masked query row included (Keras's fused path averages the values there)."""
    layer, call = _layer(case, k3)
    out = layer(**call)
    if call.get("return_attention_scores"):
        out, scores = out
        np.testing.assert_allclose(scores.numpy(), k3[f"{case}/scores"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out.numpy(), k3[f"{case}/y"], rtol=1e-5, atol=1e-5)


def test_weights_config_and_names_as_keras():
    """Keras 3.15.1 observed: weight paths and shapes, config keys and defaults."""
    layer = keras.layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    x = np.ones((2, 3, 6), "float32")
    assert layer(x, x).shape == (2, 3, 6)
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("grouped_query_attention/query/kernel", (6, 4, 4)),
        ("grouped_query_attention/query/bias", (4, 4)),
        ("grouped_query_attention/key/kernel", (6, 2, 4)),
        ("grouped_query_attention/key/bias", (2, 4)),
        ("grouped_query_attention/value/kernel", (6, 2, 4)),
        ("grouped_query_attention/value/bias", (2, 4)),
        ("grouped_query_attention/attention_output/kernel", (4, 4, 6)),
        ("grouped_query_attention/attention_output/bias", (6,)),
    ]
    config = layer.get_config()
    keys = [
        "head_dim",
        "num_query_heads",
        "num_key_value_heads",
        "use_bias",
        "use_gate",
        "sliding_window",
        "dropout",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "bias_constraint",
        "seed",
    ]
    assert list(config)[-len(keys) :] == keys
    assert (config["use_bias"], config["use_gate"], config["dropout"]) == (True, False, 0.0)
    assert keras.layers.GroupedQueryAttention is keras.layers.GroupQueryAttention


def test_keras_masks_of_the_inputs_are_used():
    """Keras 3 fills `query_mask`/`value_mask` from the inputs' Keras masks."""
    layer = keras.layers.GroupQueryAttention(2, 2, 1)
    emb = keras.layers.Embedding(5, 4, mask_zero=True)
    ids = np.array([[1, 2, 0], [3, 0, 0]])
    seq = emb(ids)
    out = layer(seq, seq)
    explicit = layer(seq.numpy(), seq.numpy(), query_mask=ids > 0, value_mask=ids > 0)
    np.testing.assert_allclose(out.numpy(), explicit.numpy(), rtol=1e-6)


def test_symbolic_model_and_gradients():
    q, v = keras.Input((3, 6)), keras.Input((4, 6))
    model = keras.Model([q, v], keras.layers.GroupQueryAttention(2, 4, 2)(q, v))
    assert model.output_shape == (None, 3, 6)
    layer = keras.layers.GroupQueryAttention(2, 4, 2, use_gate=True, dtype="float64")
    xq, xv = randn(2, 3, 6, seed=1), randn(2, 4, 6, seed=2)
    mask = np.array([[1, 1, 0, 1], [1, 0, 1, 1]], bool)[:, None, :]
    layer(xq, xv)
    layer.set_weights([w * 3 for w in layer.get_weights()])
    check_grad(lambda a, b: layer(a, b, attention_mask=mask), xq, xv, rtol=1e-5, atol=1e-7)
    _weight_grad_check(layer, xq, 1e-5, 1e-7, {"value": xv, "use_causal_mask": True})


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="num_query_heads.*divisible"):
        keras.layers.GroupQueryAttention(2, 3, 2)
    with pytest.raises(ValueError, match="sliding_window"):
        keras.layers.GroupQueryAttention(2, 2, 1, sliding_window=0)
    with pytest.raises(ValueError, match="flash attention"):
        keras.layers.GroupQueryAttention(2, 2, 1, dropout=0.5, flash_attention=True)


def test_saving_roundtrip(tmp_path):
    q = keras.Input((3, 6))
    model = keras.Model(q, keras.layers.GroupQueryAttention(3, 2, 1, use_gate=True)(q, q))
    x = np.random.default_rng(0).standard_normal((2, 3, 6)).astype("float32")
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
