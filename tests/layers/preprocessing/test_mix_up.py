"""MixUp: `w x + (1 - w) x[p]` for images and labels, w ~ Beta(alpha, alpha) (Keras 3)."""

import numpy as np
import pytest
from augmentation2_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import check_grad, run_layer_test


@pytest.mark.parametrize("pair", cases("MixUp"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15.1 outputs for explicit weights and permutations (images, channels first,
    labels) and at inference."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-6, atol=1e-4)


def test_dict_input_mixes_labels_with_the_images_weights():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, (6, 3, 3, 2)).astype("float32")
    labels = np.eye(6, dtype="float32")
    layer = keras.layers.MixUp(alpha=0.5, seed=5)
    t = layer.get_random_transformation({"images": x, "labels": labels}, seed=9)
    w, p = t["mix_weight"], t["permutation_order"]
    assert sorted(p.tolist()) == list(range(6)) and np.all((w >= 0) & (w <= 1))
    out = layer({"images": x, "labels": labels})
    assert set(out) == {"images", "labels"}
    # the call's own draw: recover w from the labels (one-hot), then check the images
    y = out["labels"].numpy()
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-6)
    expected = layer.transform_images(x, t).numpy()
    np.testing.assert_allclose(
        expected, w[:, None, None, None] * x + (1 - w[:, None, None, None]) * x[p], rtol=1e-5
    )
    np.testing.assert_allclose(
        layer.transform_labels(labels, t).numpy(),
        w[:, None] * labels + (1 - w[:, None]) * labels[p],
        rtol=1e-6,
    )
    same = layer({"images": x, "labels": labels}, training=False)
    np.testing.assert_array_equal(same["labels"].numpy(), labels)


def test_config_gradient_and_errors():
    x = np.random.default_rng(1).uniform(0.2, 0.8, (3, 4, 4, 2))
    run_layer_test(
        keras.layers.MixUp, {"alpha": 0.3}, input_data=x, expected_output_shape=(3, 4, 4, 2)
    )  # at inference: random mixes differ
    layer = keras.layers.MixUp(alpha=0.3)
    t = {"mix_weight": np.array([0.2, 0.7, 0.5]), "permutation_order": np.array([2, 0, 1])}
    check_grad(lambda v: layer.transform_images(v, t), x)  # both terms reach the images
    assert keras.layers.MixUp(seed=2).get_config()["alpha"] == 0.2  # Keras's default
    with pytest.raises(NotImplementedError, match="bounding_boxes"):
        keras.layers.MixUp()({"images": x, "bounding_boxes": x})
    with pytest.raises(ValueError, match="'images'"):
        keras.layers.MixUp()({"labels": x})
