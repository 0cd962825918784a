"""LSTM kernels, forward and backprop through time (gates i, f, g, o), as `rnn.py` describes."""

import numba
import numpy as np

from .rnn_common import (
    FASTMATH,
    _any_active,
    _check,
    _copy,
    _gather_rows,
    _matmul_nt,
    _run_by_length,
    _scatter_rows,
    _sigmoid,
    _sigmoid_np,
    _step_ref,
    _tanh,
)


# -- LSTM: gates i, f, g (candidate), o; c = f c_prev + i g; h = o tanh(c) -----------------------


def lstm_forward_ref(xw, ut, h0, c0, mask, zero_output):
    """Reference for `lstm_forward`."""
    B, T, G = xw.shape
    u = G // 4
    y, hprev, cprev, tc = (np.zeros((B, T, u), xw.dtype) for _ in range(4))
    act = np.zeros_like(xw)
    h, c, prev = h0.copy(), c0.copy(), np.zeros_like(h0)
    for s in range(T):
        hprev[:, s], cprev[:, s] = h, c
        z = xw[:, s] + h @ ut.T
        i, f, o = _sigmoid_np(z[:, :u]), _sigmoid_np(z[:, u : 2 * u]), _sigmoid_np(z[:, 3 * u :])
        g = np.tanh(z[:, 2 * u : 3 * u])
        cn = f * c + i * g
        hn = o * np.tanh(cn)
        act[:, s] = _step_ref(mask, s, np.concatenate([i, f, g, o], axis=1), 0)
        tc[:, s] = _step_ref(mask, s, np.tanh(cn), 0)
        h, c = _step_ref(mask, s, hn, h), _step_ref(mask, s, cn, c)
        y[:, s] = prev = _step_ref(mask, s, hn, 0 if zero_output else prev)
    return y, hprev, cprev, act, tc, h, c


def lstm_forward(xw, ut, h0, c0, mask, zero_output):
    """xw (B, T, 4u), ut = recurrent_kernel.T (4u, u), h0 and c0 (B, u), mask (B, T).

    Returns y (B, T, u), hprev and cprev (the states before each step), act (B, T, 4u) (the
    activated gates i, f, g, o), tc = tanh(c) after each step (B, T, u), and the last h and c.
    `act` and `tc` are zero at masked steps.
    """
    _check(xw, h0, mask, ut.shape[1], 4)
    B, T, G = xw.shape
    y, hprev, cprev = (np.empty((B, T, G // 4), xw.dtype) for _ in range(3))
    act, tc = np.zeros_like(xw), np.zeros((B, T, G // 4), xw.dtype)
    h_last, c_last = np.empty_like(h0), np.empty_like(c0)
    outs = (y, hprev, cprev, act, tc, h_last, c_last)
    scratch = (((4, G), xw.dtype), ((4, G // 4), xw.dtype), ((4, G // 4), xw.dtype))
    args = (xw, ut, h0, c0, mask, zero_output, *outs)
    _run_by_length(_lstm_forward_rows, mask, *args, scratch=scratch)
    return outs


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _lstm_forward_rows(
    xw,
    ut,
    h0,
    c0,
    mask,
    zero_output,
    y,
    hprev,
    cprev,
    act,
    tc,
    h_last,
    c_last,
    order,
    z,
    h,
    c,
    b0,
    b1,
):
    """Rows order[b0:b1] of `lstm_forward`; z (4, 4u), h and c (4, u): scratch."""
    T, G = xw.shape[1], xw.shape[2]
    u = G // 4
    for i0 in range(b0, b1, 4):
        nr = b1 - i0 if b1 - i0 < 4 else 4  # not min(): one numba builtin fewer to compile
        rows = order[i0 : i0 + nr]
        _gather_rows(h, h0, rows)
        _gather_rows(c, c0, rows)
        for s in range(T):
            if _any_active(mask, rows, s):
                _matmul_nt(h, 0, 0, nr, ut, z)
            for r in range(nr):
                b = rows[r]
                # rnn_common._enter_step written out: one compiled helper pair fewer, which cut
                # this kernel's cold compile (with its helpers) 2.7 -> 2.4 s of CPU (medians of 7
                # fresh processes each, interleaved; the same copies)
                cp, hp, hr, cr = cprev[b, s], hprev[b, s], h[r], c[r]
                for j in range(u):
                    cp[j] = cr[j]
                    hp[j] = hr[j]
                if not mask[b, s]:  # Keras's output at a masked step: the previous one, or zeros
                    ys = y[b, s]
                    if zero_output or s == 0:
                        for j in range(u):
                            ys[j] = 0
                    else:
                        yp = y[b, s - 1]
                        for j in range(u):
                            ys[j] = yp[j]
                    continue
                for j in range(u):
                    ig = _sigmoid(xw[b, s, j] + z[r, j])
                    fg = _sigmoid(xw[b, s, u + j] + z[r, u + j])
                    gg = _tanh(xw[b, s, 2 * u + j] + z[r, 2 * u + j])
                    og = _sigmoid(xw[b, s, 3 * u + j] + z[r, 3 * u + j])
                    cn = fg * c[r, j] + ig * gg
                    tn = _tanh(cn)
                    act[b, s, j], act[b, s, u + j] = ig, fg
                    act[b, s, 2 * u + j], act[b, s, 3 * u + j] = gg, og
                    c[r, j] = cn
                    tc[b, s, j] = tn
                    h[r, j] = og * tn
                    y[b, s, j] = og * tn
        _scatter_rows(h_last, h, rows)
        _scatter_rows(c_last, c, rows)


def lstm_backward_ref(dy, dh_last, dc_last, u_mat, cprev, act, tc, mask, zero_output):
    """Reference for `lstm_backward`."""
    u = dy.shape[-1]
    dpre = np.zeros(act.shape, dy.dtype)
    dh, dc, carry = dh_last.copy(), dc_last.copy(), np.zeros_like(dh_last)
    for s in range(dy.shape[1] - 1, -1, -1):
        i, f, g, o = (act[:, s, k * u : (k + 1) * u] for k in range(4))
        gy = dy[:, s] + carry
        dht = dh + gy
        dct = dc + dht * o * (1 - tc[:, s] ** 2)
        grads = [
            dct * g * i * (1 - i),
            dct * cprev[:, s] * f * (1 - f),
            dct * i * (1 - g**2),
            dht * tc[:, s] * o * (1 - o),
        ]
        dpre[:, s] = _step_ref(mask, s, np.concatenate(grads, axis=1), 0)
        dh = _step_ref(mask, s, dpre[:, s] @ u_mat.T, dh)
        dc = _step_ref(mask, s, dct * f, dc)
        carry = _step_ref(mask, s, 0, 0 if zero_output else gy)
    return dpre, dh, dc


def lstm_backward(dy, dh_last, dc_last, u_mat, cprev, act, tc, mask, zero_output):
    """dy (B, T, u), dh_last and dc_last (B, u), u_mat = recurrent_kernel (u, 4u), the rest from
    `lstm_forward` -> dpre (B, T, 4u) (gradient of x @ W + b + h_prev @ U), dh0, dc0."""
    _check(act, dh_last, mask, u_mat.shape[0], 4)
    dpre, dh0, dc0 = np.zeros_like(act), np.empty_like(dh_last), np.empty_like(dc_last)
    args = (dy, dh_last, dc_last, u_mat, cprev, act, tc, mask, zero_output, dpre, dh0, dc0)
    u = dy.shape[2]
    scratch = (((4, 4 * u), dy.dtype),) + (((4, u), dy.dtype),) * 4
    _run_by_length(_lstm_backward_rows, mask, *args, scratch=scratch)
    return dpre, dh0, dc0


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _lstm_backward_rows(
    dy,
    dh_last,
    dc_last,
    u_mat,
    cprev,
    act,
    tc,
    mask,
    zero_output,
    dpre,
    dh0,
    dc0,
    order,
    dz,
    dh,
    dc,
    carry,
    dhp,
    b0,
    b1,
):
    """Rows order[b0:b1] of `lstm_backward`; dz (4, 4u), dh, dc, carry, dhp (4, u): scratch."""
    T, u = dy.shape[1], dy.shape[2]
    if u == 0:
        return
    # `one` in dy's dtype without np.ones (each numpy function a kernel calls is one more numba
    # implementation to compile on a first run; the scratch comes from `_run_rows` for that too)
    dz[0, 0] = 1
    one = dz[0, 0]
    for r in range(4):
        for j in range(4 * u):
            dz[r, j] = 0
    for i0 in range(b0, b1, 4):
        nr = b1 - i0 if b1 - i0 < 4 else 4
        rows = order[i0 : i0 + nr]
        _gather_rows(dh, dh_last, rows)
        _gather_rows(dc, dc_last, rows)
        for r in range(4):
            for j in range(u):
                carry[r, j] = 0
        for s in range(T - 1, -1, -1):
            for r in range(nr):
                b = rows[r]
                if not mask[b, s]:  # rnn_common._carry_masked, then dz[r] = 0, written out
                    car, dyr, zr = carry[r], dy[b, s], dz[r]
                    for j in range(u):
                        car[j] = 0 if zero_output else car[j] + dyr[j]
                    for j in range(4 * u):
                        zr[j] = 0
                    continue
                for j in range(u):
                    ig, fg = act[b, s, j], act[b, s, u + j]
                    gg, og = act[b, s, 2 * u + j], act[b, s, 3 * u + j]
                    tn = tc[b, s, j]
                    dht = dh[r, j] + dy[b, s, j] + carry[r, j]
                    dct = dc[r, j] + dht * og * (one - tn * tn)
                    dz[r, j] = dct * gg * ig * (one - ig)
                    dz[r, u + j] = dct * cprev[b, s, j] * fg * (one - fg)
                    dz[r, 2 * u + j] = dct * ig * (one - gg * gg)
                    dz[r, 3 * u + j] = dht * tn * og * (one - og)
                    dc[r, j] = dct * fg
                    carry[r, j] = 0
                _copy(dpre[b, s], dz[r])
            if not _any_active(mask, rows, s):
                continue  # every row masked: dh and dc carry over unchanged
            _matmul_nt(dz, 0, 0, nr, u_mat, dhp)
            for r in range(nr):
                if mask[rows[r], s]:
                    _copy(dh[r], dhp[r])
        _scatter_rows(dh0, dh, rows)
        _scatter_rows(dc0, dc, rows)
