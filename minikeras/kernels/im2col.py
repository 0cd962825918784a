"""The row copies of the convolutions (`conv.py`): im2col, which lays each output pixel's input
window out as one row, and its adjoint col2im, on channels-last 3-D volumes `(batch, D, H, W,
channels)`; `conv.py` describes the layout, the measurements behind the loops and the GEMMs.

im2col is two kernels, `_im2col_interior` (the columns whose window row is one contiguous run
of x) and `_im2col_edges` (the others: padding along W, groups, dilation along W), and calls
the second only when some column needs it: a layer without padding never compiles it, which
matters on a first run (a cold numba cache), where im2col compiled in 1.2 s of CPU instead of
1.8 (median of 3 fresh processes). col2im is not split that way, which would change the order in
which it adds overlapping windows (and so the bits of its sums): a layer whose columns are all
interior runs `_col2im_interior`, the same loops without the edge ones, and any other layer the
whole `_col2im_all`.

The interior kernels take what their Python wrappers work out once per call: the interior
column range, the window row's start, stride and length, x (or dx) viewed as (b, D, H, W*c);
the shape checks stay in Python. Each kernel then compiles its loops only (no geometry helper,
no reshape, no exception paths): a cold compile of `_im2col_interior` 1.2 -> 0.7 s of CPU,
`_col2im_interior` 1.1 -> 0.6 (3 fresh processes each, interleaved), the same copies and sums
in the same order; warm times unchanged.
"""

import numba


def _interior(ksize, strides, dilation, pad, in_w, out_w, groups):
    """Output columns [ta, tb) whose whole window row (kw taps x all channels) is one contiguous
    run of x: groups == 1, no dilation along W, and every tap inside x. Empty otherwise."""
    kw, sw, pw = ksize[2], strides[2], pad[2]
    if groups != 1 or dilation[2] != 1 or in_w - kw + pw < 0:
        return 0, 0
    ta = (pw + sw - 1) // sw
    tb = min(out_w, (in_w - kw + pw) // sw + 1)
    return ta, max(ta, tb)


def _checked(name, x, b0, ksize, out_shape, groups, cols):
    """Raises for a `cols` that does not fit x's images b0, b0+1, ...; returns their count."""
    nc = x.shape[4]
    cg = nc // groups
    rows = out_shape[0] * out_shape[1] * out_shape[2]
    n = cols.shape[0] // rows
    width = groups * ksize[0] * ksize[1] * ksize[2] * cg
    if nc != groups * cg or cols.shape[0] != n * rows or cols.shape[1] != width:
        raise ValueError(
            f"{name}: cols shape {cols.shape} does not match x {x.shape}, ksize {ksize}, "
            f"out_shape {out_shape} and groups {groups}"
        )
    if b0 < 0 or b0 + n > x.shape[0]:
        raise ValueError(f"{name}: images [{b0}, {b0 + n}) outside the {x.shape[0]} of x")
    return n


def _rows_args(x, b0, n, ksize, strides, pad, ta, tb):
    """The interior kernels' arguments before the geometry: x as (b, D, H, W*c), the images,
    the column range, and the window row's start in a row of x, stride and length."""
    nb, nd, nh, nw, nc = x.shape
    xr = x.reshape(nb, nd, nh, nw * nc)
    return xr, b0, n, ta, tb, (ta * strides[2] - pad[2]) * nc, strides[2] * nc, ksize[2] * nc


@numba.njit(cache=True, nogil=True)
def _im2col_interior(
    xr, b0, n, ta, tb, s0, step, run, ksize, strides, dilation, pad, out_shape, cols
):
    """`im2col` of the columns [ta, tb) of every output row: the window row (a, e) of column t
    is xr[b, i, j, s0 + (t - ta) * step :][:run]. No bounds checks: `im2col` checks."""
    nd, nh = xr.shape[1], xr.shape[2]
    kd, kh = ksize[0], ksize[1]
    sd, sh = strides[0], strides[1]
    dd, dh = dilation[0], dilation[1]
    pd, ph = pad[0], pad[1]
    od, oh, ow = out_shape
    for b in range(b0, b0 + n):
        for z in range(od):
            for y in range(oh):
                m0 = (((b - b0) * od + z) * oh + y) * ow
                col = 0
                for a in range(kd):
                    i = z * sd - pd + a * dd
                    for e in range(kh):
                        j = y * sh - ph + e * dh
                        block = cols[m0 + ta : m0 + tb, col : col + run]
                        col += run
                        if i < 0 or i >= nd or j < 0 or j >= nh:
                            for t in range(tb - ta):
                                dst = block[t]
                                for u in range(run):
                                    dst[u] = 0
                        elif run >= 8:  # 8+ values (3x3 RGB: 9): contiguous copies
                            xrow = xr[b, i, j]
                            for t in range(tb - ta):
                                src, dst = xrow[s0 + t * step :], block[t]
                                for u in range(run):
                                    dst[u] = src[u]
                        else:  # shorter (1 channel: 3): strided along the output row
                            xrow = xr[b, i, j]
                            for u in range(run):
                                src, dst = xrow[s0 + u :: step], block[:, u]
                                for t in range(tb - ta):
                                    dst[t] = src[t]


@numba.njit(cache=True, nogil=True)
def _im2col_edges(x, b0, n, ta, tb, ksize, strides, dilation, pad, out_shape, groups, cols):
    """`im2col` of the other columns (padding, groups, dilation along W): one tap at a time."""
    nd, nh, nw, nc = x.shape[1], x.shape[2], x.shape[3], x.shape[4]
    kd, kh, kw = ksize
    sd, sh, sw = strides
    dd, dh, dw = dilation
    pd, ph, pw = pad
    od, oh, ow = out_shape
    cg = nc // groups
    for b in range(b0, b0 + n):
        for z in range(od):
            for y in range(oh):
                m0 = (((b - b0) * od + z) * oh + y) * ow
                for t in range(ow):  # edge columns (or every column): one tap at a time
                    if ta <= t < tb:
                        continue
                    crow = cols[m0 + t]
                    col = 0
                    for g in range(groups):
                        c0 = g * cg
                        for a in range(kd):
                            i = z * sd - pd + a * dd
                            for e in range(kh):
                                j = y * sh - ph + e * dh
                                for f in range(kw):
                                    q = t * sw - pw + f * dw
                                    dst = crow[col : col + cg]
                                    col += cg
                                    if 0 <= i < nd and 0 <= j < nh and 0 <= q < nw:
                                        src = x[b, i, j, q, c0 : c0 + cg]
                                        for c in range(cg):
                                            dst[c] = src[c]
                                    else:
                                        for c in range(cg):
                                            dst[c] = 0


def im2col(x, b0, ksize, strides, dilation, pad, out_shape, groups, cols):
    """Writes the im2col rows of images b0, b0+1, ... of x (b, D, H, W, c) into `cols`.

    `cols` is (n_images * OD*OH*OW, groups*KD*KH*KW*(c//groups)); row (image, z, y, t), column
    (group, kd, kh, kw, channel). Taps outside x are zeros. Reads only inside x; x and cols must
    be C-contiguous. Copies go through row views indexed by loop counters (computed indices
    cost numba a wraparound test per element and block vectorisation: 3-5x slower).

    `_im2col_edges` runs only when some column needs it (see the module notes).
    """
    n = _checked("im2col", x, b0, ksize, out_shape, groups, cols)
    ta, tb = _interior(ksize, strides, dilation, pad, x.shape[3], out_shape[2], groups)
    if tb > ta:
        rows = _rows_args(x, b0, n, ksize, strides, pad, ta, tb)
        _im2col_interior(*rows, ksize, strides, dilation, pad, out_shape, cols)
    if tb - ta < out_shape[2]:  # some columns reach into the padding (or groups, dilation)
        _im2col_edges(x, b0, n, ta, tb, ksize, strides, dilation, pad, out_shape, groups, cols)


@numba.njit(cache=True, nogil=True)
def _col2im_interior(
    cols, xr, b0, n, ta, tb, s0, step, run, ksize, strides, dilation, pad, out_shape
):
    """`col2im` when every column is interior: `_col2im_all` without its edge loop (the same
    sums in the same order), on dx viewed as xr (b, D, H, W*c). No bounds checks."""
    nd, nh = xr.shape[1], xr.shape[2]
    kd, kh = ksize[0], ksize[1]
    sd, sh = strides[0], strides[1]
    dd, dh = dilation[0], dilation[1]
    pd, ph = pad[0], pad[1]
    od, oh, ow = out_shape
    for b in range(b0, b0 + n):
        for z in range(od):
            for y in range(oh):
                m0 = (((b - b0) * od + z) * oh + y) * ow
                col = 0
                for a in range(kd):
                    i = z * sd - pd + a * dd
                    for e in range(kh):
                        j = y * sh - ph + e * dh
                        block = cols[m0 + ta : m0 + tb, col : col + run]
                        col += run
                        if i < 0 or i >= nd or j < 0 or j >= nh:
                            continue
                        xrow = xr[b, i, j]
                        if run >= 16:
                            for t in range(tb - ta):
                                dst, src = xrow[s0 + t * step :], block[t]
                                for u in range(run):
                                    dst[u] += src[u]
                        else:
                            for u in range(run):
                                dst, src = xrow[s0 + u :: step], block[:, u]
                                for t in range(tb - ta):
                                    dst[t] += src[t]


@numba.njit(cache=True, nogil=True)
def _col2im_all(cols, b0, n, ta, tb, ksize, strides, dilation, pad, out_shape, groups, dx):
    """`col2im` with edge columns (padding, groups, dilation along W). No bounds checks."""
    nb, nd, nh, nw, nc = dx.shape
    kd, kh, kw = ksize
    sd, sh, sw = strides
    dd, dh, dw = dilation
    pd, ph, pw = pad
    od, oh, ow = out_shape
    cg = nc // groups
    run = kw * cg
    dxr = dx.reshape(nb, nd, nh, nw * nc)
    for b in range(b0, b0 + n):
        for z in range(od):
            for y in range(oh):
                m0 = (((b - b0) * od + z) * oh + y) * ow
                if tb > ta:
                    col = 0
                    for a in range(kd):
                        i = z * sd - pd + a * dd
                        for e in range(kh):
                            j = y * sh - ph + e * dh
                            block = cols[m0 + ta : m0 + tb, col : col + run]
                            col += run
                            if i < 0 or i >= nd or j < 0 or j >= nh:
                                continue
                            s0 = (ta * sw - pw) * nc
                            xrow = dxr[b, i, j]
                            if run >= 16:
                                for t in range(tb - ta):
                                    dst, src = xrow[s0 + t * sw * nc :], block[t]
                                    for u in range(run):
                                        dst[u] += src[u]
                            else:
                                for u in range(run):
                                    dst, src = xrow[s0 + u :: sw * nc], block[:, u]
                                    for t in range(tb - ta):
                                        dst[t] += src[t]
                for t in range(ow):
                    if ta <= t < tb:
                        continue
                    crow = cols[m0 + t]
                    col = 0
                    for g in range(groups):
                        c0 = g * cg
                        for a in range(kd):
                            i = z * sd - pd + a * dd
                            for e in range(kh):
                                j = y * sh - ph + e * dh
                                for f in range(kw):
                                    q = t * sw - pw + f * dw
                                    if 0 <= i < nd and 0 <= j < nh and 0 <= q < nw:
                                        src = crow[col : col + cg]
                                        dst = dx[b, i, j, q, c0 : c0 + cg]
                                        for c in range(cg):
                                            dst[c] += src[c]
                                    col += cg


def col2im(cols, b0, ksize, strides, dilation, pad, out_shape, groups, dx):
    """Adjoint of `im2col`: adds the rows of `cols` into images b0, b0+1, ... of dx.

    dx and cols must be C-contiguous; same loop structure as `im2col`.

    A layer whose columns are all interior (no padding along W, groups or W dilation) runs
    `_col2im_interior`, which has no edge loop to compile; the others `_col2im_all`.
    """
    n = _checked("col2im", dx, b0, ksize, out_shape, groups, cols)
    if not dx.flags.c_contiguous:  # a reshape would copy it, and the sums would be lost
        raise ValueError(f"col2im: dx must be C-contiguous. Received strides {dx.strides}")
    ta, tb = _interior(ksize, strides, dilation, pad, dx.shape[3], out_shape[2], groups)
    if tb - ta == out_shape[2]:
        rows = _rows_args(dx, b0, n, ksize, strides, pad, ta, tb)
        _col2im_interior(cols, *rows, ksize, strides, dilation, pad, out_shape)
    else:
        _col2im_all(cols, b0, n, ta, tb, ksize, strides, dilation, pad, out_shape, groups, dx)
