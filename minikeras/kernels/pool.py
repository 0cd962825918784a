"""Max and average pooling kernels on channels-last 3-D volumes `(batch, D, H, W, channels)`.

The ops pass 1-D and 2-D inputs with unit spatial axes (window 1, stride 1 there). Padding is
implicit: `pad` is the padding before each axis and windows never read outside the input, so
padded cells are ignored (max pooling's -inf padding; average pooling divides by the number of
real cells, as Keras does for `padding="same"`). Every window holds at least one real cell for
Keras's "valid" and "same" rules; a window without one gives 0 and no gradient.
"""

import numba
import numpy as np

from . import threads


def _windows(in_shape, ksize, strides, pad, out_shape):
    """Yields (out_index, [(start, stop) per axis]) clipped to the input, for the references."""
    for z in range(out_shape[0]):
        for y in range(out_shape[1]):
            for t in range(out_shape[2]):
                bounds = []
                for o, n, k, s, p in zip((z, y, t), in_shape, ksize, strides, pad):
                    lo = o * s - p
                    bounds.append((max(lo, 0), min(lo + k, n)))
                yield (z, y, t), bounds


# -- max pooling -------------------------------------------------------------------------------


def max_pool_ref(x, ksize, strides, pad, out_shape):
    """Reference for `max_pool`: numpy max over each clipped window (output only)."""
    nb, nc = x.shape[0], x.shape[-1]
    out = np.zeros((nb, *out_shape, nc), dtype=x.dtype)
    for o, ((a0, a1), (b0, b1), (c0, c1)) in _windows(x.shape[1:4], ksize, strides, pad, out_shape):
        win = x[:, a0:a1, b0:b1, c0:c1, :].reshape(nb, -1, nc)
        if win.shape[1]:
            out[(slice(None), *o)] = win.max(axis=1)
    return out


@numba.njit(cache=True, nogil=True)
def _max_pool_2x2(x, out, arg):
    """`max_pool` for 2x2 windows with stride 2 over H and W, all inside x: four compares."""
    nb, _, nh, nw, nc = x.shape
    od, oh, ow = out.shape[1:4]
    for b in range(nb):
        for z in range(od):
            for y in range(oh):
                r0, r1 = x[b, z, 2 * y], x[b, z, 2 * y + 1]
                base = (z * nh + 2 * y) * nw
                for t in range(ow):
                    o, g = out[b, z, y, t], arg[b, z, y, t]
                    x0, x1, x2, x3 = r0[2 * t], r0[2 * t + 1], r1[2 * t], r1[2 * t + 1]
                    k0 = base + 2 * t
                    for c in range(nc):
                        v, k = x0[c], k0
                        if x1[c] > v:
                            v, k = x1[c], k0 + 1
                        if x2[c] > v:
                            v, k = x2[c], k0 + nw
                        if x3[c] > v:
                            v, k = x3[c], k0 + nw + 1
                        o[c] = v
                        g[c] = k


@numba.njit(cache=True, nogil=True)
def _max_pool_2x2_values(x, out):
    """`_max_pool_2x2` without the argmax (inference): branch-free maxima that vectorize, 1.6x
    as fast (64 x 26x26x32: 0.093 against 0.148 ms on one thread)."""
    nb = x.shape[0]
    od, oh, ow = out.shape[1:4]
    for b in range(nb):
        for z in range(od):
            for y in range(oh):
                r0, r1 = x[b, z, 2 * y], x[b, z, 2 * y + 1]
                for t in range(ow):
                    o = out[b, z, y, t]
                    x0, x1, x2, x3 = r0[2 * t], r0[2 * t + 1], r1[2 * t], r1[2 * t + 1]
                    for c in range(o.shape[0]):  # the same comparisons, first wins on ties
                        v = x0[c]
                        v = x1[c] if x1[c] > v else v
                        v = x2[c] if x2[c] > v else v
                        o[c] = x3[c] if x3[c] > v else v


PARALLEL_MIN = 1 << 21  # input values below which pooling stays on one thread (see bias_act.py)
# the gradient splits from a quarter of that, as `bias_act_grad` does: two threads, polling pool,
# 2x2 windows (ms, one thread -> two): 64 x 30x30x16 0.33 -> 0.26, 64 x 26x26x32 0.38 -> 0.28,
# 64 x 11x11x64 0.11 -> 0.12; the forward gained only from ~1.4M values (64 x 26x26x32 0.21 ->
# 0.16, 64 x 30x30x16 0.13 -> 0.15)
GRAD_PARALLEL_MIN = PARALLEL_MIN // 4


def _blocks(fn, x, minimum=None):
    """Runs `fn(b0, b1)` over blocks of images: on the kernel threads when x has at least
    `minimum` values (default PARALLEL_MIN)."""
    minimum = PARALLEL_MIN if minimum is None else minimum
    threads.run_blocks(fn, x.shape[0], 1 if x.size < minimum else None)


def max_pool(x, ksize, strides, pad, out_shape, with_argmax=True):
    """Returns (out, argmax): the window maxima and the flat D*H*W index of each (first on ties).
    With `with_argmax=False` (inference: no backward pass reads it) the 2x2 path returns
    (out, None) and skips the argmax.

    2x2 windows with stride 2 and no padding (the usual `MaxPooling2D()`) take a four-compare
    path, 3x faster than the general loop (0.19 ms against 0.62 ms for 64 x 30x30x16 on one
    thread); the general loop keeps the running maximum with branch-free selects over row views.
    Large batches are split over the kernel threads by image.
    """
    shape = (x.shape[0], *out_shape, x.shape[-1])
    out = np.empty(shape, dtype=x.dtype)
    od, oh, ow = out_shape
    two = tuple(ksize) == (1, 2, 2) and tuple(strides) == (1, 2, 2) and tuple(pad) == (0, 0, 0)
    two = two and od <= x.shape[1] and 2 * oh <= x.shape[2] and 2 * ow <= x.shape[3]
    if two and not with_argmax:
        _blocks(lambda b0, b1: _max_pool_2x2_values(x[b0:b1], out[b0:b1]), x)
        return out, None
    arg = np.empty(shape, dtype=np.int64)
    if two:
        _blocks(lambda b0, b1: _max_pool_2x2(x[b0:b1], out[b0:b1], arg[b0:b1]), x)
    else:
        _blocks(
            lambda b0, b1: _max_pool_rows(x[b0:b1], ksize, strides, pad, out[b0:b1], arg[b0:b1]), x
        )
    return out, arg


@numba.njit(cache=True, nogil=True)
def _max_pool_rows(x, ksize, strides, pad, out, arg):
    nb, nd, nh, nw, nc = x.shape
    kd, kh, kw = ksize
    sd, sh, sw = strides
    pd, ph, pw = pad
    od, oh, ow = out.shape[1:4]
    for b in range(nb):
        xb = x[b]
        for z in range(od):
            i0, i1 = max(z * sd - pd, 0), min(z * sd - pd + kd, nd)
            for y in range(oh):
                j0, j1 = max(y * sh - ph, 0), min(y * sh - ph + kh, nh)
                for t in range(ow):
                    q0, q1 = max(t * sw - pw, 0), min(t * sw - pw + kw, nw)
                    o, g = out[b, z, y, t], arg[b, z, y, t]
                    if i1 <= i0 or j1 <= j0 or q1 <= q0:  # no real cell: 0, no gradient
                        for c in range(nc):
                            o[c] = 0
                            g[c] = -1
                        continue
                    first = (i0 * nh + j0) * nw + q0
                    xv = xb[i0, j0, q0]
                    for c in range(nc):
                        o[c] = xv[c]
                        g[c] = first
                    for i in range(i0, i1):
                        for j in range(j0, j1):
                            for q in range(q0, q1):
                                flat = (i * nh + j) * nw + q
                                if flat == first:
                                    continue
                                xv = xb[i, j, q]
                                for c in range(nc):
                                    v = xv[c]
                                    win = v > o[c]  # strictly greater: the first maximum wins
                                    o[c] = v if win else o[c]
                                    g[c] = flat if win else g[c]


def max_pool_grad_ref(dout, arg, in_shape):
    """Reference for `max_pool_grad`: scatter-add with `np.add.at`."""
    nb, nd, nh, nw, nc = in_shape
    dx = np.zeros((nb, nd * nh * nw, nc), dtype=dout.dtype)
    b = np.arange(nb)[:, None, None, None, None]
    c = np.arange(nc)[None, None, None, None, :]
    keep = arg >= 0
    idx_b, idx_c = np.broadcast_to(b, arg.shape)[keep], np.broadcast_to(c, arg.shape)[keep]
    np.add.at(dx, (idx_b, arg[keep], idx_c), dout[keep])
    return dx.reshape(in_shape)


def max_pool_grad(dout, arg, in_shape):
    """Routes each output gradient to the input cell that won its window."""
    nb, nd, nh, nw, nc = in_shape
    if dout.shape != arg.shape or dout.shape[0] != nb or dout.shape[4] != nc:
        raise ValueError("max_pool_grad: dout and argmax shapes do not match in_shape")
    dx = np.zeros((nb, nd * nh * nw, nc), dtype=dout.dtype)
    _blocks(
        lambda b0, b1: _max_pool_grad_rows(dout[b0:b1], arg[b0:b1], dx[b0:b1]),
        dx,
        GRAD_PARALLEL_MIN,
    )
    return dx.reshape((nb, nd, nh, nw, nc))


@numba.njit(cache=True, nogil=True)
def _max_pool_grad_rows(dout, arg, dx):
    nb, size = dx.shape[0], dx.shape[1]
    nc = dx.shape[2]
    od, oh, ow = dout.shape[1], dout.shape[2], dout.shape[3]
    for b in range(nb):
        dxb = dx[b]
        for z in range(od):
            for y in range(oh):
                for t in range(ow):
                    g, dv = arg[b, z, y, t], dout[b, z, y, t]
                    for c in range(nc):
                        k = g[c]
                        if 0 <= k < size:
                            dxb[k, c] += dv[c]


# -- average pooling ---------------------------------------------------------------------------


def avg_pool_ref(x, ksize, strides, pad, out_shape):
    """Reference for `avg_pool`: numpy mean over each clipped window."""
    nb, nc = x.shape[0], x.shape[-1]
    out = np.zeros((nb, *out_shape, nc), dtype=x.dtype)
    for o, ((a0, a1), (b0, b1), (c0, c1)) in _windows(x.shape[1:4], ksize, strides, pad, out_shape):
        win = x[:, a0:a1, b0:b1, c0:c1, :].reshape(nb, -1, nc)
        if win.shape[1]:
            out[(slice(None), *o)] = win.mean(axis=1)
    return out


@numba.njit(cache=True)
def avg_pool(x, ksize, strides, pad, out_shape):
    """Mean of each window over its real (non-padding) cells."""
    nb, nd, nh, nw, nc = x.shape
    kd, kh, kw = ksize
    sd, sh, sw = strides
    pd, ph, pw = pad
    od, oh, ow = out_shape
    out = np.zeros((nb, od, oh, ow, nc), dtype=x.dtype)
    for b in range(nb):
        for z in range(od):
            i0, i1 = max(z * sd - pd, 0), min(z * sd - pd + kd, nd)
            for y in range(oh):
                j0, j1 = max(y * sh - ph, 0), min(y * sh - ph + kh, nh)
                for t in range(ow):
                    q0, q1 = max(t * sw - pw, 0), min(t * sw - pw + kw, nw)
                    count = (i1 - i0) * (j1 - j0) * (q1 - q0)
                    if i1 <= i0 or j1 <= j0 or q1 <= q0:
                        continue
                    for i in range(i0, i1):
                        for j in range(j0, j1):
                            for q in range(q0, q1):
                                for c in range(nc):
                                    out[b, z, y, t, c] += x[b, i, j, q, c]
                    for c in range(nc):
                        out[b, z, y, t, c] /= count
    return out


def avg_pool_grad_ref(dout, in_shape, ksize, strides, pad):
    """Reference for `avg_pool_grad`: spreads each gradient evenly over its clipped window."""
    dx = np.zeros(in_shape, dtype=dout.dtype)
    windows = _windows(in_shape[1:4], ksize, strides, pad, dout.shape[1:4])
    for o, ((a0, a1), (b0, b1), (c0, c1)) in windows:
        count = (a1 - a0) * (b1 - b0) * (c1 - c0)
        if a1 > a0 and b1 > b0 and c1 > c0:
            g = dout[(slice(None), *o)] / count  # (nb, nc)
            dx[:, a0:a1, b0:b1, c0:c1, :] += g[:, None, None, None, :]
    return dx


@numba.njit(cache=True)
def avg_pool_grad(dout, in_shape, ksize, strides, pad):
    """Adjoint of `avg_pool`: each window's gradient divided by its real-cell count."""
    nb, nd, nh, nw, nc = in_shape
    kd, kh, kw = ksize
    sd, sh, sw = strides
    pd, ph, pw = pad
    if dout.shape[0] != nb or dout.shape[4] != nc:
        raise ValueError("avg_pool_grad: dout shape does not match in_shape")
    od, oh, ow = dout.shape[1], dout.shape[2], dout.shape[3]
    dx = np.zeros((nb, nd, nh, nw, nc), dtype=dout.dtype)
    for b in range(nb):
        for z in range(od):
            i0, i1 = max(z * sd - pd, 0), min(z * sd - pd + kd, nd)
            for y in range(oh):
                j0, j1 = max(y * sh - ph, 0), min(y * sh - ph + kh, nh)
                for t in range(ow):
                    q0, q1 = max(t * sw - pw, 0), min(t * sw - pw + kw, nw)
                    if i1 <= i0 or j1 <= j0 or q1 <= q0:
                        continue
                    inv = 1.0 / ((i1 - i0) * (j1 - j0) * (q1 - q0))
                    for i in range(i0, i1):
                        for j in range(j0, j1):
                            for q in range(q0, q1):
                                for c in range(nc):
                                    dx[b, i, j, q, c] += dout[b, z, y, t, c] * inv
    return dx
