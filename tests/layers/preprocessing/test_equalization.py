"""Equalization: Keras 3's per-channel histogram equalization (histogram over the whole batch)."""

import numpy as np
import pytest
from augmentation2_fixtures import case_id, cases, run_case

import minikeras as keras


def _equalize(v, bins):
    """Numpy reference written from Keras's description (bins, cdf, rounded lookup table)."""
    idx = np.clip((v * (bins - 1) / 255.0).astype(int), 0, bins - 1)
    hist = np.bincount(idx.ravel(), minlength=bins)
    if np.count_nonzero(hist) <= 1:
        return v
    cdf = np.cumsum(hist)
    low = cdf[cdf > 0][0]
    table = np.clip(np.round((cdf - low) * 255.0 / max(cdf[-1] - low, 1)), 0, 255)
    return table[np.clip(v / 255.0 * (bins - 1), 0, bins - 1).astype(int)]


@pytest.mark.parametrize("pair", cases("Equalization"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15.1 (jax) outputs: value ranges, bins, channels first, a single image, a
    one-bin channel (left as is), training=False (identity, as Keras's code does).

    Keras's jax backend divides by multiplying with the reciprocal, so a lookup value that is
    an exact .5 tie (246.5 in the bins=16 case) rounds up there; Keras's torch and numpy
    backends give 246, as minikeras does (observed), hence atol=1 for that one case."""
    c, expected = pair
    atol = 1.0 if c["kwargs"].get("bins") == 16 else 1e-3
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=atol)


def test_numpy_reference_and_tie():
    x = np.random.default_rng(0).uniform(0, 255, (3, 4, 5, 2)).astype("float32")
    for bins in (256, 16, 7):
        y = keras.layers.Equalization(bins=bins)(x).numpy()
        expected = np.stack([_equalize(x[..., c], bins) for c in range(2)], -1)
        np.testing.assert_allclose(y, expected, atol=1e-4)
    # (68 - 10) * 255 / 60 = 246.5 rounds half to even, as numpy / torch Keras backends
    v = np.array([0.0] * 10 + [200.0] * 58 + [250.0] * 2, np.float32).reshape(1, 70, 1, 1)
    assert 246.0 in keras.layers.Equalization(bins=16)(v).numpy()


def test_value_range_config_and_errors():
    x = np.random.default_rng(1).uniform(0, 1, (2, 4, 4, 1)).astype("float32")
    y = keras.layers.Equalization(value_range=(0, 1))(x).numpy()
    np.testing.assert_allclose(y * 255.0, _equalize(x * 255.0, 256), atol=1e-3)
    layer = keras.layers.Equalization(value_range=(1, 0), bins=64)
    config = layer.get_config()
    assert config["value_range"] == [0, 1] and config["bins"] == 64 and "seed" not in config
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    with pytest.raises(ValueError, match="value_range"):
        keras.layers.Equalization(value_range=3)
