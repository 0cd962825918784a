"""Winograd F(2x2, 3x3) for the 3x3, stride-1 convolutions of inference (`conv.conv` with an
epilogue: no gradient recorded).

Each 2x2 block of output pixels ("tile") comes from a 4x4 patch d of the input: with the
transforms B, G, A of Lavin & Gray (2015),

    out_tile = A^T [ (G g G^T) * (B^T d B) ] A      (* elementwise over the 4x4 positions),

summed over input channels; position k of the 4x4 product is one GEMM over all tiles,
`M[k] (tiles, F) = V[k] (tiles, C) @ U[k] (C, F)`, 16 products of 2.25x fewer multiply-adds in
all than the direct 3x3 convolution (36 against 16 per tile and channel pair). The transforms'
entries are 0, +-1 and +-1/2, so rounding stays near the direct sum's: against a float64
reference, the float32 outputs differ by at most 1.1e-7 to 2.6e-7 of the largest output on the
test cases, the im2col GEMM's by 0.6e-7 to 5.5e-7 (`tests/kernels/test_winograd.py`).

One kernel call does a range of images in chunks of `CHUNK_TILES` tiles, so that V and M (16 x
tiles x channels each, laid out tile by tile: (tiles, 16, C)) stay in the L2 cache between the
input transform, the 16 GEMMs (OpenBLAS called from numba with strided rows, `blas.py`) and the
output transform, which adds the bias, applies ReLU and writes each output pixel once. The input
transform runs once per tile row along the height (B^T over 4 input rows, contiguous W*C
vectors), then per tile along the width. With `pool` (a MaxPooling2D(2) after the layer,
`models/inference_fusion.py`) a tile is a pooling window: only the tiles of the pooled pixels
are computed and each writes its maximum.

One thread, 64 images 13x13x32 -> 64 (the MNIST CNN's second layer): the input transform ~0.3
ms, the GEMMs ~1.0-1.4 (~100 GFLOP/s), the output transform ~0.2; im2col + one GEMM took 3.7.
Splitting the work into more njit functions costs compile time (~0.5 s each on a cold cache),
merging them into one ran 10-25 % slower; F(4x4, 3x3) was rejected for its error (README).
"""

import numba
import numpy as np

from . import blas, threads
from .blas import _cblas_gemm

# tiles per chunk: V (16, T, C) and M (16, T, F) stay in L2 for the channel counts of the
# small CNNs (C=32, F=64, T=64: 0.4 MB; 32 to 200 tiles measured within noise of it)
CHUNK_TILES = 64

# the transforms of F(2x2, 3x3)
BT = np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], np.float64)
G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]], np.float64)
AT = np.array([[1, 1, 1, 0], [0, 1, -1, -1]], np.float64)


def kernel_transform_ref(kernel):
    """Reference for `kernel_transform`: U = G g G^T in float64, (16, C, F) in kernel's dtype."""
    u = np.einsum("ai,ijcf,bj->abcf", G, kernel.astype(np.float64), G)
    return u.reshape(16, *kernel.shape[2:]).astype(kernel.dtype)


@numba.njit(cache=True, nogil=True)
def kernel_transform(kernel):
    """U = G g G^T of a (3, 3, C, F) kernel, summed in float64: (16, C, F) in its dtype.

    Row by row (each loop streams whole rows of C*F values): one (input channel, filter) at a
    time touched 25 rows 8 KB apart (C*F = 2048), which share L1 sets: 0.08 ms against ~0.01."""
    _, _, c, f = kernel.shape
    n = c * f
    g = kernel.reshape(9, n)
    t = np.empty((12, n))  # G g: row 4 * j + a is G's row a times the kernel's column j
    for j in range(3):
        _g_rows(g[j], g[3 + j], g[6 + j], t[4 * j], t[4 * j + 1], t[4 * j + 2], t[4 * j + 3])
    u = np.empty((16, c, f), kernel.dtype)
    ur = u.reshape(16, n)
    for a in range(4):  # (G g) G^T: row 4 * a + b of U
        _g_rows(t[a], t[4 + a], t[8 + a], ur[4 * a], ur[4 * a + 1], ur[4 * a + 2], ur[4 * a + 3])
    return u


@numba.njit(cache=True, nogil=True, inline="always")
def _g_rows(x0, x1, x2, y0, y1, y2, y3):
    """(y0, y1, y2, y3) = G @ (x0, x1, x2), element by element along the rows, in float64."""
    for q in range(x0.shape[0]):
        a, b, c = np.float64(x0[q]), np.float64(x1[q]), np.float64(x2[q])
        y0[q] = a
        y1[q] = 0.5 * (a + b + c)
        y2[q] = 0.5 * (a - b + c)
        y3[q] = c


def conv3x3_ref(x, kernel, bias, relu, pad, out_shape, pool=False):
    """Reference for `conv3x3`: the 3x3 correlation of x (b, H, W, C) with `pad` (top, left)
    zeros, as tiles through the Winograd transforms in float64, then bias and ReLU (and 2x2
    max pooling with `pool`)."""
    b, h, w, c = x.shape
    oh, ow = out_shape
    th, tw = (oh + 1) // 2, (ow + 1) // 2
    xp = np.zeros((b, 2 * th + 2, 2 * tw + 2, c))
    rows, cols = min(h, 2 * th + 2 - pad[0]), min(w, 2 * tw + 2 - pad[1])
    xp[:, pad[0] : pad[0] + rows, pad[1] : pad[1] + cols] = x[:, :rows, :cols]
    # patches (b, th, tw, 4, 4, C), overlapping by 2
    idx = 2 * np.arange(th)[:, None] + np.arange(4)[None, :]
    jdx = 2 * np.arange(tw)[:, None] + np.arange(4)[None, :]
    d = xp[:, idx[:, None, :, None], jdx[None, :, None, :]]
    v = np.einsum("ai,ntsijc,bj->ntsabc", BT, d, BT)
    u = np.einsum("ai,ijcf,bj->abcf", G, kernel.astype(np.float64), G)
    m = np.einsum("ntsabc,abcf->ntsabf", v, u)
    y = np.einsum("ia,ntsabf,jb->ntsijf", AT, m, AT)  # (b, th, tw, 2, 2, F)
    y = y.transpose(0, 1, 3, 2, 4, 5).reshape(b, 2 * th, 2 * tw, -1)[:, :oh, :ow]
    y = y + bias
    y = np.maximum(y, 0) if relu else y
    if pool:
        ph, pw = oh // 2, ow // 2
        y = y[:, : 2 * ph, : 2 * pw].reshape(b, ph, 2, pw, 2, -1).max(axis=(2, 4))
    return y.astype(x.dtype)


@numba.njit(cache=True, nogil=True)
def _gemm_strided(address, n, f, c, a, lda, b, ldb, out, ldc):
    """out[i*ldc + j] = sum_p a[i*lda + p] * b[p*ldb + j] for i < n, j < f, p < c (flat row-major
    matrices): BLAS at `address`, or a plain loop when it is 0."""
    if address != 0:
        _cblas_gemm(address, n, f, c, a, lda, b, ldb, out, ldc)
        return
    for i in range(n):
        for j in range(f):
            out[i * ldc + j] = 0
        for p in range(c):
            v = a[i * lda + p]
            for j in range(f):
                out[i * ldc + j] += v * b[p * ldb + j]


@numba.njit(cache=True, nogil=True)
def _conv3x3_images(x, u, bias, relu, pool, pad_h, pad_w, out, b0, b1, address):
    """out[b0:b1] = relu?(conv3x3(x[b0:b1]) + bias) by Winograd F(2x2, 3x3), in chunks of
    tiles; x (b, H, W, C), u (16, C, F) from `kernel_transform`, out (b, OH, OW, F). With
    `pool`, out is (b, OH // 2, OW // 2, F) and gets the 2x2 maxima (one per tile) instead."""
    nb, h, w, c = x.shape
    oh, ow, f = out.shape[1], out.shape[2], out.shape[3]
    th, tw = (oh, ow) if pool else ((oh + 1) // 2, (ow + 1) // 2)
    per_image = th * tw
    chunk = min(CHUNK_TILES, (b1 - b0) * per_image)
    # V (tiles, 16, C) and M (tiles, 16, F): each tile's 16 positions in one block, so that the
    # transforms read and write one contiguous block per tile; GEMM k takes every 16th row
    v = np.empty((chunk, 16, c), x.dtype)
    m = np.empty((chunk, 16, f), x.dtype)
    vf, mf, uf = v.reshape(-1), m.reshape(-1), u.reshape(-1)
    wp = 2 * tw + 2  # the B^T rows of one tile row, zero outside x along the width
    rows = np.zeros((4, wp * c), x.dtype)
    zero = np.zeros(w * c, x.dtype)
    xr = x.reshape(nb, h, w * c)
    g0, g1 = b0 * per_image, b1 * per_image
    current = -1  # the (image, tile row) whose B^T rows are in `rows`
    for start in range(g0, g1, chunk):
        n = min(chunk, g1 - start)
        for t in range(n):  # input transform: V[t] = B^T d B of tile start + t
            g = start + t
            b, r = g // per_image, g % per_image
            ty, tx = r // tw, r % tw
            if b * th + ty != current:
                current = b * th + ty
                _input_rows(xr[b], 2 * ty - pad_h, pad_w * c, zero, rows)
            _input_tile(rows, 2 * tx * c, c, v[t])
        for k in range(16):  # M[:, k] = V[:, k] @ U[k]
            _gemm_strided(
                address, n, f, c, vf[k * c :], 16 * c, uf[k * c * f :], f, mf[k * f :], 16 * f
            )
        for t in range(n):  # output transform, bias, ReLU
            g = start + t
            b, r = g // per_image, g % per_image
            if pool:
                _output_tile_max(m[t], bias, relu, out[b, r // tw, r % tw])
            else:
                _output_tile(m[t], bias, relu, out[b], 2 * (r // tw), 2 * (r % tw))


@numba.njit(cache=True, nogil=True)
def _input_rows(xr, y0, q0, zero, rows):
    """rows[:, q0:] = B^T applied along the height to input rows y0..y0+3 of one image (H, W*C),
    zero rows outside it."""
    h = xr.shape[0]
    d0 = xr[y0] if 0 <= y0 < h else zero
    d1 = xr[y0 + 1] if 0 <= y0 + 1 < h else zero
    d2 = xr[y0 + 2] if 0 <= y0 + 2 < h else zero
    d3 = xr[y0 + 3] if 0 <= y0 + 3 < h else zero
    r0, r1, r2, r3 = rows[0, q0:], rows[1, q0:], rows[2, q0:], rows[3, q0:]
    for q in range(min(xr.shape[1], r0.shape[0])):
        r0[q] = d0[q] - d2[q]
        r1[q] = d1[q] + d2[q]
        r2[q] = d2[q] - d1[q]
        r3[q] = d1[q] - d3[q]


@numba.njit(cache=True, nogil=True)
def _input_tile(rows, s, c, vt):
    """vt (16, C) = B^T d B of the tile whose B^T rows start at column s of `rows`."""
    for i in range(4):
        a0, a1 = rows[i, s : s + c], rows[i, s + c : s + 2 * c]
        a2, a3 = rows[i, s + 2 * c : s + 3 * c], rows[i, s + 3 * c : s + 4 * c]
        v0, v1, v2, v3 = vt[4 * i], vt[4 * i + 1], vt[4 * i + 2], vt[4 * i + 3]
        for k in range(c):
            v0[k] = a0[k] - a2[k]
            v1[k] = a1[k] + a2[k]
            v2[k] = a2[k] - a1[k]
            v3[k] = a1[k] - a3[k]


@numba.njit(cache=True, nogil=True)
def _output_tile(mt, bias, relu, out, oy, ox):
    """out[oy:oy+2, ox:ox+2] = relu?(A^T M A + bias) of one tile's mt (16, F), cropped to out
    (OH, OW, F)."""
    oh, ow, f = out.shape
    full = ox + 1 < ow and oy + 1 < oh
    y = np.empty((4, f), out.dtype) if not full else mt[:4]  # partial tiles: a scratch block
    for j in range(f):
        s0 = mt[0, j] + mt[1, j] + mt[2, j]
        s1 = mt[4, j] + mt[5, j] + mt[6, j]
        s2 = mt[8, j] + mt[9, j] + mt[10, j]
        s3 = mt[12, j] + mt[13, j] + mt[14, j]
        e0 = mt[1, j] - mt[2, j] - mt[3, j]
        e1 = mt[5, j] - mt[6, j] - mt[7, j]
        e2 = mt[9, j] - mt[10, j] - mt[11, j]
        e3 = mt[13, j] - mt[14, j] - mt[15, j]
        a = s0 + s1 + s2 + bias[j]
        b = e0 + e1 + e2 + bias[j]
        c = s1 - s2 - s3 + bias[j]
        d = e1 - e2 - e3 + bias[j]
        if relu:
            a, b, c, d = max(a, 0), max(b, 0), max(c, 0), max(d, 0)
        if full:
            out[oy, ox, j] = a
            out[oy, ox + 1, j] = b
            out[oy + 1, ox, j] = c
            out[oy + 1, ox + 1, j] = d
        else:
            y[0, j], y[1, j], y[2, j], y[3, j] = a, b, c, d
    if not full:  # element by element: an array assignment compiles a shape check's message
        for i in range(2):  # (2.7 s of a cold compile)
            for e in range(2):
                if oy + i < oh and ox + e < ow:
                    o, src = out[oy + i, ox + e], y[2 * i + e]
                    for j in range(f):
                        o[j] = src[j]


@numba.njit(cache=True, nogil=True)
def _output_tile_max(mt, bias, relu, out):
    """out (F,) = relu?(max of the 2x2 A^T M A + bias): the tile's 2x2 max pooling, with the
    comparisons of `pool._max_pool_2x2_values` (the max before the bias and ReLU: both are
    monotonic, so the same numbers as pooling relu?(y + bias))."""
    for j in range(out.shape[0]):
        s0 = mt[0, j] + mt[1, j] + mt[2, j]
        s1 = mt[4, j] + mt[5, j] + mt[6, j]
        s2 = mt[8, j] + mt[9, j] + mt[10, j]
        s3 = mt[12, j] + mt[13, j] + mt[14, j]
        e0 = mt[1, j] - mt[2, j] - mt[3, j]
        e1 = mt[5, j] - mt[6, j] - mt[7, j]
        e2 = mt[9, j] - mt[10, j] - mt[11, j]
        e3 = mt[13, j] - mt[14, j] - mt[15, j]
        v = s0 + s1 + s2
        y = e0 + e1 + e2
        v = y if y > v else v
        y = s1 - s2 - s3
        v = y if y > v else v
        y = e1 - e2 - e3
        v = (y if y > v else v) + bias[j]
        out[j] = max(v, 0) if relu else v


def available(dtype):
    """Whether `conv3x3` runs fast for `dtype`: float32 with numpy's BLAS found (`blas.py`)."""
    return np.dtype(dtype) == np.float32 and blas.gemm_address(dtype) != 0


def conv3x3(x, kernel, bias, relu, pad, out_shape, n_threads=1, pool=False):
    """relu?(correlation of x (b, H, W, C) with a (3, 3, C, F) kernel + bias): stride 1, `pad`
    (top, left) zeros, output (b, *out_shape, F); blocks of images on `n_threads` threads.
    `pool=True`: then 2x2 max pooling (stride 2, "valid"), output (b, OH // 2, OW // 2, F)."""
    x = np.ascontiguousarray(x)
    nb, f = x.shape[0], kernel.shape[-1]
    if kernel.shape[:3] != (3, 3, x.shape[-1]) or bias.shape != (f,):
        raise ValueError(
            f"conv3x3: expected a (3, 3, {x.shape[-1]}, F) kernel and an (F,) bias for x of "
            f"shape {x.shape}. Received kernel {kernel.shape}, bias {bias.shape}"
        )
    u = kernel_transform(np.ascontiguousarray(kernel, dtype=x.dtype))
    shape = (out_shape[0] // 2, out_shape[1] // 2) if pool else tuple(out_shape)
    out = np.empty((nb, *shape, f), x.dtype)
    address = blas.gemm_address(x.dtype)
    b = np.ascontiguousarray(bias, dtype=x.dtype)

    def images(b0, b1):
        _conv3x3_images(x, u, b, bool(relu), bool(pool), *pad, out, b0, b1, address)

    threads.run_blocks(images, nb, n_threads)
    return out
