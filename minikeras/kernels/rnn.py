"""Whole-sequence recurrent kernels (SimpleRNN, LSTM, GRU): forward and backprop through time.

This module gathers them under one name (`kernels.load("rnn")`); they live in `rnn_simple.py`,
`rnn_lstm.py` and `rnn_gru.py`, each beside its numpy reference (`*_ref`), and share the
scaffold of `rnn_common.py` (activations, the recurrent product, row blocks on threads, gather
and scatter of row groups, Keras's masking rule).

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

Inference (`predict`, `no_grad`) takes `rnn_infer.lstm_infer` for the LSTM instead: it keeps
nothing for a backward pass and makes each step one BLAS product of `[x_s, h]`, numpy's own
OpenBLAS called from numba (`blas.py`), which measured 89-98 GFLOP/s for the lstm workload's
per-step products where `_matmul_nt` reaches ~75 (the training kernels were not re-measured
with it).

float32 gates use `_exp32`, a polynomial exp that LLVM vectorizes (scalar libm tanhf/expf cost
20/5 ns here and would dominate); its relative error is ~2e-7 (1-3 ulp). float64 uses libm.
"""

from . import threads  # noqa: F401 (the kernels' thread runtime, which the tests set)
from .rnn_common import _by_length, gate_activations, gate_activations_ref  # noqa: F401
from .rnn_gru import (
    gru_backward,
    gru_backward_ref,
    gru_forward,
    gru_forward_ref,
    gru_v1_backward,
    gru_v1_backward_ref,
    gru_v1_forward,
    gru_v1_forward_ref,
)
from .rnn_infer import lstm_infer, lstm_infer_ref
from .rnn_lstm import lstm_backward, lstm_backward_ref, lstm_forward, lstm_forward_ref
from .rnn_simple import (
    simple_rnn_backward,
    simple_rnn_backward_ref,
    simple_rnn_forward,
    simple_rnn_forward_ref,
)

__all__ = [
    "gate_activations",
    "gate_activations_ref",
    "gru_backward",
    "gru_backward_ref",
    "gru_forward",
    "gru_forward_ref",
    "gru_v1_backward",
    "gru_v1_backward_ref",
    "gru_v1_forward",
    "gru_v1_forward_ref",
    "lstm_backward",
    "lstm_backward_ref",
    "lstm_forward",
    "lstm_forward_ref",
    "lstm_infer",
    "lstm_infer_ref",
    "simple_rnn_backward",
    "simple_rnn_backward_ref",
    "simple_rnn_forward",
    "simple_rnn_forward_ref",
]
