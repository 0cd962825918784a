"""Whole-sequence recurrent kernels (SimpleRNN, LSTM, GRU): forward and backprop through time.

Layout: batch-major and in processing order (the caller reverses time for `go_backwards`).
`xw` (B, T, G) is `x @ kernel (+ input bias)` for all steps, computed by the caller with one BLAS
matmul; `mask` (B, T) is bool (all True without a mask). A masked step keeps the states and outputs
the previous output (zeros at the first step, or always zeros with `zero_output`), as Keras does.
The forward kernels return the outputs `y` (B, T, u), the state before each step (`hprev`, ...)
and what the backward kernels reuse; the backward kernels return the gradient of the gate
pre-activations `dpre` (B, T, G), which the caller turns into kernel, bias and input gradients with
BLAS matmuls (the recurrent kernel's gradient too: `hprev^T @ dpre` over all steps at once).

Each batch row's recurrence is independent: the numba kernels (`_*_rows`) run their whole time
loop over a block of rows, four rows at a time through `_matmul_nt` (4x2 register blocking). They
release the GIL, and `_run_rows` hands blocks of rows to `numba.get_num_threads()` threads: one
kernel call per block, no Python per step. The SimpleRNN, LSTM and GRU (reset_after, Keras 3's
default) kernels take the rows longest first
(`_by_length`) and skip a group's recurrent product at steps where all its rows are masked:
post-padded batches of mixed lengths (the benchmark's lstm workload: 30 % of reviews shorter
than 80 tokens) then spend no time on their padding, 60 -> 57 ms per training step on one
thread (on the same data a GRU(128) went from about 50 to 48 ms, a SimpleRNN(128) from 20.5 to
18.6). (`parallel=True` would do the same but costs ~4 s more compile time per specialization.)

Why loops and not BLAS for the per-step `h @ recurrent_kernel` (measured on one core of the
2-core AMD EPYC dev box, CPU time, float32): `_matmul_nt` runs at OpenBLAS's speed for these small
products, 75.6 vs 73.5 GFLOP/s for the forward (64, 128) @ (128, 512) step and 95 vs 74 for the
backward (64, 512) @ (512, 128) one, and needs no Python call per step. The alternative, a Python
loop over steps calling numpy's BLAS and ufuncs (`benchmarks/lstm_step.py --layer` times it), took
77-80 ms for LSTM(128) forward + backward on (64, 80, 128) against 71-79 ms here (three runs on
the shared machine): no faster, so the one-call-per-sequence kernels stay.

float32 gates use `_exp32`, a polynomial exp that LLVM vectorizes (scalar libm tanhf/expf cost
20/5 ns here and would dominate); its relative error is ~2e-7 (1-3 ulp). float64 uses libm.
"""

import llvmlite.ir
import numba
import numpy as np
from numba.core import types
from numba.extending import intrinsic, overload

from . import threads

# lets LLVM vectorize the dot-product reductions; keeps NaN/inf semantics and exact libm calls
FASTMATH = {"nsz", "arcp", "contract", "reassoc"}
_JIT = {"fastmath": FASTMATH, "error_model": "numpy"}  # numpy: no ZeroDivisionError branch

# -- activations --------------------------------------------------------------------------------

_F = np.float32
_LOG2E, _LN2_HI, _LN2_LO = _F(1.4426950408889634), _F(0.693359375), _F(-2.12194440e-4)
_HALF, _ONE, _TWO = _F(0.5), _F(1.0), _F(2.0)
# exp's argument range: exp(-87) is still a normal float32, and capping at 80 keeps 1 / (1 + e)
# and 2 / (e + 1) out of the subnormal range, which is many times slower on x86
_EXP_HI, _EXP_LO = _F(80.0), _F(-87.0)
# Taylor coefficients 1/k! of exp on |r| <= ln2/2 (degree 7: truncation error < 6e-9)
_E2, _E3, _E4, _E5, _E6, _E7 = (
    _F(1 / 2),
    _F(1 / 6),
    _F(1 / 24),
    _F(1 / 120),
    _F(1 / 720),
    _F(1 / 5040),
)
# Taylor coefficients of tanh x / x in x^2, used for |x| < 0.25 (error < 1e-8 relative)
_T1, _T2, _T3, _T4 = _F(-1 / 3), _F(2 / 15), _F(-17 / 315), _F(62 / 2835)
_SMALL = _F(0.25)


@intrinsic
def _bits_to_f32(typingctx, bits):
    """Reinterprets the low 32 bits of an integer as a float32 (free and vectorizable)."""
    if not isinstance(bits, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        low = builder.trunc(args[0], llvmlite.ir.IntType(32)) if bits.bitwidth > 32 else args[0]
        return builder.bitcast(low, llvmlite.ir.FloatType())

    return types.float32(bits), codegen


@numba.njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def _exp32(x):
    """exp for float32: x = n ln2 + r, exp(r) by polynomial, times 2**n built from its bits."""
    if x > _EXP_HI:  # noqa: PLR1730 (min/max would turn NaN into a finite number)
        x = _EXP_HI
    if x < _EXP_LO:  # noqa: PLR1730
        x = _EXP_LO
    n = np.floor(x * _LOG2E + _HALF)
    r = (x - n * _LN2_HI) - n * _LN2_LO
    p = _ONE + r * (_ONE + r * (_E2 + r * (_E3 + r * (_E4 + r * (_E5 + r * (_E6 + r * _E7))))))
    return p * _bits_to_f32((np.int32(n) + 127) << 23)


def _sigmoid(x):
    """Logistic function of a scalar (this body runs only under NUMBA_DISABLE_JIT)."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _tanh(x):
    return np.tanh(x)


@overload(_sigmoid, jit_options=_JIT)
def _sigmoid_jit(x):
    if x == types.float32:
        return lambda x: _ONE / (_ONE + _exp32(-x))
    return lambda x: 1.0 / (1.0 + np.exp(-x))


@overload(_tanh, jit_options=_JIT)
def _tanh_jit(x):
    if x == types.float32:

        def tanh32(x):
            ax = abs(x)
            x2 = x * x
            small = x * (_ONE + x2 * (_T1 + x2 * (_T2 + x2 * (_T3 + x2 * _T4))))
            big = _ONE - _TWO / (_exp32(_TWO * ax) + _ONE)
            if ax < _SMALL:
                return small
            return big if x >= 0 else -big

        return tanh32
    return lambda x: np.tanh(x)


def _sigmoid_np(a):
    e = np.exp(-np.abs(a))  # no overflow
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def gate_activations_ref(x):
    """Reference for `gate_activations`: the exact logistic function and tanh."""
    return _sigmoid_np(x), np.tanh(x)


@numba.njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def gate_activations(x):
    """sigmoid(x) and tanh(x) of a 1-D array, computed as the gates of the kernels below are."""
    s, t = np.empty_like(x), np.empty_like(x)
    for k in range(x.shape[0]):
        s[k] = _sigmoid(x[k])
        t[k] = _tanh(x[k])
    return s, t


# -- the recurrent product ------------------------------------------------------------------------


@numba.njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def _matmul_nt(a, a_off, i0, nr, b, out):
    """out[r, j] = sum_k a[i0 + r, a_off + k] * b[j, k] for r < nr <= 4, j < len(b).

    Four rows of `a` share each row of `b` (4x2 register blocking); both are read along k.
    """
    n, kk = b.shape
    zero = np.zeros(1, out.dtype)[0]
    if nr == 4:
        a0, a1, a2, a3 = a[i0], a[i0 + 1], a[i0 + 2], a[i0 + 3]
        for j in range(0, n - 1, 2):
            b0, b1 = b[j], b[j + 1]
            s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = zero
            for k in range(kk):
                c, d = b0[k], b1[k]
                v = a0[a_off + k]
                s00 += v * c
                s01 += v * d
                v = a1[a_off + k]
                s10 += v * c
                s11 += v * d
                v = a2[a_off + k]
                s20 += v * c
                s21 += v * d
                v = a3[a_off + k]
                s30 += v * c
                s31 += v * d
            out[0, j], out[0, j + 1], out[1, j], out[1, j + 1] = s00, s01, s10, s11
            out[2, j], out[2, j + 1], out[3, j], out[3, j + 1] = s20, s21, s30, s31
        start = n - (n % 2)
    else:
        start = 0
    for r in range(nr):
        ar = a[i0 + r]
        for j in range(start, n):
            bj = b[j]
            s = zero
            for k in range(kk):
                s += ar[a_off + k] * bj[k]
            out[r, j] = s


# -- running row blocks on threads ----------------------------------------------------------------


def _run_rows(kernel, batch, *args):
    """Calls `kernel(*args, b0, b1)` on blocks of rows (multiples of 4) on the kernel threads
    (`threads.run_blocks`), at least two groups of 4 rows per thread, 4 blocks per thread."""
    n = min(threads.num_threads(), batch // 8)
    threads.run_blocks(lambda b0, b1: kernel(*args, b0, b1), batch, n, per_thread=4, multiple=4)


def _check(xw, state, mask, units, gates):
    B, T, G = xw.shape
    if G != gates * units or state.shape != (B, units) or mask.shape != (B, T):
        raise ValueError(
            f"rnn kernel: inconsistent shapes xw {xw.shape}, state {state.shape}, mask "
            f"{mask.shape} for {units} units and {gates} gate blocks."
        )


@numba.njit(cache=True, nogil=True)
def _copy(dst, src):
    # explicit loops: numba's slice assignment compiles several seconds slower
    for j in range(dst.shape[0]):
        dst[j] = src[j]


@numba.njit(cache=True, nogil=True)
def _zero(dst):
    for j in range(dst.shape[0]):
        dst[j] = 0


@numba.njit(cache=True, nogil=True)
def _rows_in(block, full, i0, nr):
    """block[r] = full[i0 + r] for r < nr."""
    for r in range(nr):
        _copy(block[r], full[i0 + r])


@numba.njit(cache=True, nogil=True)
def _rows_out(full, block, i0, nr):
    for r in range(nr):
        _copy(full[i0 + r], block[r])


@numba.njit(cache=True, nogil=True)
def _gather_rows(block, full, rows):
    """block[r] = full[rows[r]]."""
    for r in range(rows.shape[0]):
        _copy(block[r], full[rows[r]])


@numba.njit(cache=True, nogil=True)
def _scatter_rows(full, block, rows):
    for r in range(rows.shape[0]):
        _copy(full[rows[r]], block[r])


@numba.njit(cache=True, nogil=True)
def _any_active(mask, rows, s):
    """Whether step s is unmasked for any of `rows`."""
    for r in range(rows.shape[0]):
        if mask[rows[r], s]:
            return True
    return False


def _by_length(mask):
    """Row order for the LSTM kernels: longest sequences first (by unmasked steps), so that the
    groups of 4 rows that share a recurrent product hold sequences of similar length and can skip
    it at the steps where all four are masked."""
    return np.argsort(-mask.sum(axis=1), kind="stable").astype(np.int64)


@numba.njit(cache=True, nogil=True)
def _masked_output(y, b, s, zero_output):
    """Keras's output at a masked step: the previous output, or zeros."""
    if zero_output or s == 0:
        _zero(y[b, s])
    else:
        _copy(y[b, s], y[b, s - 1])


@numba.njit(cache=True, nogil=True)
def _carry_masked(carry, r, dy, b, s, zero_output):
    """Backward of a masked step's output: it copied the previous output (or was zero)."""
    for j in range(carry.shape[1]):
        carry[r, j] = 0 if zero_output else carry[r, j] + dy[b, s, j]


def _step_ref(mask, s, new, old):
    return np.where(mask[:, s, None], new, old)


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
    args = (xw, ut, h0, mask, zero_output, y, hprev, h_last, _by_length(mask))
    _run_rows(_simple_forward_rows, len(xw), *args)
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
                _copy(hprev[b, s], h[r])
                if not mask[b, s]:
                    _masked_output(y, b, s, zero_output)
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
    args = (dy, dh_last, u_mat, y, mask, zero_output, dpre, dh0, _by_length(mask))
    _run_rows(_simple_backward_rows, len(dy), *args)
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
    _run_rows(_lstm_forward_rows, B, xw, ut, h0, c0, mask, zero_output, *outs, _by_length(mask))
    return outs


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _lstm_forward_rows(
    xw, ut, h0, c0, mask, zero_output, y, hprev, cprev, act, tc, h_last, c_last, order, b0, b1
):
    T, G = xw.shape[1], xw.shape[2]
    u = G // 4
    z = np.empty((4, G), xw.dtype)
    h = np.empty((4, u), xw.dtype)
    c = np.empty((4, u), xw.dtype)
    for i0 in range(b0, b1, 4):
        nr = min(4, b1 - i0)
        rows = order[i0 : i0 + nr]
        _gather_rows(h, h0, rows)
        _gather_rows(c, c0, rows)
        for s in range(T):
            if _any_active(mask, rows, s):
                _matmul_nt(h, 0, 0, nr, ut, z)
            for r in range(nr):
                b = rows[r]
                _copy(hprev[b, s], h[r])
                _copy(cprev[b, s], c[r])
                if not mask[b, s]:
                    _masked_output(y, b, s, zero_output)
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
    _run_rows(_lstm_backward_rows, len(dy), *args, _by_length(mask))
    return dpre, dh0, dc0


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _lstm_backward_rows(
    dy, dh_last, dc_last, u_mat, cprev, act, tc, mask, zero_output, dpre, dh0, dc0, order, b0, b1
):
    T, u = dy.shape[1], dy.shape[2]
    one = np.ones(1, dy.dtype)[0]
    dz = np.zeros((4, 4 * u), dy.dtype)
    dh = np.empty((4, u), dy.dtype)
    dc = np.empty((4, u), dy.dtype)
    carry = np.empty((4, u), dy.dtype)
    dhp = np.empty((4, u), dy.dtype)
    for i0 in range(b0, b1, 4):
        nr = min(4, b1 - i0)
        rows = order[i0 : i0 + nr]
        _gather_rows(dh, dh_last, rows)
        _gather_rows(dc, dc_last, rows)
        _zero(carry.reshape(-1))
        for s in range(T - 1, -1, -1):
            for r in range(nr):
                b = rows[r]
                if not mask[b, s]:
                    _carry_masked(carry, r, dy, b, s, zero_output)
                    _zero(dz[r])
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
    _run_rows(_gru_forward_rows, B, xw, ut, brec, h0, mask, zero_output, *outs, _by_length(mask))
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
                _copy(hprev[b, s], h[r])
                if not mask[b, s]:
                    _masked_output(y, b, s, zero_output)
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
    _run_rows(_gru_backward_rows, len(dy), *args, _by_length(mask))
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
                _copy(hprev[b, s], h[r])
                if not mask[b, s]:
                    _masked_output(y, b, s, zero_output)
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
