"""int8 convolution: Keras 3.15.1's int8 `Dense` product applied to each window of the input.

A convolution is a product of its im2col rows (one row per output position: the window's
`KD*KH*KW*channels` values) with the kernel reshaped to `(KD*KH*KW*channels, filters)`.
`conv_int8` quantizes every row as Keras's int8 `Dense` quantizes its input rows (abs-max over
the row to [-127, 127], `AbsMaxQuantizer(axis=-1)`), multiplies it exactly in integers by the
int8 kernel, and divides by `kernel_scale * row_scale`; then `+ bias` and ReLU when asked. So
the output at every position equals what an int8 `Dense` with the reshaped kernel gives for that
window (the reference `conv_int8_ref` computes it that way, and the tests hold it to a Keras
`Dense` fixture). Keras 3.15.1 itself quantizes no convolution; see
`layers/convolutional/quantized_conv.py`.

How, a few images at a time (about `conv.CHUNK_BYTES`, in cache), blocks of images on
minikeras's threads as the float convolution's:
- unpadded, undilated windows with AVX-512 VNNI, of at least `SMALL_K` values or of one input
  channel with a unit stride along W: each window is quantized straight from `x` into
  `int8_vnni`'s byte rows (no float rows written; `_windows_u8` window by window, its abs-max
  from per-pixel maxima over the channels, `_unit_windows_u8` a row of windows at a time, so
  that 9-value windows still run vector loops) and multiplied by `int8_vnni`'s micro-kernel
  with the rescale, bias and ReLU in registers (fewer than 64 filters are padded to one full
  panel, whose epilogue stays in registers).
- otherwise `im2col.im2col` rows through `int8_rows` (VNNI, or without it `int8_gemm`: float32
  sgemm on the integer values, exact below 2**24).
- `pool=True` (a Conv2D followed by MaxPooling2D(2) in predict, `models/inference_fusion.py`):
  each chunk's output is pooled while in cache, and the windows of an odd last row and column,
  which the pooling drops, are not computed; a one-channel 3x3 stride-1 convolution runs the
  direct loop of `conv_int8_3x3.py` instead.

One thread, 64 images, with the 2x2 pooling after them (the MNIST cnn's layers), against the
float32 inference path (Winograd / `direct3x3.py`, fused with the pooling): 13x13x32 -> 64
filters 0.87 ms against 1.27 (the window quantization 0.31 ms of 10x10 windows, the VNNI
product of 288 terms ~0.55 ms, near one core's peak of 64 multiply-adds per instruction);
28x28x1 -> 32 filters 0.70 ms against 0.29 (a float product of 9 terms leaves the window
quantization nothing to save); without the pooling 1.02 and 1.2 ms.
"""

import math

import numba
import numpy as np

from . import int8_gemm, int8_vnni, threads
from .conv import CHUNK_BYTES, PARALLEL_MIN, im2col_ref
from .im2col import im2col
from .int8_matmul import int8_dense_ref
from .pool import _max_pool_2x2_values

SMALL_K = 64  # shorter windows are quantized from x only with one channel (`_unit_windows_u8`)


@numba.njit(cache=True, nogil=True)
def _windows_u8(x, b0, nimg, ksize, strides, out_shape, kp, epsilon, a, scales):
    """Keras's per-row int8 quantization of the im2col rows of images `b0 .. b0 + nimg` of
    `x (b, D, H, W, c)` for an unpadded, undilated, ungrouped convolution, read from `x` itself
    (no float rows written): each window's abs-max, then its values as `q + 128` bytes into
    `a` (rows of `kp` bytes, `int8_vnni`'s layout; bytes past the window stay 128) and the
    scales into `scales`. Same values as `im2col` then `int8_vnni.quantize_rows_u8`.

    A window's abs-max is the maximum over its pixels of each pixel's abs-max over the
    channels, computed once per pixel (windows overlap: 9x fewer reads for 3x3), then the
    window's rows of `kw * c` contiguous values are rounded with flat offsets (vector loops;
    slices per row cost more than the row's arithmetic at these sizes)."""
    kd, kh, kw = ksize
    sd, sh, sw = strides
    od, oh, ow = out_shape
    c = x.shape[4]
    span = kw * c
    flat = x.reshape(x.shape[0], x.shape[1], x.shape[2], x.shape[3] * c)  # rows of W * c
    bits = x.view(np.uint32)
    mask = np.uint32(0x7FFFFFFF)
    pixel = np.empty(x.shape[1:4], np.uint32)  # one image's per-pixel abs-max bits
    i = 0
    for bi in range(b0, b0 + nimg):
        for z in range(x.shape[1]):
            for y in range(x.shape[2]):
                for e in range(x.shape[3]):
                    src = bits[bi, z, y, e]  # slices, not offsets: see conv.py notes
                    top = np.uint32(0)
                    for p in range(c):
                        top = max(top, src[p] & mask)
                    pixel[z, y, e] = top
        for z in range(od):
            for y in range(oh):
                for t in range(ow):
                    top = np.uint32(0)
                    for u in range(kd):
                        for v in range(kh):
                            line = pixel[z * sd + u, y * sh + v]
                            for q in range(kw):
                                top = max(top, line[t * sw + q])
                    s = int8_gemm.scale_of_max_bits(top, epsilon)
                    scales[i] = s
                    col = i * kp
                    for u in range(kd):
                        for v in range(kh):
                            start = t * sw * c
                            src = flat[bi, z * sd + u, y * sh + v, start : start + span]
                            dst = a[col : col + span]
                            for p in range(span):
                                dst[p] = int8_vnni.biased_byte(src[p], s)
                            col += span
                    i += 1


def _one_panel(kernel, kernel_scale, bias):
    """The kernel, scales and bias (empty or not) padded with zero filters (scale 1) to one
    full VNNI panel of `int8_vnni.NR` columns."""
    k, n = kernel.shape
    full = int8_vnni.NR
    wide = np.zeros((k, full), np.int8)
    wide[:, :n] = kernel
    ks = np.ones(full, np.float32)
    ks[:n] = kernel_scale
    b = bias
    if bias.shape[0]:
        b = np.zeros(full, np.float32)
        b[:n] = bias
    return wide, ks, b


def int8_rows(rows, kernel, kernel_scale, bias, relu, epsilon):
    """Keras's int8 Dense product of float32 `rows (m, k)` with int8 `kernel (k, n)`, then
    `+ bias` (float32 `(n,)`, or empty for none) and ReLU when `relu`.

    With VNNI, fewer than `int8_vnni.NR` (64) filters are padded with zero columns to one full
    panel: the full tile's epilogue runs in vector registers, a partial one in a scalar loop
    (28x28x1 -> 32 filters, 64 images: 2.5 ms padded against 4.9 ms).

    Returns:
        float32 `(m, n)`.
    """
    n = kernel.shape[1]
    if int8_vnni.available() and rows.shape[1] <= int8_vnni.MAX_K:
        if n >= int8_vnni.NR or rows.shape[0] < 4 * int8_vnni.NR:
            return int8_vnni.int8_dense(rows, kernel, kernel_scale, bias, relu, epsilon)
        wide, ks, b = _one_panel(kernel, kernel_scale, bias)
        return int8_vnni.int8_dense(rows, wide, ks, b, relu, epsilon)[:, :n]
    q, scale = int8_gemm.quantize_rows_f32(np.ascontiguousarray(rows), epsilon)
    acc = int8_gemm.int8_matmul_blas(q, kernel)
    return int8_gemm.rescale_rows(acc, kernel_scale, scale, bias, relu)


def conv_int8(
    x, kernel, kernel_scale, bias, relu, strides, dilation, pad, out_shape, epsilon, pool=False
):
    """int8 correlation of float32 `x (b, D, H, W, c)` with the int8 `kernel (KD, KH, KW, c,
    filters)` quantized as `round(w * kernel_scale)` per filter.

    Args:
        bias: float32 `(filters,)`, or an empty array for none.
        relu: apply ReLU after the bias.
        strides, dilation, pad, out_shape: the geometry, as `conv.conv` (3 ints each).
        epsilon: the input quantizer's epsilon (Keras's default 1e-7).
        pool: 2-D only (`out_shape[0] == 1`): also max-pool 2x2 (stride 2, "valid"), a Conv2D
            followed by MaxPooling2D(2) in inference. Each chunk of images is pooled while in
            cache (the full-size output is never written); a one-channel 3x3 stride-1
            convolution runs `conv_int8_3x3.py`'s direct loop. The same numbers as the
            convolution then the pooling.

    Returns:
        float32 `(b, *out_shape, filters)`, or `(b, 1, OH // 2, OW // 2, filters)` pooled.
    """
    if x.dtype != np.float32 or kernel.dtype != np.int8 or kernel.ndim != 5 or x.ndim != 5:
        raise TypeError(
            f"conv_int8 expects float32 5-D x and an int8 5-D kernel. Received x {x.dtype} "
            f"{x.shape}, kernel {kernel.dtype} {kernel.shape}"
        )
    if x.shape[-1] != kernel.shape[3]:
        raise ValueError(
            f"conv_int8: x has {x.shape[-1]} channels, the kernel {kernel.shape[3]} (groups are "
            "not supported)"
        )
    x = np.ascontiguousarray(x)
    nb, filters = x.shape[0], kernel.shape[-1]
    ksize, out_shape = tuple(kernel.shape[:3]), tuple(out_shape)
    if pool and out_shape[0] != 1:
        raise ValueError(f"conv_int8: pool=True needs a 2-D output. Got {out_shape}")
    parallel = nb * math.prod(out_shape) * math.prod(kernel.shape[:4]) >= PARALLEL_MIN
    if pool and _direct3x3(x, ksize, strides, dilation, pad):
        from . import conv_int8_3x3

        y = conv_int8_3x3.conv3x3_pool(
            x[:, 0], kernel[0], kernel_scale, bias, relu, pad[1:], out_shape[1:], epsilon,
            None if parallel else 1,
        )  # fmt: skip
        return y.reshape(nb, 1, *y.shape[1:])
    if pool:  # the pooling drops an odd last row and column: their windows are not computed
        out_shape = (1, out_shape[1] // 2 * 2, out_shape[2] // 2 * 2)
    w = np.ascontiguousarray(kernel).reshape(-1, filters)
    ks = np.ascontiguousarray(kernel_scale, dtype=np.float32).reshape(filters)
    b = np.ascontiguousarray(bias, dtype=np.float32).reshape(-1)
    rows, width = math.prod(out_shape), w.shape[0]
    if pool:
        out = np.empty((nb, 1, out_shape[1] // 2, out_shape[2] // 2, filters), np.float32)
    else:
        out = np.empty((nb * rows, filters), np.float32)
    unit = x.shape[-1] == 1 and strides[2] == 1  # `_unit_windows_u8`'s case
    direct = (
        (width >= SMALL_K or unit)
        and width <= int8_vnni.MAX_K
        and int8_vnni.available()
        and tuple(pad) == (0, 0, 0)
        and tuple(dilation) == (1, 1, 1)
    )
    if direct:  # windows quantized straight from x into the VNNI byte rows
        images = _direct_images(x, w, ksize, ks, b, relu, strides, out_shape, epsilon, out, pool)
    else:
        images = _im2col_images(
            x, w, ksize, ks, b, relu, strides, dilation, pad, out_shape, epsilon, out, pool
        )
    threads.run_blocks(images, nb, None if parallel else 1)
    return out if pool else out.reshape(nb, *out_shape, filters)


def _direct3x3(x, ksize, strides, dilation, pad):
    """Whether `conv_int8_3x3` takes this pooled convolution: one channel, 2-D 3x3, stride 1,
    undilated, no padding along the unit depth axis."""
    return (
        x.shape[-1] == 1
        and tuple(ksize) == (1, 3, 3)
        and tuple(strides) == (1, 1, 1)
        and tuple(dilation) == (1, 1, 1)
        and pad[0] == 0
    )


def _pool_into(y, n, out_shape, filters, target):
    """2x2 max pooling of a chunk's output rows `y (n * OH * OW, >= filters)` (only the first
    `filters` columns are the output's) into `target (n, 1, OH // 2, OW // 2, filters)`."""
    _, oh, ow = out_shape
    full = y.reshape(n, 1, oh, ow, y.shape[1])
    if y.shape[1] == filters:
        _max_pool_2x2_values(full, target)
    else:  # a panel padded to more columns: pool them all, keep the filters'
        wide = np.empty((n, 1, oh // 2, ow // 2, y.shape[1]), np.float32)
        _max_pool_2x2_values(full, wide)
        target[...] = wide[..., :filters]


@numba.njit(cache=True, nogil=True)
def _unit_windows_u8(x, b0, nimg, ksize, strides, out_shape, kp, epsilon, a, scales):
    """`_windows_u8` for one input channel and a unit stride along W (a first layer on gray
    images), a row of windows at a time: each of a window's values is then a contiguous run
    of the input row over the output positions, so the abs-max and the rounding are vector
    loops over positions (windows of 9 values, row by row, are 9-iteration loops); the bytes
    are transposed into the window rows at the end. Same values and bytes as `_windows_u8`.
    `strides[2]` must be 1 and `x` must have one channel."""
    kd, kh, kw = ksize
    sd, sh = strides[0], strides[1]
    od, oh, ow = out_shape
    k = kd * kh * kw
    flat = x.reshape(x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    bits = flat.view(np.uint32)
    rows = a.reshape(-1, kp)
    top = np.empty(ow, np.uint32)
    s = np.empty(ow, np.float32)
    q = np.empty((k, ow), np.uint8)
    mask = np.uint32(0x7FFFFFFF)
    i = 0
    for bi in range(b0, b0 + nimg):
        for z in range(od):
            for y in range(oh):
                top[:] = 0
                for u in range(kd):
                    for v in range(kh):
                        line = bits[bi, z * sd + u, y * sh + v]
                        for e in range(kw):
                            src = line[e : e + ow]
                            for t in range(ow):
                                top[t] = max(top[t], src[t] & mask)
                for t in range(ow):
                    s[t] = int8_gemm.scale_of_max_bits(top[t], epsilon)
                scales[i : i + ow] = s
                p = 0
                for u in range(kd):
                    for v in range(kh):
                        line = flat[bi, z * sd + u, y * sh + v]
                        for e in range(kw):
                            src = line[e : e + ow]
                            dst = q[p]
                            for t in range(ow):
                                dst[t] = int8_vnni.biased_byte(src[t], s[t])
                            p += 1
                block = rows[i : i + ow]
                for t in range(ow):
                    row = block[t]
                    for p in range(k):
                        row[p] = q[p, t]
                i += ow


def _im2col_images(x, w, ksize, ks, b, relu, strides, dilation, pad, out_shape, epsilon, out, pool):
    """`images(b0, b1)` for `conv_int8`: each chunk's float im2col rows (`im2col.im2col`, in
    cache) through `int8_rows` into `out` (pooled first with `pool`)."""
    rows, width = math.prod(out_shape), w.shape[0]
    per = max(1, CHUNK_BYTES // max(rows * width * 4, 1))

    def images(b0, b1):
        buf = np.empty((min(per, b1 - b0) * rows, width), np.float32)
        for c0 in range(b0, b1, per):
            n = min(per, b1 - c0)
            cols = buf[: n * rows]
            im2col(x, c0, ksize, strides, dilation, pad, out_shape, 1, cols)
            y = int8_rows(cols, w, ks, b, relu, epsilon)
            if pool:
                _pool_into(y, n, out_shape, w.shape[1], out[c0 : c0 + n])
            else:
                out[c0 * rows : (c0 + n) * rows] = y

    return images


def _direct_images(x, w, ksize, ks, b, relu, strides, out_shape, epsilon, out, pool):
    """`images(b0, b1)` for `conv_int8`: each chunk's windows go from `x` to bytes
    (`_windows_u8`), then through `int8_vnni`'s product and epilogue into `out` (through a
    cached buffer and the pooling with `pool`)."""
    k, filters = w.shape
    rows = math.prod(out_shape)
    kp = (k + 3) // 4 * 4
    per = max(1, CHUNK_BYTES // max(rows * kp, 1))
    mr, full = int8_vnni.MR, int8_vnni.NR
    empty_int = np.zeros((0, 0), np.int32)
    quantize = _windows_u8 if k >= SMALL_K else _unit_windows_u8
    narrow = filters < full  # padded to one full panel: the epilogue then runs in registers
    if narrow:
        w, ks, b = _one_panel(w, ks, b)

    def images(b0, b1):
        n0 = min(per, b1 - b0) * rows
        a = np.full(((n0 + mr - 1) // mr * mr) * kp, 128, np.uint8)
        scales = np.empty(n0, np.float32)
        res = np.empty((n0, full if narrow else filters), np.float32) if narrow or pool else None
        for c0 in range(b0, b1, per):
            n = min(per, b1 - c0)
            m = n * rows
            quantize(x, c0, n, ksize, strides, out_shape, kp, epsilon, a, scales)
            target = res[:m] if res is not None else out[c0 * rows : c0 * rows + m]
            int8_vnni._run(a, m, k, w, ks, scales[:m], b, relu, target, empty_int)
            if pool:
                _pool_into(target, n, out_shape, filters, out[c0 : c0 + n])
            elif narrow:
                out[c0 * rows : c0 * rows + m] = target[:, :filters]

    return images


def conv_int8_ref(
    x, kernel, kernel_scale, bias, relu, strides, dilation, pad, out_shape, epsilon, pool=False
):
    """Reference for `conv_int8`: numpy's im2col rows through `int8_matmul.int8_dense_ref`, in
    `x`'s float dtype (the op uses it for float16, bfloat16 and float64 inputs), then numpy's
    2x2 max pooling with `pool`."""
    filters = kernel.shape[-1]
    cols = im2col_ref(x, tuple(kernel.shape[:3]), strides, dilation, pad, tuple(out_shape), 1)
    w = kernel.reshape(-1, filters)
    out = int8_dense_ref(cols, w, np.asarray(kernel_scale, np.float32).reshape(filters), epsilon)
    out = out.astype(x.dtype, copy=False)
    if np.size(bias):
        out = out + np.asarray(bias, x.dtype)
    if relu:
        out = np.maximum(out, np.zeros((), x.dtype))
    out = out.reshape(x.shape[0], *tuple(out_shape), filters)
    if pool:
        b, _, h, w = out.shape[:4]
        out = out[:, :, : h // 2 * 2, : w // 2 * 2].reshape(b, 1, h // 2, 2, w // 2, 2, filters)
        out = out.max(axis=(3, 5))
    return out
