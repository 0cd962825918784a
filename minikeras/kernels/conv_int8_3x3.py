"""The int8 3x3 stride-1 convolution of one-channel images (a grayscale CNN's first layer)
followed by its 2x2 max pooling, in inference: `conv_int8.conv_int8(..., pool=True)`'s direct
loop. The numbers are `conv_int8`'s (Keras's int8 `Dense` on each window, `conv_int8.py`'s
notes) then the pooling, bit for bit.

Through `int8_vnni` this layer cost 1.25 ms and 0.17 ms of pooling (64 x 28x28x1 -> 32
filters, one thread): a window holds 9 values, so the byte rows, the padded product (9 -> 12
terms, 32 -> 64 filters) and the full-size output cost more than the arithmetic. This loop:
0.70 ms (float32's `direct3x3.py`: 0.29 ms; the window scales and rounding are the rest).

Here, per pair of output rows, each window's abs-max scale and its 9 quantized values are
computed as vector loops over the row's positions (`_unit_windows_u8`'s order), kept as float32
integers; then each 2x2 block of output pixels (one pooled pixel) multiplies its four windows
by the kernel for all filters in one loop that LLVM vectorizes over the filters. The products
are exact: every partial sum of at most 9 terms of magnitude <= 127 * 127 is an integer below
2**24, so float32 holds what int32 would. Each of the four sums is divided by `kernel_scale *
window_scale` (Keras's rescale, one float32 division per output, as the Dense), and the
pooling, the bias and the ReLU follow, in `direct3x3.py`'s order (bias and ReLU after the
maximum: both monotonic, the same numbers).
"""

import numba
import numpy as np

from . import int8_gemm, threads
from .direct3x3 import block_sums

_MASK = np.uint32(0x7FFFFFFF)


def conv3x3_pool_ref(x, kernel, kernel_scale, bias, relu, pad, out_shape, epsilon):
    """Reference: `conv_int8.conv_int8_ref` (numpy windows through Keras's int8 Dense steps),
    then the 2x2 max pooling, on x (b, H, W, 1) and an int8 (3, 3, 1, F) kernel."""
    from .conv_int8 import conv_int8_ref

    geometry = ((1, 1, 1), (1, 1, 1), (0, *pad), (1, *out_shape))
    y = conv_int8_ref(x[:, None], kernel[None], kernel_scale, bias, relu, *geometry, epsilon, True)
    return y[:, 0]


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _row_windows(rows, r, width, epsilon, top, s, q):
    """The quantization of output row `r`'s windows: `rows` (4, width + 2) holds the input
    rows under the pooled row, zero-padded; window t's values are rows[r + i, t + j]. Writes
    its scale s[t] and its values q[3 * i + j, t] = clip(round(v * s[t]), -127, 127)."""
    bits = rows.view(np.uint32)
    top[:] = 0
    for i in range(3):
        for j in range(3):
            src = bits[r + i, j : j + width]
            for t in range(width):
                top[t] = max(top[t], src[t] & _MASK)
    amax = top.view(np.float32)  # the maxima themselves (scale_of_max_bits' steps, vectorized)
    for t in range(width):
        s[t] = np.float32(127.0) / (amax[t] + epsilon)
    for i in range(3):
        for j in range(3):
            src = rows[r + i, j : j + width]
            dst = q[3 * i + j]
            for t in range(width):
                dst[t] = int8_gemm.quantized_value(src[t], s[t])


@numba.njit(cache=True, nogil=True, error_model="numpy")  # numpy: no ZeroDivisionError branch
def _images(x, w, ks, bias, relu, pad_h, pad_w, epsilon, out, b0, b1):
    """out[b0:b1] = 2x2 max pooling of relu?(int8 conv3x3(x) + bias); x (b, H, W) float32,
    w (9, F) float32 holding the int8 kernel's values, ks (F,), bias (F,) or empty,
    out (b, PH, PW, F)."""
    _, h, wd = x.shape
    ph, pw = out.shape[1], out.shape[2]
    width = 2 * pw  # the output columns the pooling reads
    span = (width + 15) // 16 * 16  # whole 16-lane vectors: no scalar remainder loops
    rows = np.zeros((4, span + 2), np.float32)  # zeros past the input stay zeros
    s = np.empty((2, span), np.float32)
    top = np.empty(span, np.uint32)
    q = np.empty((2, 9, span), np.float32)
    has_bias = bias.shape[0] > 0
    qb = np.empty(36, np.float32)  # the block's four windows, 9 values each
    sb = np.empty(4, np.float32)
    for b in range(b0, b1):
        for ty in range(ph):
            for i in range(4):  # input rows 2 * ty - pad_h + i, columns from -pad_w
                yy = 2 * ty - pad_h + i
                for c in range(width + 2):
                    xx = c - pad_w
                    inside = 0 <= yy < h and 0 <= xx < wd
                    rows[i, c] = x[b, yy, xx] if inside else np.float32(0.0)
            for r in range(2):
                _row_windows(rows, r, span, epsilon, top, s[r], q[r])
            for tx in range(pw):
                for k in range(4):
                    dy, dx = k // 2, k % 2
                    sb[k] = s[dy, 2 * tx + dx]
                    for p in range(9):
                        qb[9 * k + p] = q[dy, p, 2 * tx + dx]
                _block(qb, sb, w, ks, bias, has_bias, relu, out[b, ty, tx])


@numba.njit(cache=True, nogil=True, inline="always", error_model="numpy")
def _block(qb, sb, w, ks, bias, has_bias, relu, out):
    """out (F,) = relu?(the maximum of the block's four rescaled sums + bias)."""
    s0, s1, s2, s3 = sb[0], sb[1], sb[2], sb[3]
    for j in range(out.shape[0]):
        a, b, c, d = block_sums(qb, 9, 18, 3, w, j)  # window k's 9 values at 9 * k
        k = ks[j]
        v = a / (k * s0)
        v1, v2, v3 = b / (k * s1), c / (k * s2), d / (k * s3)
        v = v1 if v1 > v else v  # the pooling's comparisons: the first wins on ties
        v = v2 if v2 > v else v
        v = v3 if v3 > v else v
        v = v + bias[j] if has_bias else v
        out[j] = max(v, 0) if relu else v


def conv3x3_pool(x, kernel, kernel_scale, bias, relu, pad, out_shape, epsilon, n_threads=1):
    """2x2 max pooling (stride 2, "valid") of relu?(int8 correlation of float32 x (b, H, W, 1)
    with an int8 (3, 3, 1, F) kernel + bias), stride 1, `pad` (top, left) zeros, convolution
    output `out_shape`; `bias` float32 (F,) or empty. Returns (b, OH // 2, OW // 2, F); blocks
    of images on `n_threads` threads."""
    x = np.ascontiguousarray(x)
    nb, f = x.shape[0], kernel.shape[-1]
    if x.shape[-1] != 1 or kernel.shape[:3] != (3, 3, 1) or x.dtype != np.float32:
        raise ValueError(
            "conv_int8_3x3: expected float32 x with one channel and a (3, 3, 1, F) kernel. "
            f"Received x {x.dtype} {x.shape}, kernel {kernel.shape}"
        )
    out = np.empty((nb, out_shape[0] // 2, out_shape[1] // 2, f), np.float32)
    w = np.ascontiguousarray(kernel.reshape(9, f), dtype=np.float32)
    ks = np.ascontiguousarray(kernel_scale, dtype=np.float32).reshape(f)
    b = np.ascontiguousarray(bias, dtype=np.float32).reshape(-1)
    x3 = x.reshape(x.shape[:3])

    def images(b0, b1):
        _images(x3, w, ks, b, bool(relu), pad[0], pad[1], np.float32(epsilon), out, b0, b1)

    threads.run_blocks(images, nb, n_threads)
    return out
