"""Inference-only LSTM forward on several threads, split by units (the gate columns).

`rnn_infer.lstm_infer` on n threads deals the batch rows out: each thread multiplies `(B / n,
F + u) @ (F + u, 4u)` per step, a thin product that BLAS runs well below its one-thread speed
(the lstm workload on two threads: 64 rows -> two products of 32 rows per step). Here every
thread takes all the rows and its own share of the units instead: thread t owns units `[j0,
j1)` and the four gate columns of each (`wu`'s columns `g * u + j`, copied side by side), so its
product is `(B, F + u) @ (F + u, 4 (j1 - j0))`, and it alone updates those units' `c`, `h` and
outputs. The next step needs every unit's `h`: the threads meet once per step.

The meeting: `[x_s, h]` is double-buffered (`hx[s % 2]` read at step s, `hx[(s + 1) % 2]`
written), each thread copies its share of the next input columns and its units' `h` into the
next buffer, then publishes `flags[t] = s + 2` (a release store) and waits until every flag is
at least `s + 2` (acquire loads). A thread that passed step s's
meeting knows every thread finished step s, reading of `hx[s % 2]` included, so writing it at
step s + 1 is safe: one meeting per step. The threads are the caller's plus `n - 1` threads
started for the call (not the shared pool, whose blocks may run one after another, which would
never meet); the kernels release the GIL.

Numerics: the same gate formulas as `rnn_infer`; each `z` value is the dot product of the same
row and column (BLAS may group its terms differently for another column count), so results
agree with `lstm_infer_ref` to float32 rounding.
"""

import ctypes
import functools
import threading

import llvmlite.ir as ir
import numba
import numpy as np
from numba.core import types
from numba.extending import intrinsic

from . import blas, threads
from .rnn_common import FASTMATH, _by_length, _sigmoid, _tanh, page_placed
from .spin import _load_acquire, _store_release


@intrinsic
def _call_void(typingctx, address):
    """Calls the C function `int f(void)` at `address` (an integer), ignoring its result."""
    if not isinstance(address, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        fnty = ir.FunctionType(ir.IntType(32), [])
        a = context.cast(builder, args[0], signature.args[0], types.int64)
        builder.call(builder.inttoptr(a, fnty.as_pointer()), [])
        return context.get_dummy_value()

    return types.none(address), codegen


@functools.cache
def _sched_yield_address():
    """Address of libc's `sched_yield`, or 0 where there is none."""
    try:
        return ctypes.cast(ctypes.CDLL(None).sched_yield, ctypes.c_void_p).value or 0
    except (OSError, AttributeError):
        return 0


SPINS = 2000  # polls of a flag before each wait also yields the CPU (sched_yield)


@numba.njit(cache=True, nogil=True)
def _meet(flags, me, target, yield_address):
    """Publish that thread `me` reached `target`, then wait until every thread has: poll, and
    after `SPINS` polls give the CPU away between polls (a thread that waits for another one
    the OS has descheduled must not hold the core it needs)."""
    _store_release(flags, me, target)
    for t in range(flags.shape[0]):
        polls = 0
        while _load_acquire(flags, t) < target:
            polls += 1
            if polls > SPINS and yield_address != 0:
                _call_void(yield_address)


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _lstm_units(
    x,
    w,
    bias,
    h0,
    c0,
    mask,
    zero_output,
    rows,
    y,
    h_last,
    c_last,
    address,
    units,
    cols,
    hx,
    flags,
    me,
    yield_address,
    offsets,
):
    """Thread `me`'s part: units `units[0]:units[1]` (their gate columns are `w (F + u, 4 n_u)`
    and `bias (4 n_u,)`, gate-major), input columns `cols[0]:cols[1]` copied into the buffers."""
    T, F = x.shape[1], x.shape[2]
    j0, j1 = units[0], units[1]
    nu = j1 - j0
    k0, k1 = cols[0], cols[1]
    nb = rows.shape[0]
    seq = y.shape[1] == T
    sizes = np.array([nb * nu, nb * nu, nb * 4 * nu, 0], np.int64)
    c, prev, z, _ = page_placed(x, hx.ctypes.data, offsets, sizes)
    c, prev, z = c.reshape((nb, nu)), prev.reshape((nb, nu)), z.reshape((nb, 4 * nu))
    prev[:] = 0
    first = hx[0]
    for r in range(nb):
        b = rows[r]
        for j in range(nu):
            first[r, F + j0 + j] = h0[b, j0 + j]
            c[r, j] = c0[b, j0 + j]
        for k in range(k0, k1):
            first[r, k] = x[b, 0, k]
    _meet(flags, me, 1, yield_address)
    for s in range(T):
        cur, nxt = hx[s % 2], hx[(s + 1) % 2]
        active = 0  # rows[:active] hold every row unmasked at step s
        for r in range(nb):
            if mask[rows[r], s]:
                active = r + 1
        if active > 0 and nu > 0:
            blas.gemm(address, active, 4 * nu, cur.shape[1], cur, w, z)
        for r in range(nb):
            b = rows[r]
            if r >= active or not mask[b, s]:
                for j in range(nu):  # the state is kept
                    nxt[r, F + j0 + j] = cur[r, F + j0 + j]
                if zero_output:
                    for j in range(nu):
                        prev[r, j] = 0
            else:
                for j in range(nu):
                    ig = _sigmoid(z[r, j] + bias[j])
                    fg = _sigmoid(z[r, nu + j] + bias[nu + j])
                    gg = _tanh(z[r, 2 * nu + j] + bias[2 * nu + j])
                    og = _sigmoid(z[r, 3 * nu + j] + bias[3 * nu + j])
                    cn = fg * c[r, j] + ig * gg
                    hn = og * _tanh(cn)
                    c[r, j] = cn
                    nxt[r, F + j0 + j] = hn
                    prev[r, j] = hn
            if seq:
                for j in range(nu):
                    y[b, s, j0 + j] = prev[r, j]
            if s + 1 < T:
                for k in range(k0, k1):
                    nxt[r, k] = x[b, s + 1, k]
        _meet(flags, me, s + 2, yield_address)
    last = hx[T % 2]
    for r in range(nb):
        b = rows[r]
        for j in range(nu):
            h_last[b, j0 + j] = last[r, F + j0 + j]
            c_last[b, j0 + j] = c[r, j]
            if not seq:
                y[b, 0, j0 + j] = prev[r, j]


def _prepare(x, wu, bias, h0, c0, mask, return_sequences, n):
    """The outputs, buffers and each thread's `(w, bias, units, cols)` for `n` threads."""
    B, T, F = x.shape
    u = h0.shape[1]
    y = np.empty((B, T if return_sequences else 1, u), x.dtype)
    h_last, c_last = np.empty_like(h0), np.empty_like(c0)
    hx = np.zeros((2, B, F + u), x.dtype)
    unit_cuts = np.linspace(0, u, n + 1).astype(np.int64)
    col_cuts = np.linspace(0, F, n + 1).astype(np.int64)
    parts = []
    for t in range(n):
        j0, j1 = unit_cuts[t], unit_cuts[t + 1]
        gates = [slice(g * u + j0, g * u + j1) for g in range(4)]  # slices copy fast; a
        parts.append(  # gather of these columns took 0.45 ms per call (two threads)
            (
                np.concatenate([wu[:, g] for g in gates], axis=1),
                np.concatenate([bias[g] for g in gates]),
                np.array([j0, j1], np.int64),
                np.array([col_cuts[t], col_cuts[t + 1]], np.int64),
            )
        )
    return y, h_last, c_last, hx, parts


# byte offsets of each thread's c, prev and z from the shared hx buffer, modulo 4 KB (as
# `rnn_infer._work_arrays`'s). Allocated with `np.empty` by both threads at once, these arrays
# sat side by side in the heap: lstm workload, two threads, kernel 11.8-12.4 -> 8.3-8.9 ms
OFFSETS = np.array([2048, 1024, 3072, 0], np.int64)


def _run_part(t, x, h0, c0, mask, zero_output, rows, out, hx, part, flags, address, pause):
    """Thread `t`'s call of `_lstm_units`; `out` is `(y, h_last, c_last)`, `part` its
    `(w, bias, units, cols)`."""
    w, b, units, cols = part
    args = (x, w, b, h0, c0, mask, zero_output, rows, *out, address, units, cols, hx, flags)
    _lstm_units(*args, t, pause, OFFSETS)


_compiled = set()  # dtypes whose kernel this process has run once on one thread


def _once(dtype):
    """Runs the kernel once on one thread and tiny arrays of `dtype` (a cache load, or the
    compile), so that the threads never ask numba for it at the same time: a thread that
    failed there would leave the others waiting at their first meeting."""
    if dtype in _compiled:
        return
    x, h = np.zeros((1, 1, 1), dtype), np.zeros((1, 1), dtype)
    wu, bias, mask = np.zeros((2, 4), dtype), np.zeros(4, dtype), np.ones((1, 1), bool)
    y, h_last, c_last, hx, parts = _prepare(x, wu, bias, h, h, mask, False, 1)
    rows, flags = np.zeros(1, np.int64), np.zeros(1, np.int64)
    out = (y, h_last, c_last)
    _run_part(0, x, h, h, mask, False, rows, out, hx, parts[0], flags, 0, 0)
    _compiled.add(dtype)


def lstm_infer_split(x, wu, bias, h0, c0, mask, zero_output, return_sequences, n_threads):
    """`rnn_infer.lstm_infer` on `n_threads` threads split by units (see the module notes).

    Same arguments and returns as `rnn_infer.lstm_infer`; `n_threads` >= 2 and at most the
    number of units. Needs BLAS (`blas.gemm_address`): the caller checks. An exception in one
    thread releases the others and is raised here.
    """
    B, T, F = x.shape
    u = h0.shape[1]
    if wu.shape != (F + u, 4 * u) or bias.shape != (4 * u,) or mask.shape != (B, T):
        raise ValueError(
            f"lstm_infer_split: inconsistent shapes x {x.shape}, wu {wu.shape}, bias "
            f"{bias.shape}, state {h0.shape}, mask {mask.shape}."
        )
    n = int(n_threads)
    if not 2 <= n <= u:
        raise ValueError(f"lstm_infer_split: n_threads must be in [2, {u}]. Received: {n}")
    if T == 0:
        raise ValueError("lstm_infer_split: the sequence has no step.")
    _once(x.dtype)
    y, h_last, c_last, hx, parts = _prepare(x, wu, bias, h0, c0, mask, return_sequences, n)
    x = np.ascontiguousarray(x)
    rows, flags = _by_length(mask), np.zeros(n, np.int64)
    address, pause = blas.gemm_address(x.dtype), _sched_yield_address()
    errors = []

    def run(t):
        try:
            out = (y, h_last, c_last)
            _run_part(
                t, x, h0, c0, mask, zero_output, rows, out, hx, parts[t], flags, address, pause
            )
        except BaseException as e:  # release the others: they wait for this thread's flag
            errors.append(e)
            flags[:] = np.iinfo(np.int64).max

    # each part on its own thread at the same time (the parts meet every step): minikeras's
    # pool when it is free (one `work()` call per thread, each taking the next part), else
    # threads started for this call (starting them costs 0.1-0.15 ms)
    parts_left = iter(range(n))
    take = threading.Lock()

    def work():
        with take:
            t = next(parts_left)
        run(t)

    if not threads.run_together(work, n):
        helpers = [threading.Thread(target=run, args=(t,), daemon=True) for t in range(1, n)]
        for h in helpers:
            h.start()
        run(0)
        for h in helpers:
            h.join()
    if errors:
        raise errors[0]
    return (y if return_sequences else y[:, 0]), h_last, c_last
