"""SimpleRNN kernels, forward and backprop through time: h = tanh(xw + h_prev @ U)."""

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
    _run_by_length,
    _scatter_rows,
    _step_ref,
    _tanh,
    _zero,
)


# -- SimpleRNN: h = tanh(xw + h_prev @ U) ---------------------------------------------------------


def simple_rnn_forward_ref(xw, ut, h0, mask, zero_output):
    """Reference for `simple_rnn_forward`."""
    T = xw.shape[1]
    y, hprev = np.zeros_like(xw), np.empty_like(xw)
    h, prev = h0.copy(), np.zeros_like(h0)
    for s in range(T):
        hprev[:, s] = h
        hn = np.tanh(xw[:, s] + h @ ut.T)
        h = _step_ref(mask, s, hn, h)
        y[:, s] = prev = _step_ref(mask, s, hn, 0 if zero_output else prev)
    return y, hprev, h


def simple_rnn_forward(xw, ut, h0, mask, zero_output):
    """xw (B, T, u), ut = recurrent_kernel.T, h0 (B, u), mask (B, T) bool.

    Returns y (B, T, u), hprev (B, T, u) (the state before each step) and the last state.
    """
    _check(xw, h0, mask, ut.shape[1], 1)
    y, hprev, h_last = np.empty_like(xw), np.empty_like(xw), np.empty_like(h0)
    args = (xw, ut, h0, mask, zero_output, y, hprev, h_last)
    _run_by_length(_simple_forward_rows, mask, *args)
    return y, hprev, h_last


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _simple_forward_rows(xw, ut, h0, mask, zero_output, y, hprev, h_last, order, b0, b1):
    T, u = xw.shape[1], xw.shape[2]
    z = np.empty((4, u), xw.dtype)
    h = np.empty((4, u), xw.dtype)
    for i0 in range(b0, b1, 4):
        nr = min(4, b1 - i0)
        rows = order[i0 : i0 + nr]
        _gather_rows(h, h0, rows)
        for s in range(T):
            if _any_active(mask, rows, s):
                _matmul_nt(h, 0, 0, nr, ut, z)
            for r in range(nr):
                b = rows[r]
                if not _enter_step(y, hprev, h, r, b, s, mask, zero_output):
                    continue
                for j in range(u):
                    v = _tanh(xw[b, s, j] + z[r, j])
                    h[r, j] = v
                    y[b, s, j] = v
        _scatter_rows(h_last, h, rows)


def simple_rnn_backward_ref(dy, dh_last, u_mat, y, mask, zero_output):
    """Reference for `simple_rnn_backward`."""
    dpre, dh, carry = np.zeros_like(dy), dh_last.copy(), np.zeros_like(dh_last)
    for s in range(dy.shape[1] - 1, -1, -1):
        gy = dy[:, s] + carry
        dpre[:, s] = _step_ref(mask, s, (dh + gy) * (1 - y[:, s] ** 2), 0)
        dh = _step_ref(mask, s, dpre[:, s] @ u_mat.T, dh)
        carry = _step_ref(mask, s, 0, 0 if zero_output else gy)
    return dpre, dh


def simple_rnn_backward(dy, dh_last, u_mat, y, mask, zero_output):
    """dy (B, T, u) output gradients, dh_last (B, u), u_mat = recurrent_kernel, y from the forward
    -> dpre (B, T, u), the gradient of xw + h_prev @ U, and dh0."""
    _check(dy, dh_last, mask, u_mat.shape[0], 1)
    dpre, dh0 = np.zeros_like(dy), np.empty_like(dh_last)
    args = (dy, dh_last, u_mat, y, mask, zero_output, dpre, dh0)
    _run_by_length(_simple_backward_rows, mask, *args)
    return dpre, dh0


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _simple_backward_rows(dy, dh_last, u_mat, y, mask, zero_output, dpre, dh0, order, b0, b1):
    T, u = dy.shape[1], dy.shape[2]
    one = np.ones(1, dy.dtype)[0]
    dz = np.zeros((4, u), dy.dtype)
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
                    _zero(dz[r])
                    continue
                for j in range(u):
                    hn = y[b, s, j]
                    dz[r, j] = (dh[r, j] + dy[b, s, j] + carry[r, j]) * (one - hn * hn)
                    carry[r, j] = 0
                _copy(dpre[b, s], dz[r])
            if not _any_active(mask, rows, s):
                continue  # every row masked: dh carries over unchanged
            _matmul_nt(dz, 0, 0, nr, u_mat, dhp)
            for r in range(nr):
                if mask[rows[r], s]:
                    _copy(dh[r], dhp[r])
        _scatter_rows(dh0, dh, rows)
