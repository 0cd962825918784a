"""Tests for minikeras/core/ops/image_warp.py: `gaussian_blur`, `perspective_transform`,
`compute_homography_matrix` against Keras 3.15.1's own outputs on jax
(`tests/data/keras/augmentation2_k3.npz`, made by `make_augmentation2_fixtures.py`), numpy
references, and float64 finite-difference gradients in the pixels; `elastic_transform`
against a numpy reference of Keras's recipe with the same displacement fields."""

import os
import sys

import numpy as np
import pytest

from helpers import check_grad
from minikeras import ops
from minikeras.core.ops.image_warp import (
    compute_homography_matrix,
    elastic_displacements,
    gaussian_kernel,
)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "layers", "preprocessing"))
from augmentation2_fixtures import case_id, cases, run_case  # noqa: E402


@pytest.mark.parametrize(
    "pair",
    cases("gaussian_blur") + cases("perspective_transform") + cases("compute_homography_matrix"),
    ids=case_id,
)
def test_matches_keras(pair):
    """Keras 3.15.1 (jax): 3-D / 4-D, channels first, odd and even and unequal kernel sizes,
    unequal sigmas; perspective with batched and single corner sets, nearest and bilinear,
    a fill value."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=2e-4)


def _blur_reference(x, kx, ky, sx, sy):
    """Direct 2-D correlation of each channel with outer(g_y, g_x), zero padding."""

    def g(size, s):
        t = np.arange(size) - (size - 1) / 2
        v = np.exp(-0.5 * (t / s) ** 2)
        return v / v.sum()

    k = np.outer(g(ky, sy), g(kx, sx))
    n, h, w, c = x.shape
    top, left = (ky - 1) // 2, (kx - 1) // 2
    p = np.pad(x, ((0, 0), (top, ky - 1 - top), (left, kx - 1 - left), (0, 0)))
    return sum(k[i, j] * p[:, i : i + h, j : j + w] for i in range(ky) for j in range(kx))


def test_gaussian_blur_numpy_reference_and_kernel():
    x = np.random.default_rng(0).standard_normal((2, 6, 7, 3))
    y = ops.image.gaussian_blur(x, kernel_size=(5, 3), sigma=(1.3, 0.7)).numpy()
    np.testing.assert_allclose(y, _blur_reference(x, 5, 3, 1.3, 0.7), rtol=1e-12, atol=1e-12)
    k = gaussian_kernel((3, 5), (1.0, 2.0), "float64")
    assert k.shape == (5, 3) and np.isclose(k.sum(), 1.0)  # (height, width): sizes are (x, y)


def test_gradients_float64():
    """Each op is linear in the pixels: d/dx checked by central differences in float64."""
    check_grad(lambda x: ops.image.gaussian_blur(x, (3, 5), (0.8, 1.4)), (2, 5, 6, 2))
    start = [[0.0, 0.0], [5.0, 0.0], [0.0, 4.0], [5.0, 4.0]]
    end = [[0.4, -0.3], [5.2, 0.5], [-0.2, 4.3], [4.6, 3.8]]
    check_grad(lambda x: ops.image.perspective_transform(x, start, end), (2, 5, 6, 2))
    check_grad(lambda x: ops.image.elastic_transform(x, 2.0, 1.0, seed=4), (1, 6, 6, 2))


def test_homography_maps_end_points_to_start_points():
    rng = np.random.default_rng(3)
    start = np.array([[0, 0], [9, 0], [0, 7], [9, 7]], np.float32)[None]
    end = start + rng.uniform(-1, 1, (1, 4, 2)).astype(np.float32)
    a = compute_homography_matrix(start, end)[0].astype(np.float64)
    for (sx, sy), (ex, ey) in zip(start[0], end[0]):
        d = a[6] * ex + a[7] * ey + 1
        np.testing.assert_allclose(
            [(a[0] * ex + a[1] * ey + a[2]) / d, (a[3] * ex + a[4] * ey + a[5]) / d],
            [sx, sy],
            atol=1e-4,
        )


def test_perspective_identity_and_shift():
    x = np.random.default_rng(1).uniform(size=(4, 5, 2)).astype("float32")
    corners = [[0, 0], [4, 0], [0, 3], [4, 3]]
    np.testing.assert_allclose(
        ops.image.perspective_transform(x, corners, corners).numpy(), x, atol=1e-5
    )
    moved = [[p[0] - 1, p[1]] for p in corners]  # output (x, y) reads input (x + 1, y)
    y = ops.image.perspective_transform(x, corners, moved, fill_value=-1.0).numpy()
    np.testing.assert_allclose(y[:, :-1], x[:, 1:], atol=1e-5)
    np.testing.assert_allclose(y[:, -1], -1.0)


def test_elastic_transform_reference_and_seed():
    """Keras's recipe: kernel int(6 sigma) | 1, fields alpha * blur(sigma * N(0, 1)), pixel
    (y, x) reads (y + dy, x + dx). The reference draws the same noise and resamples with
    `map_coordinates`, reflect fill."""
    x = np.random.default_rng(2).uniform(size=(2, 7, 8, 3)).astype("float32")
    alpha, sigma = 3.0, 0.8
    y = ops.image.elastic_transform(x, alpha, sigma, seed=11).numpy()
    np.testing.assert_array_equal(ops.image.elastic_transform(x, alpha, sigma, seed=11).numpy(), y)
    assert not np.allclose(y, x)
    noise = np.random.default_rng(11)
    fields = [noise.normal(size=(2, 7, 8)).astype("float32") * np.float32(sigma) for _ in range(2)]
    size = int(6 * sigma) | 1
    dx, dy = (
        alpha * _blur_reference(f[..., None].astype(np.float64), size, size, sigma, sigma)[..., 0]
        for f in fields
    )
    rows = np.arange(7)[None, :, None] + dy
    cols = np.arange(8)[None, None, :] + dx
    expected = np.stack(
        [
            np.stack(
                [
                    ops.image.map_coordinates(
                        x[b, ..., c], [rows[b], cols[b]], 1, fill_mode="reflect"
                    ).numpy()
                    for c in range(3)
                ],
                -1,
            )
            for b in range(2)
        ]
    )
    np.testing.assert_allclose(y, expected, atol=1e-4)
    got_dy, got_dx = elastic_displacements(np.random.default_rng(11), 2, 7, 8, alpha, sigma)
    np.testing.assert_allclose(got_dx, dx, atol=1e-5)
    # channels first: the same fields
    y_cf = ops.image.elastic_transform(
        np.moveaxis(x, -1, 1), alpha, sigma, seed=11, data_format="channels_first"
    ).numpy()
    np.testing.assert_allclose(np.moveaxis(y_cf, 1, -1), y, atol=1e-6)


def test_errors_name_the_argument():
    x = np.zeros((1, 4, 4, 1), "float32")
    with pytest.raises(ValueError, match="interpolation"):
        ops.image.perspective_transform(x, np.zeros((4, 2)), np.zeros((4, 2)), "bicubic")
    with pytest.raises(ValueError, match="end_points"):
        ops.image.perspective_transform(x, np.zeros((4, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.elastic_transform(x, fill_mode="bad")
    with pytest.raises(ValueError, match="rank"):
        ops.image.gaussian_blur(np.zeros((4, 4)))
