"""Inference-only LSTM forward: no states or gates kept for a backward pass.

`lstm_forward` (rnn_lstm.py) keeps what backprop through time needs (the states before each step,
the activated gates, tanh(c)) and takes `x @ kernel` precomputed for all steps. When no gradient
is wanted (`predict`, `no_grad`) none of that is needed, and this kernel does less:

* per step, one BLAS product `[x_s, h] @ [kernel; recurrent_kernel]` of the rows still active,
  called from numba through numpy's own OpenBLAS (`blas.gemm`, no Python per step): the input
  projection is done step by step too, so the (B, T, 4u) `x @ kernel` array (10 MB for the lstm
  workload) is never written and read back, and masked steps at the end of post-padded
  sequences cost nothing;
* rows are taken longest first (`_by_length`): at step s only the first `n_s` rows that still have
  an unmasked step are multiplied (with any other mask the rows in between are computed and
  their results dropped, so every mask gives Keras's answer);
* only the outputs are written: the whole sequence with `return_sequences`, else the last output;
* on several threads the units are split (`rnn_infer_split.py`: each thread multiplies all the
  rows by its units' gate columns and the threads meet once per step) when every thread gets at
  least `SPLIT_UNITS_MIN` units; otherwise the rows are dealt out (below).

The op (`core/ops/fused_rnn.lstm`) runs it only when `blas.gemm_address` found numpy's gemm;
without it (`blas.gemm`'s plain loop) the recording kernels are faster.

Measured on the lstm workload's LSTM(128) on (64, 80, 128) with 30 % short reviews (1.17 GFLOP
of products after the skipped padding), kernel only, min of interleaved runs on the shared 2-core
EPYC: one thread 14.7-15.7 ms (the products 13.1 ms, ~89 GFLOP/s; the gates 2.0 ms) against
20.3-20.6 ms for `x @ kernel` + `lstm_forward`; two threads (rows dealt round-robin, a
(32, 256) @ (256, 512) product per thread and step) 11.1 against 14.9 ms. Those figures were
from processes where the kernel's arrays happened to sit well within their pages: in most
processes (a fresh heap) the gate loop's loads waited on its stores through 4K aliasing and
the kernel took 27-34 ms (`_work_arrays` now places them; 13.8-14.2 ms with the workload's
masks, 16.3-17 ms without, in every process).
"""

import numba
import numpy as np

from . import blas, threads
from .rnn_common import FASTMATH, _by_length, _sigmoid, _sigmoid_np, _step_ref, _tanh, page_placed

# several threads split the units (rnn_infer_split.py) when each gets at least this many (and
# the batch has at least SPLIT_ROWS_MIN rows); otherwise the rows are dealt out
SPLIT_UNITS_MIN = 32
SPLIT_ROWS_MIN = 16


# byte offsets within a 4 KB page of the kernel's arrays hx, c, prev and z (see `_work_arrays`)
_PAGE_OFFSETS = np.array([0, 2048, 1024, 3072], np.int64)


@numba.njit(cache=True, nogil=True)
def _work_arrays(x, nb, F, u):
    """The kernel's arrays hx (nb, F + u), c (nb, u), prev (nb, u) and z (nb, 4u) in `x`'s dtype,
    carved from one allocation so that each starts at its `_PAGE_OFFSETS` byte offset within a
    4 KB page.

    Where they start matters: the gate loop loads `c` (and `z`) while it stores the new `h`
    into `hx` and `prev`, and a load whose address matches, modulo 4 KB, a store still in
    flight waits for it (4K aliasing). Allocated one after another (`np.empty` four times,
    which the allocator serves from consecutive heap addresses in a fresh process) they started
    16 bytes apart within a page, and the kernel ran 2-2.4x slower than with `c` half a page
    from `hx`: lstm workload (64 rows, 128 units, 80 steps, one thread) 32-34 against 16.5-17
    ms; 64 units 9.2 against 3.8 ms; 256 units 74 against 46 ms. Which layout a process got
    depended on its allocator's history (a numba compile in the same process before the first
    call made it fast), which is why this kernel's time alternated between ~15 and ~21-33 ms
    from run to run. Offsets measured for F, u in {(128, 128), (32, 64), (64, 256), (300,
    100)}."""
    sizes = np.array([nb * (F + u), nb * u, nb * u, nb * 4 * u], np.int64)
    hx, c, prev, z = page_placed(x, 0, _PAGE_OFFSETS, sizes)
    hx, c = hx.reshape((nb, F + u)), c.reshape((nb, u))
    prev, z = prev.reshape((nb, u)), z.reshape((nb, 4 * u))
    return hx, c, prev, z


def lstm_infer_ref(x, wu, bias, h0, c0, mask, zero_output, return_sequences):
    """Reference for `lstm_infer`: gates i, f, g, o of `[x_s, h] @ wu + bias`."""
    u = h0.shape[1]
    h, c, prev = h0.copy(), c0.copy(), np.zeros_like(h0)
    ys = []
    for s in range(x.shape[1]):
        z = np.concatenate([x[:, s], h], axis=1) @ wu + bias
        i, f, o = _sigmoid_np(z[:, :u]), _sigmoid_np(z[:, u : 2 * u]), _sigmoid_np(z[:, 3 * u :])
        cn = f * c + i * np.tanh(z[:, 2 * u : 3 * u])
        hn = o * np.tanh(cn)
        h, c = _step_ref(mask, s, hn, h), _step_ref(mask, s, cn, c)
        prev = _step_ref(mask, s, hn, 0 if zero_output else prev)
        ys.append(prev)
    return (np.stack(ys, axis=1) if return_sequences else prev), h, c


def lstm_infer(x, wu, bias, h0, c0, mask, zero_output, return_sequences):
    """LSTM outputs without a backward pass's bookkeeping.

    x (B, T, F) in processing order, wu = [kernel; recurrent_kernel] (F + u, 4u), bias (4u,)
    (zeros without one), h0 and c0 (B, u), mask (B, T) bool. A masked step keeps the states and
    outputs the previous output (or zeros with `zero_output`), as Keras does.

    Returns y ((B, T, u) with `return_sequences`, else the last output (B, u)), h_last, c_last.
    """
    B, T, F = x.shape
    u = h0.shape[1]
    if wu.shape != (F + u, 4 * u) or bias.shape != (4 * u,) or mask.shape != (B, T):
        raise ValueError(
            f"lstm_infer: inconsistent shapes x {x.shape}, wu {wu.shape}, bias {bias.shape}, "
            f"state {h0.shape}, mask {mask.shape}."
        )
    y = np.empty((B, T if return_sequences else 1, u), x.dtype)
    h_last, c_last = np.empty_like(h0), np.empty_like(c0)
    address = blas.gemm_address(x.dtype)
    split = min(threads.num_threads(), u // SPLIT_UNITS_MIN)
    if split > 1 and address != 0 and B >= SPLIT_ROWS_MIN:
        from .rnn_infer_split import lstm_infer_split

        return lstm_infer_split(x, wu, bias, h0, c0, mask, zero_output, return_sequences, split)
    order = _by_length(mask)
    n = max(1, min(threads.num_threads(), B // 8))
    # one block of rows per thread, dealt round-robin so that each holds long and short rows
    blocks = [np.ascontiguousarray(order[k::n]) for k in range(n)]

    def run(k0, k1):
        for k in range(k0, k1):
            _lstm_infer_rows(
                x, wu, bias, h0, c0, mask, zero_output, blocks[k], y, h_last, c_last, address
            )

    threads.run_blocks(run, n, n, per_thread=1)
    return (y if return_sequences else y[:, 0]), h_last, c_last


@numba.njit(cache=True, nogil=True, fastmath=FASTMATH, error_model="numpy")
def _lstm_infer_rows(x, wu, bias, h0, c0, mask, zero_output, rows, y, h_last, c_last, address):
    T, F = x.shape[1], x.shape[2]
    u = h0.shape[1]
    nb = rows.shape[0]
    seq = y.shape[1] == T
    # [x_s, h] of each row (longest rows first), the cell states, the last outputs (Keras's
    # output at a masked step) and the gate products
    hx, c, prev, z = _work_arrays(x, nb, F, u)
    prev[:] = 0
    for r in range(nb):
        for j in range(u):
            hx[r, F + j] = h0[rows[r], j]
            c[r, j] = c0[rows[r], j]
    for s in range(T):
        active = 0  # rows[:active] hold every row unmasked at step s
        for r in range(nb):
            if mask[rows[r], s]:
                active = r + 1
        for r in range(active):
            for k in range(F):
                hx[r, k] = x[rows[r], s, k]
        if active > 0:
            blas.gemm(address, active, 4 * u, F + u, hx, wu, z)
        for r in range(nb):
            b = rows[r]
            if r >= active or not mask[b, s]:
                if zero_output:
                    for j in range(u):
                        prev[r, j] = 0
            else:
                for j in range(u):
                    ig = _sigmoid(z[r, j] + bias[j])
                    fg = _sigmoid(z[r, u + j] + bias[u + j])
                    gg = _tanh(z[r, 2 * u + j] + bias[2 * u + j])
                    og = _sigmoid(z[r, 3 * u + j] + bias[3 * u + j])
                    cn = fg * c[r, j] + ig * gg
                    hn = og * _tanh(cn)
                    c[r, j] = cn
                    hx[r, F + j] = hn
                    prev[r, j] = hn
            if seq:
                for j in range(u):
                    y[b, s, j] = prev[r, j]
    for r in range(nb):
        b = rows[r]
        for j in range(u):
            h_last[b, j] = hx[r, F + j]
            c_last[b, j] = c[r, j]
            if not seq:
                y[b, 0, j] = prev[r, j]
