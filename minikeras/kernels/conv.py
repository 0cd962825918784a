"""Convolution kernels on channels-last 3-D volumes: im2col/col2im in numba, the GEMM in BLAS.

Every convolution here runs on the canonical layout `x: (batch, D, H, W, channels)` with kernel
`(KD, KH, KW, channels // groups, filters)`; the ops give 1-D and 2-D inputs unit spatial axes.
Padding is never materialised: `pad` is the zero padding before each spatial axis, and
`out_shape` (from the op's padding rule) fixes how far the windows reach; reads outside the
input are zeros and writes outside it are dropped.

Choice, measured on 1 thread (`benchmarks/kernels.py` has the end-to-end numbers): numba builds
im2col rows `(OD*OH*OW per image, groups * KD*KH*KW*cg)` and numpy's `matmul` (OpenBLAS) does the
GEMM. A direct numba loop (vectorised over the filters) took 2.4x as long on the 3x3x32x64
layer and 1.3x on the 1-channel 3x3x1x32 layer; measured again for the small-K layers of the
video QA and MNIST models (64 images; K = KH*KW*C = 27 and 9), direct loops over output pixels
and filters lost to the old im2col + BLAS on 32x32x3 -> 16 (forward 3.7 ms against 3.3, kernel
gradient 3.7 against 3.5) and beat it on 28x28x1 -> 32 (forward 1.3 against 2.0), but not the
faster im2col below (0.9): numba cannot hold a runtime-length filter block in registers, so
every multiply-add loads and stores the output. The GEMMs run at ~70 % of
the core's peak, so the work went into everything around them:

- im2col/col2im copy whole window rows (kw taps x channels are contiguous in x when groups == 1
  and the W dilation is 1) through row views indexed by loop counters. Computed flat indices
  cost numba a wraparound test per element and block vectorisation; the old per-tap loop ran at
  ~1.5 ns per element. Full-batch im2col, 64 images: 32x32x3 2.3 -> 0.9 ms, 15x15x16 1.7 -> 0.5,
  28x28x1 1.3 -> 0.3, 13x13x32 2.1 -> 0.65; col2im 13x13x32 3.1 -> 0.8 ms. Window rows of fewer
  than 8 values (1-channel input: 3) are copied strided along the output row instead (fewer,
  longer loops); from 8 on, contiguous copies measured faster (32x32x3, rows of 9: 0.88 -> 0.78).
  Direct-convolution attempts with compile-time filter counts (closure constants) and with a
  4-pixel x 8-filter block of scalar accumulators ran 3-10x slower than im2col + BLAS: numba
  did not turn them into broadcast-FMA vector code.
- `conv(keep_cols=True)` (the op asks for it when the kernel needs a gradient) builds the whole
  batch's rows once, up to `KEEP_BYTES`, and `conv_grad_kernel(cols=...)` reuses them: forward +
  kernel gradient 3.7 -> 2.9 ms (32x32x3 -> 16), 3.5 -> 3.2 (15x15x16 -> 32), 2.2 -> 1.7
  (28x28x1 -> 32), 8.2 -> 7.6 (13x13x32 -> 64). Larger matrices are built a few images at a
  time into one buffer of about `CHUNK_BYTES` that stays in cache and is reused, and rebuilt in
  the backward pass. Once the narrow GEMMs ran in small blocks (`_matmul_rows`), keeping rows
  wider than `KEEP_MAX_WIDTH` (32) lost inside the models, though it still won on a layer timed
  alone: the kept matrix pushes the rest of the step out of cache. In-process A/B, ms per step
  on 1 thread (keep all -> keep rows of <= 32 values): video QA 13.4 -> 12.0, MNIST CNN 20.4 ->
  18.3; keeping none: 12.5 and 18.6. (A fresh 9 MB array per call once cost ~7 ms of page faults
  per step; the allocator setting in `kernels/runtime.py` now keeps freed blocks up to 32 MB in the
  heap.)

Backward: dkernel = rows^T @ dout, dinput = col2im(dout @ kernel^T).

Inference (`conv(epilogue=...)`, nothing recorded): 3x3 stride-1 layers of WINOGRAD_MIN_CHANNELS+
input channels run Winograd F(2x2, 3x3) (`winograd.py`); with `pool=True` (a MaxPooling2D(2)
after the layer) the output is pooled block by block, by Winograd's tiles, by the one-channel
direct loop (`direct3x3.py`) or from each chunk's GEMM output, so the full-size output is never
written.

Threads: with more than one kernel thread, `conv`, `conv_grad_input` and the chunked
`conv_grad_kernel` hand blocks of images to `threads.run_blocks` (each block: im2col and its
GEMM on one thread, BLAS single-threaded). On two threads, 64 images, (ms, one thread -> two):
forward 1.66 -> 0.93 (32x32x3 -> 16) and 1.63 -> 0.93 (15x15x16 -> 32); input gradient 1.81 ->
1.02 (15x15x16 -> 32). The kernel gradient from kept rows stays one single-threaded GEMM: split
over its long inner axis it took longer on two threads than on one (1.07-1.6 ms against 0.92
for 32x32x3 -> 16), as did a numba loop. `parallel=True` loops were tried first: about 20 %
faster on two threads and three times the compile time.
"""

import math

import numpy as np

from . import threads
from .im2col import col2im, im2col  # noqa: F401 (the convolutions' row copies)
from .bias_act import _bias_act_rows, bias_act_ref
from .pool import _max_pool_2x2_values

CHUNK_BYTES = 1 << 20  # im2col buffer per GEMM: about one L2 cache
KEEP_BYTES = 30 << 20  # largest im2col matrix kept whole: under glibc's 32 MB mmap threshold
# widest im2col rows kept whole: wider layers rebuild their rows in cache-sized chunks for the
# kernel gradient (measured faster in the models, see the module notes)
KEEP_MAX_WIDTH = 32
PARALLEL_MIN = 1 << 16  # im2col values below which a convolution stays on one thread
# OpenBLAS multiplies a product of at most 1e6 multiply-adds with its "small matrix" kernels,
# which beat its general path on the narrow GEMMs of small-channel layers; such GEMMs run in row
# blocks of that size (see `_matmul_rows`)
SMALL_GEMM_MACS = 10**6
SMALL_GEMM_MIN_ROWS = 512  # narrower blocks than this measured slower than one whole product
# inference 3x3 convolutions with at least this many input channels run Winograd F(2x2, 3x3)
# (`winograd.py`), and from WINOGRAD_MIN_CHANNELS_POOLED when a 2x2 max pooling follows; one
# thread, 64 images, ms im2col -> Winograd: 13x13x32 -> 64 3.8 -> 2.4 (pooled 3.8 -> 1.6),
# 15x15x16 -> 32 2.0 -> 1.4 (pooled 1.8 -> 0.9), 15x15x8 -> 32 0.87 -> 1.0 (pooled 0.89 -> 0.63)
WINOGRAD_MIN_CHANNELS = 16
WINOGRAD_MIN_CHANNELS_POOLED = 8


# -- references --------------------------------------------------------------------------------


def _reach(ksize, strides, dilation, out_shape):
    """Padded input length each spatial axis needs: (out - 1) * s + (k - 1) * d + 1."""
    axes = zip(out_shape, ksize, strides, dilation)
    return [(o - 1) * s + (k - 1) * d + 1 for o, k, s, d in axes]


def _padded_copy(x, ksize, strides, dilation, pad, out_shape):
    """x with `pad` zeros before and enough zeros after each spatial axis for every window."""
    reach = _reach(ksize, strides, dilation, out_shape)
    after = [max(r - p - n, 0) for p, r, n in zip(pad, reach, x.shape[1:4])]
    return np.pad(x, [(0, 0)] + list(zip(pad, after)) + [(0, 0)])


def _taps(xp, ksize, strides, dilation, out_shape):
    """Yields ((kd, kh, kw), strided view of the padded input that this kernel tap sees)."""
    (od, oh, ow), (sd, sh, sw), (dd, dh, dw) = out_shape, strides, dilation
    for i in range(ksize[0]):
        for j in range(ksize[1]):
            for l in range(ksize[2]):
                view = xp[
                    :,
                    i * dd : i * dd + (od - 1) * sd + 1 : sd,
                    j * dh : j * dh + (oh - 1) * sh + 1 : sh,
                    l * dw : l * dw + (ow - 1) * sw + 1 : sw,
                ]
                yield (i, j, l), view


def im2col_ref(x, ksize, strides, dilation, pad, out_shape, groups):
    """Reference for `im2col`: stacks the per-tap views of a zero-padded copy."""
    b, c = x.shape[0], x.shape[-1]
    xp = _padded_copy(x, ksize, strides, dilation, pad, out_shape)
    taps = [v for _, v in _taps(xp, ksize, strides, dilation, out_shape)]
    m, k = b * math.prod(out_shape), len(taps)
    cols = np.stack(taps, axis=-2).reshape(m, k, groups, c // groups).transpose(0, 2, 1, 3)
    return np.ascontiguousarray(cols).reshape(m, groups * k * (c // groups))


def col2im_ref(cols, in_shape, ksize, strides, dilation, pad, out_shape, groups):
    """Reference for `col2im`: adds each tap's columns into a zero-padded buffer, then crops."""
    b, c = in_shape[0], in_shape[-1]
    xp = _padded_copy(np.zeros(in_shape, cols.dtype), ksize, strides, dilation, pad, out_shape)
    k = math.prod(ksize)
    cols = cols.reshape(b, *out_shape, groups, k, c // groups)
    for n, (_, view) in enumerate(_taps(xp, ksize, strides, dilation, out_shape)):
        view += cols[:, :, :, :, :, n, :].reshape(view.shape)
    p = pad
    return xp[:, p[0] : p[0] + in_shape[1], p[1] : p[1] + in_shape[2], p[2] : p[2] + in_shape[3]]


# -- convolution = im2col + GEMM, a few images at a time ---------------------------------------


def _check(x, kernel, groups):
    if x.ndim != 5 or kernel.ndim != 5:
        raise ValueError(f"conv kernels need 5-D x and kernel. Received {x.shape}, {kernel.shape}")
    if x.shape[-1] != kernel.shape[3] * groups or kernel.shape[4] % groups:
        raise ValueError(
            f"conv kernels: x channels {x.shape[-1]} != groups {groups} * kernel in-channels "
            f"{kernel.shape[3]}, or filters {kernel.shape[4]} not divisible by groups."
        )
    if x.dtype != kernel.dtype or x.dtype.kind != "f":
        raise TypeError(f"conv kernels need one float dtype. Received {x.dtype}, {kernel.dtype}")


def _pointwise(ksize, strides, pad, out_shape, in_spatial, groups):
    """A 1x1 convolution without stride or padding is one GEMM on x itself: no im2col."""
    unit = ksize == (1, 1, 1) and strides == (1, 1, 1) and pad == (0, 0, 0)
    return unit and tuple(out_shape) == tuple(in_spatial) and groups == 1


def _plain3x3(x, ksize, strides, dilation, pad, groups):
    """A 2-D float32 3x3 convolution of stride and dilation 1 without groups."""
    plain = strides == (1, 1, 1) and dilation == (1, 1, 1) and groups == 1
    flat = x.shape[1] == 1 and pad[0] == 0 and x.dtype == np.float32
    return plain and flat and tuple(ksize) == (1, 3, 3)


def _winograd(x, ksize, strides, dilation, pad, groups, pool=False):
    """Whether an inference convolution runs `winograd.conv3x3`: 2-D, 3x3, stride and dilation
    1, no groups, float32, at least WINOGRAD_MIN_CHANNELS input channels (or _POOLED)."""
    least = WINOGRAD_MIN_CHANNELS_POOLED if pool else WINOGRAD_MIN_CHANNELS
    if not (_plain3x3(x, ksize, strides, dilation, pad, groups) and x.shape[-1] >= least):
        return False
    from . import winograd

    return winograd.available(x.dtype)


def _chunks(nb, out_shape, width, itemsize):
    """(images per chunk, rows per image): chunks of about CHUNK_BYTES of im2col rows."""
    rows = math.prod(out_shape)
    return max(1, CHUNK_BYTES // max(rows * width * itemsize, 1)), rows


def _by_group(a, groups):
    """(m, g*k) -> (g, m, k) view."""
    m = a.shape[0]
    return a.reshape(m, groups, a.shape[1] // groups).transpose(1, 0, 2)


def _block_rows(k, n):
    """Rows per GEMM call for (m, k) @ (k, n) products small enough for OpenBLAS's small-matrix
    kernels, or 0 to make one call."""
    rows = SMALL_GEMM_MACS // max(k * n, 1)
    return rows if rows >= SMALL_GEMM_MIN_ROWS else 0


def _matmul_rows(a, b, out):
    """out = a @ b for 2-D arrays, in row blocks when the product is narrow.

    One thread, ms for 64 images (whole product -> blocks): 32x32x3 -> 16 rows @ (27, 16) 0.71
    -> 0.49, 28x28x1 -> 32 rows @ (9, 32) 0.41 -> 0.29; (144, 32) and wider: one call.
    """
    step = _block_rows(*b.shape)
    if not step or a.shape[0] <= step:
        return np.matmul(a, b, out=out)
    for i in range(0, a.shape[0], step):
        np.matmul(a[i : i + step], b, out=out[i : i + step])
    return out


def _tmatmul_rows(a, d):
    """a.T @ d for 2-D arrays with many rows, summed over row blocks when the product is narrow.

    One thread, ms for 64 images (whole product -> blocks): kernel gradient 32x32x3 -> 16 0.86
    -> 0.57, 28x28x1 -> 32 0.57 -> 0.30.

    `np.dot`, not `np.matmul`: numpy's matmul keeps the GIL when its output has fewer than about
    500 values (27 x 16 here), so two threads running these products took turns (measured 1.9-2.3x
    the one-thread time per call on two threads, against 1.0-1.1x for `np.dot`).
    """
    step = _block_rows(a.shape[1], d.shape[1])
    if not step or a.shape[0] <= step:
        return np.dot(a.T, d)
    acc = np.dot(a[:step].T, d[:step])
    for i in range(step, a.shape[0], step):
        acc += np.dot(a[i : i + step].T, d[i : i + step])
    return acc


def _gemm(a, b, groups, out):
    """out (m, g*n) = a (m, g*k) @ b (k, g*n), block-diagonal over groups."""
    if groups == 1:
        return _matmul_rows(a, b, out)
    res = np.matmul(_by_group(a, groups), _by_group(b, groups))  # (g, m, n)
    _by_group(out, groups)[...] = res
    return out


def _threads_for(values):
    """Threads for a convolution that moves `values` im2col values: one below PARALLEL_MIN."""
    return 1 if values < PARALLEL_MIN else threads.num_threads()


def conv(
    x, kernel, strides, dilation, pad, out_shape, groups=1, keep_cols=False, epilogue=None,
    pool=False,
):  # fmt: skip
    """Grouped, strided, dilated correlation: (b, D, H, W, c) -> (b, *out_shape, filters).

    `epilogue=(bias, relu)` adds `bias` (filters,), then ReLU when `relu` (`bias_act`), to each
    block of output rows right after its GEMM while it is in cache (a conv layer's inference).
    With it, `pool=True` (2-D: out_shape[0] == 1) also max-pools each block 2x2 (stride 2,
    "valid"), a Conv2D followed by MaxPooling2D(2) in inference: the output is then (b, 1,
    OH // 2, OW // 2, filters), the full-size output is never written, and the bias and ReLU
    run on the pooled values (both monotonic: the same numbers).

    With `keep_cols=True` returns `(out, cols)`: `cols` is the whole batch's im2col matrix, built
    in one piece when it fits in `KEEP_BYTES`, for `conv_grad_kernel(..., cols=cols)` to reuse
    instead of rebuilding it; None otherwise (pointwise, too large, or more than one kernel
    thread: then each thread rebuilds its images' rows in cache-sized chunks for the kernel
    gradient, 0.7-0.9 ms faster per video QA step than one thread's GEMM over kept rows).
    """
    _check(x, kernel, groups)
    x = np.ascontiguousarray(x)
    nb, filters = x.shape[0], kernel.shape[-1]
    ksize, w = kernel.shape[:3], np.ascontiguousarray(kernel).reshape(-1, filters)
    out_shape = tuple(out_shape)
    if pool and (epilogue is None or keep_cols or out_shape[0] != 1):
        raise ValueError(f"conv: pool=True needs an epilogue and a 2-D output. Got {out_shape}")
    if _pointwise(ksize, strides, pad, out_shape, x.shape[1:4], groups):
        out = threads.matmul(x.reshape(-1, x.shape[-1]), w)
        if epilogue is not None:
            _bias_act_rows(out, *epilogue, out)
        out = out.reshape(nb, *out_shape, filters)
        out = _pool2(out) if pool else out
        return (out, None) if keep_cols else out
    if epilogue is not None and _winograd(x, ksize, strides, dilation, pad, groups, pool):
        from . import winograd

        n_threads = _threads_for(x.size * 9)
        y = winograd.conv3x3(x[:, 0], kernel[0], *epilogue, pad[1:], out_shape[1:], n_threads, pool)
        return y.reshape(nb, 1, *y.shape[1:])
    if pool and x.shape[-1] == 1 and _plain3x3(x, ksize, strides, dilation, pad, groups):
        from . import direct3x3  # one channel: a direct loop (`direct3x3.py`)

        n_threads = _threads_for(x.size * 9)
        y = direct3x3.conv3x3_pool(x[:, 0], kernel[0], *epilogue, pad[1:], out_shape[1:], n_threads)
        return y.reshape(nb, 1, *y.shape[1:])
    if pool:
        return _conv_pooled(x, w, ksize, strides, dilation, pad, out_shape, groups, epilogue)
    width = groups * w.shape[0]
    per, rows = _chunks(nb, out_shape, width, x.itemsize)
    out = np.empty((nb * rows, filters), dtype=x.dtype)
    whole = None
    if (
        keep_cols
        and width <= KEEP_MAX_WIDTH
        and nb * rows * width * x.itemsize <= KEEP_BYTES
        and threads.num_threads() == 1
    ):
        whole = np.empty((nb * rows, width), dtype=x.dtype)

    def images(b0, b1):  # images [b0, b1): im2col then GEMM, in chunks unless kept whole
        step = b1 - b0 if whole is not None else per
        buf = None if whole is not None else np.empty((min(per, b1 - b0) * rows, width), x.dtype)
        res = None if epilogue is None else np.empty((min(step, b1 - b0) * rows, filters), x.dtype)
        for c0 in range(b0, b1, step):
            n = min(step, b1 - c0)
            cols = whole[c0 * rows : (c0 + n) * rows] if whole is not None else buf[: n * rows]
            im2col(x, c0, ksize, strides, dilation, pad, out_shape, groups, cols)
            block = out[c0 * rows : (c0 + n) * rows]
            if epilogue is None:
                _gemm(cols, w, groups, block)
            else:  # the GEMM into a cached buffer, then bias and ReLU from it into the output
                _bias_act_rows(_gemm(cols, w, groups, res[: n * rows]), *epilogue, block)

    threads.run_blocks(images, nb, _threads_for(nb * rows * width))
    out = out.reshape(nb, *out_shape, filters)
    return (out, whole) if keep_cols else out


def _pool2(y):
    """2x2 max pooling (stride 2, "valid") of (b, 1, OH, OW, F)."""
    out = np.empty((y.shape[0], 1, y.shape[2] // 2, y.shape[3] // 2, y.shape[4]), y.dtype)
    _max_pool_2x2_values(y, out)
    return out


def _conv_pooled(x, w, ksize, strides, dilation, pad, out_shape, groups, epilogue):
    """`conv(..., epilogue, pool=True)` by im2col + GEMM: each chunk of images' GEMM output (in
    cache) is max-pooled 2x2 into the output, then the bias and ReLU run on the pooled rows.
    Chunks hold about CHUNK_BYTES of im2col rows and GEMM output together."""
    nb, filters, (_, oh, ow) = x.shape[0], w.shape[1], out_shape
    width = groups * w.shape[0]
    rows = oh * ow
    per = max(1, CHUNK_BYTES // (rows * (width + filters) * x.itemsize))
    out = np.empty((nb, 1, oh // 2, ow // 2, filters), x.dtype)

    def images(b0, b1):
        buf = np.empty((min(per, b1 - b0) * rows, width), x.dtype)
        res = np.empty((min(per, b1 - b0) * rows, filters), x.dtype)
        for c0 in range(b0, b1, per):
            n = min(per, b1 - c0)
            cols = buf[: n * rows]
            im2col(x, c0, ksize, strides, dilation, pad, out_shape, groups, cols)
            y = _gemm(cols, w, groups, res[: n * rows]).reshape(n, 1, oh, ow, filters)
            block = out[c0 : c0 + n]
            _max_pool_2x2_values(y, block)
            flat = block.reshape(-1, filters)
            _bias_act_rows(flat, *epilogue, flat)

    threads.run_blocks(images, nb, _threads_for(nb * rows * width))
    return out


def conv_grad_kernel(x, dout, kernel_shape, strides, dilation, pad, groups=1, cols=None):
    """d(loss)/d(kernel) = sum over images of im2col(x)^T @ dout; dout (b, OD, OH, OW, filters).

    `cols`: the whole im2col matrix of x that `conv(..., keep_cols=True)` returned, or None to
    rebuild it in chunks.
    """
    nb, out_shape, filters = x.shape[0], tuple(dout.shape[1:4]), dout.shape[-1]
    if dout.ndim != 5 or dout.shape[0] != nb or x.shape[-1] != groups * kernel_shape[3]:
        raise ValueError(f"conv_grad_kernel: x {x.shape}, dout {dout.shape}, kernel {kernel_shape}")
    x, d = np.ascontiguousarray(x), np.ascontiguousarray(dout).reshape(-1, filters)
    ksize = tuple(kernel_shape[:3])
    if _pointwise(ksize, strides, pad, out_shape, x.shape[1:4], groups):
        return threads.matmul(x.reshape(-1, x.shape[-1]).T, d).reshape(kernel_shape)
    k = math.prod(kernel_shape[:4])
    if cols is not None and cols.shape != (d.shape[0], groups * k):
        raise ValueError(
            f"conv_grad_kernel: cols {cols.shape} is not the im2col matrix "
            f"({d.shape[0]}, {groups * k}) of x {x.shape} for kernel {kernel_shape}"
        )
    if cols is not None and groups == 1:
        # one (k, rows) @ (rows, filters) GEMM: splitting its long inner axis over two threads
        # measured slower than one thread (see the module notes)
        return _tmatmul_rows(cols, d).reshape(kernel_shape)
    per, rows = _chunks(nb, out_shape, groups * k, x.itemsize)

    def images(b0, b1):  # this block's share of the sum: (groups, k, filters // groups)
        step = b1 - b0 if cols is not None else per
        width = groups * k
        buf = None if cols is not None else np.empty((min(per, b1 - b0) * rows, width), x.dtype)
        dk = np.zeros((groups, k, filters // groups), dtype=x.dtype)
        for c0 in range(b0, b1, step):
            n = min(step, b1 - c0)
            if cols is not None:
                part = cols[c0 * rows : (c0 + n) * rows]
            else:
                part = buf[: n * rows]
                im2col(x, c0, ksize, strides, dilation, pad, out_shape, groups, part)
            d_rows = d[c0 * rows : (c0 + n) * rows]
            if groups == 1:  # a 2-D product: numpy hands the transposed view to BLAS as is
                dk[0] += _tmatmul_rows(part, d_rows)
            else:
                part_t = _by_group(part, groups).transpose(0, 2, 1)  # (groups, k, rows)
                dk += np.matmul(part_t, _by_group(d_rows, groups))
        return dk

    parts = threads.run_blocks(images, nb, _threads_for(nb * rows * groups * k), per_thread=1)
    return sum(parts[1:], parts[0]).transpose(1, 0, 2).reshape(kernel_shape)


def conv_grad_input(dout, kernel, in_shape, strides, dilation, pad, groups=1):
    """d(loss)/d(x) = col2im(dout @ kernel^T); dout (b, OD, OH, OW, filters)."""
    filters, out_shape, in_shape = kernel.shape[-1], dout.shape[1:4], tuple(in_shape)
    if dout.ndim != 5 or dout.shape[-1] != filters or dout.shape[0] != in_shape[0]:
        raise ValueError(f"conv_grad_input: dout {dout.shape} does not fit kernel {kernel.shape}")
    if dout.size == 0 or np.prod(in_shape) == 0:  # nothing flows back (or nowhere to go)
        return np.zeros(in_shape, dtype=dout.dtype)
    d = np.ascontiguousarray(dout).reshape(-1, filters)
    w = np.ascontiguousarray(kernel).reshape(-1, filters)  # (KD*KH*KW*cg, filters)
    ksize = kernel.shape[:3]
    if _pointwise(ksize, strides, pad, out_shape, in_shape[1:4], groups):
        return threads.matmul(d, w.T).reshape(in_shape)
    nb, width = in_shape[0], groups * w.shape[0]
    per, rows = _chunks(nb, out_shape, width, dout.itemsize)
    dx = np.zeros(in_shape, dtype=dout.dtype)
    wt = _by_group(w, groups).transpose(0, 2, 1)  # (g, n, k)

    def images(b0, b1):  # GEMM then col2im into images [b0, b1) of dx
        buf = np.empty((min(per, b1 - b0) * rows, width), dtype=dout.dtype)
        for c0 in range(b0, b1, per):
            n = min(per, b1 - c0)
            dcols, d_rows = buf[: n * rows], d[c0 * rows : (c0 + n) * rows]
            if groups == 1:
                np.matmul(d_rows, w.T, out=dcols)
            else:
                _by_group(dcols, groups)[...] = np.matmul(_by_group(d_rows, groups), wt)
            col2im(dcols, c0, ksize, strides, dilation, pad, out_shape, groups, dx)

    threads.run_blocks(images, nb, _threads_for(nb * rows * width))
    return dx


def conv_grads(x, dout, kernel, strides, dilation, pad, groups=1, cols=None):
    """(dx, dkernel) of a convolution: `conv_grad_input` and `conv_grad_kernel` in one pass.

    Without kept rows (`cols` None) and with groups == 1, each chunk of images is im2col'ed once
    into a buffer that first gives its share of dkernel and is then overwritten by `dout @
    kernel^T` for col2im: one pass over dout and one parallel region instead of two (measured
    1-5 % faster on the video QA and MNIST models' second layers, one and two threads). Otherwise
    it calls the two functions.
    """
    nb, out_shape, filters = x.shape[0], tuple(dout.shape[1:4]), kernel.shape[-1]
    ksize = tuple(kernel.shape[:3])
    if (
        cols is not None
        or groups != 1
        or _pointwise(ksize, strides, pad, out_shape, x.shape[1:4], groups)
    ):
        dx = conv_grad_input(dout, kernel, x.shape, strides, dilation, pad, groups)
        return dx, conv_grad_kernel(x, dout, kernel.shape, strides, dilation, pad, groups, cols)
    if dout.ndim != 5 or dout.shape[0] != nb or dout.shape[-1] != filters:
        raise ValueError(
            f"conv_grads: dout should be 5-D with {nb} images and {filters} filters (x {x.shape}, "
            f"kernel {kernel.shape}). Received dout of shape {dout.shape}."
        )
    x, d = np.ascontiguousarray(x), np.ascontiguousarray(dout).reshape(-1, filters)
    w = np.ascontiguousarray(kernel).reshape(-1, filters)  # (KD*KH*KW*c, filters)
    width = w.shape[0]
    per, rows = _chunks(nb, out_shape, width, x.itemsize)
    dx = np.zeros(x.shape, dtype=d.dtype)

    def images(b0, b1):  # this block's dkernel share; dx of images [b0, b1)
        buf = np.empty((min(per, b1 - b0) * rows, width), x.dtype)
        dk = np.zeros((width, filters), dtype=x.dtype)
        for c0 in range(b0, b1, per):
            n = min(per, b1 - c0)
            part, d_rows = buf[: n * rows], d[c0 * rows : (c0 + n) * rows]
            im2col(x, c0, ksize, strides, dilation, pad, out_shape, 1, part)
            dk += _tmatmul_rows(part, d_rows)
            np.matmul(d_rows, w.T, out=part)  # the same buffer, now dout @ kernel^T
            col2im(part, c0, ksize, strides, dilation, pad, out_shape, 1, dx)
        return dk

    parts = threads.run_blocks(images, nb, _threads_for(nb * rows * width), per_thread=1)
    return dx, sum(parts[1:], parts[0]).reshape(kernel.shape)


def conv_ref(x, kernel, strides, dilation, pad, out_shape, groups=1, epilogue=None):
    """Reference for `conv` (output only): one einsum per kernel tap over a zero-padded copy,
    then `bias_act_ref` of the `epilogue`."""
    b = x.shape[0]
    xp = _padded_copy(x, kernel.shape[:3], strides, dilation, pad, out_shape)
    cg, f = kernel.shape[3], kernel.shape[4]
    out = np.zeros((b, *out_shape, groups, f // groups), dtype=x.dtype)
    for tap, view in _taps(xp, kernel.shape[:3], strides, dilation, out_shape):
        v = view.reshape(*view.shape[:4], groups, cg)
        out += np.einsum("bzytgc,cgo->bzytgo", v, kernel[tap].reshape(cg, groups, f // groups))
    out = out.reshape(b, *out_shape, f)
    return out if epilogue is None else bias_act_ref(out, *epilogue)


def conv_grad_kernel_ref(x, dout, kernel_shape, strides, dilation, pad, groups=1):
    """Reference for `conv_grad_kernel`, from x rather than cols: per-tap einsums."""
    out_shape = dout.shape[1:4]
    xp = _padded_copy(x, kernel_shape[:3], strides, dilation, pad, out_shape)
    cg, f = kernel_shape[3], kernel_shape[4]
    dk = np.zeros(kernel_shape, dtype=x.dtype)
    d = dout.reshape(*dout.shape[:4], groups, f // groups)
    for tap, view in _taps(xp, kernel_shape[:3], strides, dilation, out_shape):
        v = view.reshape(*view.shape[:4], groups, cg)
        dk[tap] = np.einsum("bzytgc,bzytgo->cgo", v, d).reshape(cg, f)
    return dk


def conv_grad_input_ref(dout, kernel, in_shape, strides, dilation, pad, groups=1):
    """Reference for `conv_grad_input`: per-tap einsums added into a padded buffer, then cropped."""
    out_shape = dout.shape[1:4]
    xp = _padded_copy(
        np.zeros(in_shape, dout.dtype), kernel.shape[:3], strides, dilation, pad, out_shape
    )
    cg, f = kernel.shape[3], kernel.shape[4]
    d = dout.reshape(*dout.shape[:4], groups, f // groups)
    for tap, view in _taps(xp, kernel.shape[:3], strides, dilation, out_shape):
        w = kernel[tap].reshape(cg, groups, f // groups)
        view += np.einsum("bzytgo,cgo->bzytgc", d, w).reshape(view.shape)
    p = pad
    return xp[:, p[0] : p[0] + in_shape[1], p[1] : p[1] + in_shape[2], p[2] : p[2] + in_shape[3]]
