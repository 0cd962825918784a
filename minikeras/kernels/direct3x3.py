"""A direct 3x3 stride-1 convolution of one-channel images (a grayscale CNN's first layer) in
inference, with its bias, ReLU and the 2x2 max pooling after it (`conv.conv(..., pool=True)`).

im2col + GEMM suits this layer badly: the GEMM's inner dimension is 9, and the im2col rows are
written and read again (64 x 28x28x1 -> 32 then pooled: 0.75-0.8 ms, of which ~0.2 im2col and
~0.3 the GEMM). Here each 2x2 block of output pixels (one pooled pixel) copies its 4x4 input
patch to 16 scalars and computes its four sums, their maximum, the bias and ReLU for all
filters in one loop, which LLVM vectorizes (the patch values are loop constants, the 9 kernel
rows stream from L1): 0.5 ms. Without the pooling, the same loop writing the four outputs ran
3 ms (not vectorized: four stores per filter), so full-size outputs stay with im2col; and one
loop per channel, for more channels, would keep the four sums in memory (not tried).
"""

import numba
import numpy as np

from . import threads


def conv3x3_pool_ref(x, kernel, bias, relu, pad, out_shape):
    """Reference for `conv3x3_pool`: per-tap products of a zero-padded copy (float64), bias,
    ReLU, 2x2 max pooling."""
    b, h, w, c = x.shape
    oh, ow = out_shape
    xp = np.zeros((b, oh + 2, ow + 2, c))
    rows, cols = min(h, oh + 2 - pad[0]), min(w, ow + 2 - pad[1])
    xp[:, pad[0] : pad[0] + rows, pad[1] : pad[1] + cols] = x[:, :rows, :cols]
    y = sum(
        np.einsum("bhwc,cf->bhwf", xp[:, i : i + oh, j : j + ow], kernel[i, j].astype(np.float64))
        for i in range(3)
        for j in range(3)
    )
    y = y + bias
    y = np.maximum(y, 0) if relu else y
    ph, pw = oh // 2, ow // 2
    return y[:, : 2 * ph, : 2 * pw].reshape(b, ph, 2, pw, 2, -1).max(axis=(2, 4)).astype(x.dtype)


@numba.njit(cache=True, nogil=True)
def _direct_images(x, w, bias, relu, pad_h, pad_w, out, b0, b1):
    """out[b0:b1] = the 2x2 max pooling of relu?(conv3x3(x[b0:b1]) + bias), one 2x2 block of
    output pixels at a time; x (b, H, W, 1), w (9, F), out (b, OH // 2, OW // 2, F)."""
    _, h, wd, _ = x.shape
    th, tw = out.shape[1], out.shape[2]
    p = np.zeros(16, x.dtype)  # the block's 4x4 input patch, zeros outside x
    for b in range(b0, b1):
        for ty in range(th):
            for tx in range(tw):
                y0, x0 = 2 * ty - pad_h, 2 * tx - pad_w
                if 0 <= y0 and y0 + 4 <= h and 0 <= x0 and x0 + 4 <= wd:
                    for i in range(4):
                        for j in range(4):
                            p[4 * i + j] = x[b, y0 + i, x0 + j, 0]
                else:
                    for i in range(4):
                        for j in range(4):
                            inside = 0 <= y0 + i < h and 0 <= x0 + j < wd
                            p[4 * i + j] = x[b, y0 + i, x0 + j, 0] if inside else 0
                _block_max(p, w, bias, relu, out[b, ty, tx])


@numba.njit(cache=True, nogil=True, inline="always")
def dot3x3(p, at, row, w, j):
    """The 3x3 sum of `p[at + row * i + k] * w[3 * i + k, j]` (i, k < 3) in a fixed order: the
    window at `at` of values laid out `row` apart per window row (w (9, F))."""
    a = p[at] * w[0, j] + p[at + 1] * w[1, j] + p[at + 2] * w[2, j]
    b = p[at + row] * w[3, j] + p[at + row + 1] * w[4, j] + p[at + row + 2] * w[5, j]
    c = p[at + 2 * row] * w[6, j] + p[at + 2 * row + 1] * w[7, j] + p[at + 2 * row + 2] * w[8, j]
    return (a + b) + c


@numba.njit(cache=True, nogil=True, inline="always")
def block_sums(p, dx, dy, row, w, j):
    """The four 3x3 sums (`dot3x3`, values `row` apart per window row) of the windows at 0,
    dx, dy and dx + dy in `p`, for filter j: a 2x2 block of outputs. Here the 4x4 patch's
    windows (dx 1, dy 4, row 4); `conv_int8_3x3` stores its four windows one after another."""
    return (
        dot3x3(p, 0, row, w, j),
        dot3x3(p, dx, row, w, j),
        dot3x3(p, dy, row, w, j),
        dot3x3(p, dx + dy, row, w, j),
    )


@numba.njit(cache=True, nogil=True, inline="always")
def _block_max(p, w, bias, relu, out):
    """out (F,) = relu?(max of the block's four outputs + bias), with the comparisons of
    `pool._max_pool_2x2_values`."""
    for j in range(out.shape[0]):
        a, b, c, d = block_sums(p, 1, 4, 4, w, j)
        v = b if b > a else a
        v = c if c > v else v
        v = (d if d > v else v) + bias[j]
        out[j] = max(v, 0) if relu else v


def conv3x3_pool(x, kernel, bias, relu, pad, out_shape, n_threads=1):
    """The 2x2 max pooling (stride 2, "valid") of relu?(correlation of x (b, H, W, 1) with a
    (3, 3, 1, F) kernel + bias), stride 1, `pad` (top, left) zeros, convolution output of size
    `out_shape`: (b, OH // 2, OW // 2, F); blocks of images on `n_threads` threads."""
    x = np.ascontiguousarray(x)
    nb, f = x.shape[0], kernel.shape[-1]
    if x.shape[-1] != 1 or kernel.shape[:3] != (3, 3, 1) or bias.shape != (f,):
        raise ValueError(
            "conv3x3_pool: expected one input channel, a (3, 3, 1, F) kernel and an (F,) bias. "
            f"Received x {x.shape}, kernel {kernel.shape}, bias {bias.shape}"
        )
    out = np.empty((nb, out_shape[0] // 2, out_shape[1] // 2, f), x.dtype)
    w = np.ascontiguousarray(kernel, dtype=x.dtype).reshape(9, f)
    b = np.ascontiguousarray(bias, dtype=x.dtype)

    def images(b0, b1):
        _direct_images(x, w, b, bool(relu), *pad, out, b0, b1)

    threads.run_blocks(images, nb, n_threads)
    return out
