"""`keras.ops.image.gaussian_blur`, `perspective_transform`, `compute_homography_matrix` and
`elastic_transform`: blurring and warping images, differentiable in the pixels.

`gaussian_blur` is a depthwise convolution ("same", zero padded) with the normalised outer
product of two 1-D Gaussians, as Keras 3's jax backend: `kernel_size` and `sigma` are given as
(x, y), i.e. (width, height), and the kernel is `outer(g_y, g_x)`. `perspective_transform`
solves Keras's 8 x 8 system for the homography that maps each output pixel to its input point
(the `end_points` to the `start_points`) and samples there with `sample` (constant fill).
`elastic_transform` displaces every pixel by `alpha` times a Gaussian-blurred field of normal
noise scaled by `sigma` and resamples with the given fill mode.
"""

import numpy as np

from ..tensor import Tensor
from ._base import to_tensor
from .conv import depthwise_conv
from .image_sampling import _check_interpolation, _check_mode, _first, warp

__all__ = [
    "compute_homography_matrix",
    "elastic_transform",
    "gaussian_blur",
    "perspective_transform",
]


def _check_rank(x, op):
    if x.ndim not in (3, 4):
        raise ValueError(
            f"image.{op}: invalid images rank: expected rank 3 (single image) or rank 4 (batch "
            f"of images). Received input with shape: images.shape={x.shape}"
        )


def _pair(value, name, op):
    v = np.asarray(value.data if isinstance(value, Tensor) else value, np.float64).reshape(-1)
    if v.size == 1:
        v = np.repeat(v, 2)
    if v.size != 2:
        raise ValueError(
            f"image.{op}: `{name}` must be a number or a pair (x, y). Received: {name}={value!r}"
        )
    return v


def gaussian_kernel(kernel_size, sigma, dtype="float32"):
    """The (height, width) kernel: `outer(g_y, g_x)`, each 1-D Gaussian summing to 1.

    `kernel_size` and `sigma` are (x, y) pairs, as Keras's `gaussian_blur` takes them.

    >>> gaussian_kernel((3, 1), (1.0, 1.0), "float64").round(4).tolist()
    [[0.2741, 0.4519, 0.2741]]
    """

    def one(size, s):
        x = np.arange(size, dtype=dtype) - np.asarray((size - 1) / 2, dtype)
        g = np.exp(np.asarray(-0.5, dtype) * (x / np.asarray(s, dtype)) ** 2)
        return g / g.sum()

    size = [int(k) for k in kernel_size]
    return np.outer(one(size[1], sigma[1]), one(size[0], sigma[0])).astype(dtype)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs each channel of the images with a Gaussian kernel (zero padding, same size).

    Args:
        images: `(h, w, c)` or `(n, h, w, c)` (channels first with `data_format`).
        kernel_size: (x, y) kernel sizes, i.e. (width, height), as Keras; or one int.
        sigma: (x, y) standard deviations in pixels, or one number.
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        The blurred images, same shape and dtype; differentiable in `images` (not in `sigma`).

    >>> import numpy as np, minikeras as keras
    >>> x = np.zeros((3, 3, 1), "float32"); x[1, 1] = 1.0
    >>> y = keras.ops.image.gaussian_blur(x, (3, 3), (1.0, 1.0)).numpy()[..., 0]
    >>> round(float(y.sum()), 5), round(float(y[1, 1]), 4)
    (1.0, 0.2042)
    """
    x = to_tensor(images, op="image.gaussian_blur")
    _check_rank(x, "gaussian_blur")
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype("float32")
    ks = _pair(kernel_size, "kernel_size", "gaussian_blur").astype(int)
    s = _pair(sigma, "sigma", "gaussian_blur")
    kernel = gaussian_kernel(ks, s, dtype)
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    first = _first(data_format)
    channels = x.shape[1] if first else x.shape[-1]
    k = np.tile(kernel[:, :, None, None], (1, 1, channels, 1))
    y = depthwise_conv(
        x, k, padding="same", data_format="channels_first" if first else "channels_last"
    )
    return y[0] if unbatched else y


def compute_homography_matrix(start_points, end_points):
    """`(n, 8)` transforms `[a0, a1, a2, a3, a4, a5, a6, a7]` taking each end point to its
    start point: `x_in = (a0 x + a1 y + a2) / (a6 x + a7 y + 1)`, `y_in` with a3, a4, a5.

    Solved in float32 from Keras's 8 x 8 system, one per image.

    >>> import numpy as np
    >>> square = [[[0, 0], [1, 0], [0, 1], [1, 1]]]
    >>> (compute_homography_matrix(square, square).round(6) + 0.0).tolist()
    [[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]]
    """
    start = np.asarray(getattr(start_points, "data", start_points), np.float32).reshape(-1, 4, 2)
    end = np.asarray(getattr(end_points, "data", end_points), np.float32).reshape(-1, 4, 2)
    n = start.shape[0]
    a = np.zeros((n, 8, 8), np.float32)
    for k in range(4):
        ex, ey = end[:, k, 0], end[:, k, 1]
        sx, sy = start[:, k, 0], start[:, k, 1]
        a[:, 2 * k, 0:3] = np.stack([ex, ey, np.ones_like(ex)], -1)
        a[:, 2 * k, 6:8] = np.stack([-sx * ex, -sx * ey], -1)
        a[:, 2 * k + 1, 3:6] = np.stack([ex, ey, np.ones_like(ex)], -1)
        a[:, 2 * k + 1, 6:8] = np.stack([-sy * ex, -sy * ey], -1)
    b = start.reshape(n, 8, 1)
    return np.linalg.solve(a, b).reshape(n, 8).astype(np.float32)


def _points(points, name):
    p = np.asarray(getattr(points, "data", points))
    if p.ndim not in (2, 3) or p.shape[-2:] != (4, 2):
        raise ValueError(
            f"image.perspective_transform: invalid {name} shape: expected (4, 2) for a single "
            f"image or (N, 4, 2) for a batch. Received shape: {p.shape}"
        )
    return p


def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    """Warps images so that the 4 `start_points` move to the `end_points`.

    Each output pixel `(x, y)` reads the input at the homography image of `(x, y)` (see
    `compute_homography_matrix`); points outside read `fill_value`.

    Args:
        images: `(h, w, c)` or `(n, h, w, c)` (channels first with `data_format`).
        start_points, end_points: `(4, 2)` or `(n, 4, 2)` `(x, y)` corners (top-left,
            top-right, bottom-left, bottom-right in Keras's layers).
        interpolation: "nearest" or "bilinear".
        fill_value: the value read outside the image.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The warped images, same shape and dtype; differentiable in `images`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(9, dtype="float32").reshape(3, 3, 1)
    >>> corners = [[0, 0], [2, 0], [0, 2], [2, 2]]
    >>> moved = [[-1, 0], [1, 0], [-1, 2], [1, 2]]  # everything one pixel to the left
    >>> keras.ops.image.perspective_transform(x, corners, moved).numpy()[..., 0].round(4).tolist()
    [[1.0, 2.0, 0.0], [4.0, 5.0, 0.0], [7.0, 8.0, 0.0]]
    """
    _check_interpolation(interpolation, "perspective_transform")
    x = to_tensor(images, op="image.perspective_transform")
    _check_rank(x, "perspective_transform")
    start, end = _points(start_points, "start_points"), _points(end_points, "end_points")
    if start.shape != end.shape:
        raise ValueError(
            "image.perspective_transform: start_points and end_points must have the same shape. "
            f"Received start_points.shape={start.shape}, end_points.shape={end.shape}"
        )

    def coordinates(n, h, w, dtype):
        t = compute_homography_matrix(start, end)
        t = np.broadcast_to(t, (n, 8)) if t.shape[0] == 1 else t
        yy, xx = np.meshgrid(
            np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32), indexing="ij"
        )
        a = [t[:, i, None, None] for i in range(8)]
        denom = a[6] * xx + a[7] * yy + 1.0
        return (a[3] * xx + a[4] * yy + a[5]) / denom, (a[0] * xx + a[1] * yy + a[2]) / denom

    return warp(x, data_format, coordinates, interpolation, "constant", fill_value)


def _rng(seed):
    """A numpy Generator from an int, a numpy Generator, a `keras.random.SeedGenerator` (its
    next state) or None (numpy's global state, which `keras.utils.set_random_seed` seeds)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng(np.random.randint(0, 2**31 - 1))
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return np.random.default_rng(int(seed))
    if hasattr(seed, "next"):  # a SeedGenerator: one fresh (key, counter) state per call
        state = seed.next()
        state = np.asarray(getattr(state, "data", state)).astype(np.int64)
        return np.random.default_rng([int(v) & 0xFFFFFFFF for v in state.ravel()])
    raise ValueError(
        "image.elastic_transform: argument `seed` must be an integer, a "
        f"`keras.random.SeedGenerator` or None. Received: seed={seed!r}"
    )


def elastic_displacements(rng, batch, height, width, alpha, sigma, dtype="float32"):
    """(dy, dx), each `(batch, h, w)`: `alpha` x the Gaussian blur (kernel `int(6 sigma) | 1`,
    std `sigma`) of `sigma` x N(0, 1) noise, as Keras's `elastic_transform`."""
    size = int(6 * float(sigma)) | 1
    kernel = gaussian_kernel((size, size), (sigma, sigma), dtype)
    out = []
    for _ in range(2):
        noise = rng.normal(size=(batch, height, width)).astype(dtype) * np.asarray(sigma, dtype)
        pad = (size - 1) // 2
        p = np.pad(noise, ((0, 0), (pad, size - 1 - pad), (pad, size - 1 - pad)))
        blurred = np.zeros_like(noise)
        for i in range(size):
            for j in range(size):
                blurred += kernel[i, j] * p[:, i : i + height, j : j + width]
        out.append(np.asarray(alpha, dtype) * blurred)
    dx, dy = out
    return dy, dx


def elastic_transform(
    images,
    alpha=20.0,
    sigma=5.0,
    interpolation="bilinear",
    fill_mode="reflect",
    fill_value=0.0,
    seed=None,
    data_format=None,
):
    """Displaces every pixel by a smooth random field and resamples the images.

    Pixel `(y, x)` reads the input at `(y + dy, x + dx)`, with `dx` and `dy` each `alpha`
    times a Gaussian blur (std `sigma`, kernel `int(6 sigma) | 1`) of `sigma` x N(0, 1) noise,
    one field per image shared by its channels (Keras 3's recipe; the noise comes from
    minikeras's generator, so the fields differ from Keras's).

    Args:
        images: `(h, w, c)` or `(n, h, w, c)` (channels first with `data_format`).
        alpha: the displacement scale in pixels.
        sigma: the smoothness (std of the blur, in pixels).
        interpolation: "nearest" or "bilinear".
        fill_mode: "constant", "nearest", "wrap", "mirror" or "reflect".
        fill_value: the value outside with `fill_mode="constant"`.
        seed: an int, a `keras.random.SeedGenerator` or None.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        The transformed images, same shape and dtype; differentiable in `images`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.random.default_rng(0).uniform(size=(5, 5, 1)).astype("float32")
    >>> y = keras.ops.image.elastic_transform(x, alpha=0.0, sigma=1.0, seed=1)
    >>> bool(np.allclose(y.numpy(), x))
    True
    """
    _check_interpolation(interpolation, "elastic_transform")
    _check_mode(fill_mode, "elastic_transform")
    x = to_tensor(images, op="image.elastic_transform")
    _check_rank(x, "elastic_transform")

    def coordinates(n, h, w, x_dtype):
        dtype = x_dtype if x_dtype.kind == "f" else np.dtype("float32")
        dy, dx = elastic_displacements(_rng(seed), n, h, w, float(alpha), float(sigma), dtype)
        yy, xx = np.meshgrid(np.arange(h, dtype=dtype), np.arange(w, dtype=dtype), indexing="ij")
        return yy + dy, xx + dx

    return warp(x, data_format, coordinates, interpolation, fill_mode, fill_value)
