"""RandAugment: `num_ops` operations drawn uniformly from Keras 3's list of 11, applied in order
to the whole batch, each with its parameters drawn once per call."""

import numpy as np
import pytest
from augmentation2_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test

L = keras.layers


@pytest.mark.parametrize("pair", cases("RandAugment"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15.1 (jax): its own transformation with the operations set to equalization (10)
    and auto contrast (9) in several orders, value ranges, channels first."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-3)


def test_operations_and_order():
    assert L.RandAugment.OPS == (
        "random_shear",
        "random_translation",
        "random_rotation",
        "random_brightness",
        "random_color_degeneration",
        "random_contrast",
        "random_sharpness",
        "random_posterization",
        "solarization",
        "auto_contrast",
        "equalization",
    )  # Keras's
    x = np.random.default_rng(0).uniform(0, 255, (3, 6, 7, 3)).astype("float32")
    layer = L.RandAugment(num_ops=4, seed=2)
    t = layer.get_random_transformation(x, seed=5)
    idx = t["layer_idxes"]
    assert idx.shape == (4,) and np.all((0 <= idx) & (idx < 11))
    t["layer_idxes"] = np.array([10, 9])  # equalize, then auto contrast: independent layers
    expected = L.AutoContrast()(L.Equalization()(x)).numpy()
    np.testing.assert_allclose(layer.transform_images(x, t).numpy(), expected, atol=1e-4)
    # an operation picked twice keeps its parameters: brightness with factor (0.2, 0.2) adds
    # 0.2 * 255 each time (Keras reuses one transformation per operation and call)
    bright = L.RandAugment(factor=(0.2, 0.2), seed=1)
    t = bright.get_random_transformation(x)
    t["layer_idxes"] = np.array([3, 3])
    np.testing.assert_allclose(
        bright.transform_images(x, t).numpy(), np.clip(x + 102.0, 0, 255), atol=1e-3
    )


def test_config_and_errors():
    x = np.random.default_rng(1).uniform(0.2, 0.8, (2, 6, 6, 3))
    run_layer_test(
        L.RandAugment,
        {"value_range": (0, 1), "num_ops": 3, "factor": 0.4},
        input_data=x,
        expected_output_shape=(2, 6, 6, 3),
    )
    config = L.RandAugment(factor=0.3, num_ops=1, interpolation="nearest").get_config()
    assert (config["factor"], config["num_ops"], config["interpolation"]) == (
        (0.0, 0.3),
        1,
        "nearest",
    )
    assert config["value_range"] == [0, 255]
    with pytest.raises(ValueError, match="factor"):
        L.RandAugment(factor=1.5)
