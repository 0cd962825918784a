"""GRU kernels, forward and backprop through time: reset_after=True (Keras 3's default) and
reset_after=False, as `rnn.py` describes."""

import numba
import numpy as np

from .rnn_common import (
    FASTMATH,
    _any_active,
    _carry_masked,
    _check,
    _copy,
    _enter_step,
    _gather_rows,
    _matmul_nt,
    _rows_in,
    _rows_out,
    _run_by_length,
    _run_rows,
    _scatter_rows,
    _sigmoid,
    _sigmoid_np,
    _step_ref,
    _tanh,
    _zero,
)


# -- GRU, reset_after=True (Keras 3 default): gates z, r, n; h = z h_prev + (1 - z) n ------------


def gru_forward_ref(xw, ut, brec, h0, mask, zero_output):
    """Reference for `gru_forward`."""
    B, T, G = xw.shape
    u = G // 3
    y, hprev, hn = (np.zeros((B, T, u), xw.dtype) for _ in range(3))
    act = np.zeros_like(xw)
    h, prev = h0.copy(), np.zeros_like(h0)
    for s in range(T):
        hprev[:, s] = h
        rec = h @ ut.T + brec
        z = _sigmoid_np(xw[:, s, :u] + rec[:, :u])
        r = _sigmoid_np(xw[:, s, u : 2 * u] + rec[:, u : 2 * u])
        n = np.tanh(xw[:, s, 2 * u :] + r * rec[:, 2 * u :])
        new = z * h + (1 - z) * n
        act[:, s] = _step_ref(mask, s, np.concatenate([z, r, n], axis=1), 0)
        hn[:, s] = _step_ref(mask, s, rec[:, 2 * u :], 0)
        h = _step_ref(mask, s, new, h)
        y[:, s] = prev = _step_ref(mask, s, new, 0 if zero_output else prev)
    return y, hprev, act, hn, h


def gru_forward(xw, ut, brec, h0, mask, zero_output):
    """xw (B, T, 3u) = x @ W + input bias, ut = recurrent_kernel.T (3u, u), brec (3u,) the
    recurrent bias, h0 (B, u), mask (B, T).

    Returns y, hprev (B, T, u), act (B, T, 3u) = the gates z, r, n, hn (B, T, u) = the h block of
    h_prev @ U + brec, and the last state.
    """
    _check(xw, h0, mask, ut.shape[1], 3)
    B, T, G = xw.shape
    y, hprev = np.empty((B, T, G // 3), xw.dtype), np.empty((B, T, G // 3), xw.dtype)
    act, hn, h_last = np.zeros_like(xw), np.zeros((B, T, G // 3), xw.dtype), np.empty_like(h0)
    outs = (y, hprev, act, hn, h_last)
    _run_by_length(_gru_forward_rows, mask, xw, ut, brec, h0, mask, zero_output, *outs)
    return outs


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _gru_forward_rows(
    xw, ut, brec, h0, mask, zero_output, y, hprev, act, hn, h_last, order, b0, b1
):
    T, G = xw.shape[1], xw.shape[2]
    u = G // 3
    one = np.ones(1, xw.dtype)[0]
    rec = np.empty((4, G), xw.dtype)
    h = np.empty((4, u), xw.dtype)
    for i0 in range(b0, b1, 4):
        nr = min(4, b1 - i0)
        rows = order[i0 : i0 + nr]
        _gather_rows(h, h0, rows)
        for s in range(T):
            if _any_active(mask, rows, s):
                _matmul_nt(h, 0, 0, nr, ut, rec)
            for r in range(nr):
                b = rows[r]
                if not _enter_step(y, hprev, h, r, b, s, mask, zero_output):
                    continue
                for j in range(u):
                    zg = _sigmoid(xw[b, s, j] + rec[r, j] + brec[j])
                    rg = _sigmoid(xw[b, s, u + j] + rec[r, u + j] + brec[u + j])
                    hh = rec[r, 2 * u + j] + brec[2 * u + j]
                    ng = _tanh(xw[b, s, 2 * u + j] + rg * hh)
                    hv = zg * h[r, j] + (one - zg) * ng
                    act[b, s, j], act[b, s, u + j], act[b, s, 2 * u + j] = zg, rg, ng
                    hn[b, s, j] = hh
                    h[r, j] = hv
                    y[b, s, j] = hv
        _scatter_rows(h_last, h, rows)


def gru_backward_ref(dy, dh_last, u_mat, hprev, act, hn, mask, zero_output):
    """Reference for `gru_backward`."""
    u = dy.shape[-1]
    dx, drec = np.zeros(act.shape, dy.dtype), np.zeros(act.shape, dy.dtype)
    dh, carry = dh_last.copy(), np.zeros_like(dh_last)
    for s in range(dy.shape[1] - 1, -1, -1):
        z, r, n = (act[:, s, k * u : (k + 1) * u] for k in range(3))
        gy = dy[:, s] + carry
        dht = dh + gy
        dan = dht * (1 - z) * (1 - n**2)
        daz = dht * (hprev[:, s] - n) * z * (1 - z)
        dar = dan * hn[:, s] * r * (1 - r)
        dx[:, s] = _step_ref(mask, s, np.concatenate([daz, dar, dan], axis=1), 0)
        drec[:, s] = _step_ref(mask, s, np.concatenate([daz, dar, dan * r], axis=1), 0)
        dh = _step_ref(mask, s, dht * z + drec[:, s] @ u_mat.T, dh)
        carry = _step_ref(mask, s, 0, 0 if zero_output else gy)
    return dx, drec, dh


def gru_backward(dy, dh_last, u_mat, hprev, act, hn, mask, zero_output):
    """Backward of `gru_forward`: dx (B, T, 3u) is the gradient of x @ W + input bias, drec
    (B, T, 3u) that of h_prev @ U + recurrent bias; also returns dh0."""
    _check(act, dh_last, mask, u_mat.shape[0], 3)
    dx, drec, dh0 = np.zeros_like(act), np.zeros_like(act), np.empty_like(dh_last)
    args = (dy, dh_last, u_mat, hprev, act, hn, mask, zero_output, dx, drec, dh0)
    _run_by_length(_gru_backward_rows, mask, *args)
    return dx, drec, dh0


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _gru_backward_rows(
    dy, dh_last, u_mat, hprev, act, hn, mask, zero_output, dx, drec, dh0, order, b0, b1
):
    T, u = dy.shape[1], dy.shape[2]
    one = np.ones(1, dy.dtype)[0]
    dr = np.zeros((4, 3 * u), dy.dtype)
    dh = np.empty((4, u), dy.dtype)
    carry = np.empty((4, u), dy.dtype)
    dhp = np.empty((4, u), dy.dtype)
    for i0 in range(b0, b1, 4):
        nr = min(4, b1 - i0)
        rows = order[i0 : i0 + nr]
        _gather_rows(dh, dh_last, rows)
        _zero(carry.reshape(-1))
        for s in range(T - 1, -1, -1):
            for r in range(nr):
                b = rows[r]
                if not mask[b, s]:
                    _carry_masked(carry, r, dy, b, s, zero_output)
                    _zero(dr[r])
                    continue
                for j in range(u):
                    zg, rg, ng = act[b, s, j], act[b, s, u + j], act[b, s, 2 * u + j]
                    dht = dh[r, j] + dy[b, s, j] + carry[r, j]
                    dan = dht * (one - zg) * (one - ng * ng)
                    daz = dht * (hprev[b, s, j] - ng) * zg * (one - zg)
                    dar = dan * hn[b, s, j] * rg * (one - rg)
                    dx[b, s, j], dx[b, s, u + j], dx[b, s, 2 * u + j] = daz, dar, dan
                    dr[r, j], dr[r, u + j], dr[r, 2 * u + j] = daz, dar, dan * rg
                    dh[r, j] = dht * zg  # the direct path; the recurrent one is added below
                    carry[r, j] = 0
                _copy(drec[b, s], dr[r])
            if not _any_active(mask, rows, s):
                continue  # every row masked: dh carries over unchanged
            _matmul_nt(dr, 0, 0, nr, u_mat, dhp)
            for r in range(nr):
                if mask[rows[r], s]:
                    for j in range(u):
                        dh[r, j] += dhp[r, j]
        _scatter_rows(dh0, dh, rows)


# -- GRU, reset_after=False: n = tanh(xw_h + (r h_prev) @ U_h) ------------------------------------


def gru_v1_forward_ref(xw, ut_zr, ut_h, h0, mask, zero_output):
    """Reference for `gru_v1_forward`."""
    B, T, G = xw.shape
    u = G // 3
    y, hprev = np.zeros((B, T, u), xw.dtype), np.zeros((B, T, u), xw.dtype)
    act = np.zeros_like(xw)
    h, prev = h0.copy(), np.zeros_like(h0)
    for s in range(T):
        hprev[:, s] = h
        rec = h @ ut_zr.T
        z = _sigmoid_np(xw[:, s, :u] + rec[:, :u])
        r = _sigmoid_np(xw[:, s, u : 2 * u] + rec[:, u:])
        n = np.tanh(xw[:, s, 2 * u :] + (r * h) @ ut_h.T)
        new = z * h + (1 - z) * n
        act[:, s] = _step_ref(mask, s, np.concatenate([z, r, n], axis=1), 0)
        h = _step_ref(mask, s, new, h)
        y[:, s] = prev = _step_ref(mask, s, new, 0 if zero_output else prev)
    return y, hprev, act, h


def gru_v1_forward(xw, ut_zr, ut_h, h0, mask, zero_output):
    """xw (B, T, 3u) = x @ W + bias, ut_zr = U[:, :2u].T (2u, u), ut_h = U[:, 2u:].T (u, u)
    -> y, hprev (B, T, u), act (B, T, 3u) = z, r, n, and the last state."""
    _check(xw, h0, mask, ut_h.shape[0], 3)
    B, T, G = xw.shape
    y, hprev = np.empty((B, T, G // 3), xw.dtype), np.empty((B, T, G // 3), xw.dtype)
    act, h_last = np.zeros_like(xw), np.empty_like(h0)
    _run_rows(
        _gru_v1_forward_rows, B, xw, ut_zr, ut_h, h0, mask, zero_output, y, hprev, act, h_last
    )
    return y, hprev, act, h_last


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _gru_v1_forward_rows(xw, ut_zr, ut_h, h0, mask, zero_output, y, hprev, act, h_last, b0, b1):
    T, G = xw.shape[1], xw.shape[2]
    u = G // 3
    one = np.ones(1, xw.dtype)[0]
    rec = np.empty((4, 2 * u), xw.dtype)
    rh = np.empty((4, u), xw.dtype)
    hh = np.empty((4, u), xw.dtype)
    h = np.empty((4, u), xw.dtype)
    for i0 in range(b0, b1, 4):
        nr = min(4, b1 - i0)
        _rows_in(h, h0, i0, nr)
        for s in range(T):
            _matmul_nt(h, 0, 0, nr, ut_zr, rec)
            for r in range(nr):
                for j in range(u):
                    rh[r, j] = _sigmoid(xw[i0 + r, s, u + j] + rec[r, u + j]) * h[r, j]
            _matmul_nt(rh, 0, 0, nr, ut_h, hh)
            for r in range(nr):
                b = i0 + r
                if not _enter_step(y, hprev, h, r, b, s, mask, zero_output):
                    continue
                for j in range(u):
                    zg = _sigmoid(xw[b, s, j] + rec[r, j])
                    rg = _sigmoid(xw[b, s, u + j] + rec[r, u + j])
                    ng = _tanh(xw[b, s, 2 * u + j] + hh[r, j])
                    hv = zg * h[r, j] + (one - zg) * ng
                    act[b, s, j], act[b, s, u + j], act[b, s, 2 * u + j] = zg, rg, ng
                    h[r, j] = hv
                    y[b, s, j] = hv
        _rows_out(h_last, h, i0, nr)


def gru_v1_backward_ref(dy, dh_last, u_zr, u_h, hprev, act, mask, zero_output):
    """Reference for `gru_v1_backward`."""
    u = dy.shape[-1]
    dpre = np.zeros(act.shape, dy.dtype)
    dh, carry = dh_last.copy(), np.zeros_like(dh_last)
    for s in range(dy.shape[1] - 1, -1, -1):
        z, r, n = (act[:, s, k * u : (k + 1) * u] for k in range(3))
        gy = dy[:, s] + carry
        dht = dh + gy
        dan = dht * (1 - z) * (1 - n**2)
        drh = dan @ u_h.T
        daz = dht * (hprev[:, s] - n) * z * (1 - z)
        dar = drh * hprev[:, s] * r * (1 - r)
        dpre[:, s] = _step_ref(mask, s, np.concatenate([daz, dar, dan], axis=1), 0)
        dh = _step_ref(mask, s, dht * z + drh * r + dpre[:, s, : 2 * u] @ u_zr.T, dh)
        carry = _step_ref(mask, s, 0, 0 if zero_output else gy)
    return dpre, dh


def gru_v1_backward(dy, dh_last, u_zr, u_h, hprev, act, mask, zero_output):
    """Backward of `gru_v1_forward` with u_zr = U[:, :2u] and u_h = U[:, 2u:] (contiguous)
    -> dpre (B, T, 3u), the gradient of x @ W + bias and of the recurrent products, and dh0."""
    _check(act, dh_last, mask, u_h.shape[0], 3)
    dpre, dh0 = np.zeros_like(act), np.empty_like(dh_last)
    args = (dy, dh_last, u_zr, u_h, hprev, act, mask, zero_output, dpre, dh0)
    _run_rows(_gru_v1_backward_rows, len(dy), *args)
    return dpre, dh0


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _gru_v1_backward_rows(dy, dh_last, u_zr, u_h, hprev, act, mask, zero_output, dpre, dh0, b0, b1):
    T, u = dy.shape[1], dy.shape[2]
    one = np.ones(1, dy.dtype)[0]
    dz = np.zeros((4, 3 * u), dy.dtype)
    dht = np.zeros((4, u), dy.dtype)
    drh = np.empty((4, u), dy.dtype)
    dhp = np.empty((4, u), dy.dtype)
    dh = np.empty((4, u), dy.dtype)
    carry = np.empty((4, u), dy.dtype)
    for i0 in range(b0, b1, 4):
        nr = min(4, b1 - i0)
        _rows_in(dh, dh_last, i0, nr)
        _zero(carry.reshape(-1))
        for s in range(T - 1, -1, -1):
            for r in range(nr):
                b = i0 + r
                if not mask[b, s]:
                    _carry_masked(carry, r, dy, b, s, zero_output)
                    _zero(dz[r])
                    continue
                for j in range(u):
                    zg, ng = act[b, s, j], act[b, s, 2 * u + j]
                    dht[r, j] = dh[r, j] + dy[b, s, j] + carry[r, j]
                    dz[r, 2 * u + j] = dht[r, j] * (one - zg) * (one - ng * ng)
                    dz[r, j] = dht[r, j] * (hprev[b, s, j] - ng) * zg * (one - zg)
                    carry[r, j] = 0
            _matmul_nt(dz, 2 * u, 0, nr, u_h, drh)  # gradient of r * h_prev
            for r in range(nr):
                if mask[i0 + r, s]:
                    for j in range(u):
                        rg = act[i0 + r, s, u + j]
                        dz[r, u + j] = drh[r, j] * hprev[i0 + r, s, j] * rg * (one - rg)
            _matmul_nt(dz, 0, 0, nr, u_zr, dhp)
            for r in range(nr):
                b = i0 + r
                if mask[b, s]:
                    for j in range(u):
                        zg, rg = act[b, s, j], act[b, s, u + j]
                        dh[r, j] = dht[r, j] * zg + drh[r, j] * rg + dhp[r, j]
                    _copy(dpre[b, s], dz[r])
        _rows_out(dh0, dh, i0, nr)
