"""AugMix: `w x + (1 - w) sum_k m_k chain_k(x)`, m ~ Dirichlet(alpha), w ~ Beta(alpha, alpha),
chains of up to `chain_depth` operations, clipped to value_range (Keras 3)."""

import numpy as np
import pytest
from augmentation2_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test

L = keras.layers


@pytest.mark.parametrize("pair", cases("AugMix"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15.1 (jax): explicit weights with chains of equalization / auto contrast (and
    an empty chain), value ranges, channels first."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-3)


def test_draw_and_mixing_formula():
    x = np.random.default_rng(0).uniform(0, 255, (3, 6, 6, 3)).astype("float32")
    layer = L.AugMix(num_chains=4, chain_depth=2, all_ops=False, seed=3)
    t = layer.get_random_transformation(x, seed=8)
    m = t["chain_mixing_weights"]
    assert m.shape == (4,) and np.isclose(m.sum(), 1.0) and 0 <= t["weight_sample"] <= 1
    names = {s["layer_name"] for chain in t["chain_transforms"] for s in chain}
    assert len(t["chain_transforms"]) == 4 and all(len(c) <= 2 for c in t["chain_transforms"])
    assert names <= {
        "random_shear",
        "random_translation",
        "random_rotation",
        "random_posterization",
        "solarization",
        "auto_contrast",
        "equalization",
    }
    eq, ac = L.Equalization()(x).numpy(), L.AutoContrast()(x).numpy()
    chains = [
        [{"layer_name": "equalization", "seed": 0}],
        [],
        [{"layer_name": "auto_contrast", "seed": 0}],
    ]
    t = {
        "chain_mixing_weights": np.array([0.5, 0.2, 0.3]),
        "weight_sample": 0.6,
        "chain_transforms": chains,
    }
    expected = np.clip(0.6 * x + 0.4 * (0.5 * eq + 0.2 * x + 0.3 * ac), 0, 255)
    np.testing.assert_allclose(layer.transform_images(x, t).numpy(), expected, atol=1e-3)


def test_config_and_errors():
    x = np.random.default_rng(1).uniform(0.2, 0.8, (2, 6, 6, 3))
    run_layer_test(
        L.AugMix,
        {"value_range": (0, 1), "num_chains": 2, "chain_depth": 2},
        input_data=x,
        expected_output_shape=(2, 6, 6, 3),
    )
    config = L.AugMix(factor=0.5, alpha=0.5, all_ops=False).get_config()
    assert (config["factor"], config["alpha"], config["all_ops"]) == ((0.0, 0.5), 0.5, False)
    assert (config["num_chains"], config["chain_depth"]) == (3, 3)
    with pytest.raises(ValueError, match="factor"):
        L.AugMix(factor=-2)
