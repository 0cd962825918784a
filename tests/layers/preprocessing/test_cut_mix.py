"""CutMix: a box of sides sqrt(1 - lam) (w, h) from image p[i]; labels mixed by area (Keras 3)."""

import numpy as np
import pytest
from augmentation2_fixtures import case_id, cases, run_case

import minikeras as keras


@pytest.mark.parametrize("pair", cases("CutMix"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15.1 outputs for explicit boxes and permutations (channels last and first),
    label mixing by `mix_weight`, and a single image (unchanged)."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-6, atol=1e-4)


def test_draw_geometry():
    """The box holds the pixels with integer coordinates in [x0, x1) x [y0, y1), and
    mix_weight is 1 - (box area) / (image area) for the fractional box."""
    layer = keras.layers.CutMix(factor=(0.5, 1.0), seed=3)
    x = np.random.default_rng(0).uniform(0, 255, (5, 7, 9, 2)).astype("float32")
    t = layer.get_random_transformation(x, seed=4)
    masks, w, p = t["batch_masks"], t["mix_weight"], t["permutation_order"]
    assert masks.shape == x.shape and w.shape == (5, 1, 1, 1)
    for i in range(5):
        rows, cols = np.nonzero(masks[i, ..., 0])
        if rows.size:  # a rectangle, identical over channels
            assert masks[i, rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].all()
            assert (masks[i, ..., 0] == masks[i, ..., 1]).all()
        assert masks[i].sum() / 2 <= (1 - w[i, 0, 0, 0]) * 63 + 2 * (7 + 9) + 1
    y = layer.transform_images(x, t).numpy()
    np.testing.assert_array_equal(y, np.where(masks, x[p], x))
    labels = np.eye(5, dtype="float32")
    mixed = layer.transform_labels(labels, t).numpy()
    np.testing.assert_allclose(
        mixed, w[:, :, 0, 0] * labels + (1 - w[:, :, 0, 0]) * labels[p], rtol=1e-6
    )


def test_dict_single_image_config_and_errors():
    x = np.random.default_rng(1).uniform(0, 255, (4, 5, 5, 3)).astype("float32")
    out = keras.layers.CutMix(seed=1)({"images": x, "labels": np.eye(4)})
    assert out["images"].shape == x.shape and out["labels"].shape == (4, 4)
    np.testing.assert_allclose(out["labels"].numpy().sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(keras.layers.CutMix(seed=1)(x[0]).numpy(), x[0])
    config = keras.layers.CutMix(0.4, seed=2).get_config()
    assert config["factor"] == (0.0, 0.4) and config["seed"] == 2
    assert keras.layers.CutMix.from_config(config).factor == (0.0, 0.4)
    with pytest.raises(ValueError, match="factor"):
        keras.layers.CutMix(factor=1.5)
