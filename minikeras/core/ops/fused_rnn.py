"""Whole-sequence SimpleRNN/LSTM/GRU ops: one autodiff node per layer call.

The `SimpleRNN`, `LSTM` and `GRU` layers call these (`_fused_call`) when their cell uses the
default activations; these are internal ops, not `keras.ops` names.

`x @ kernel` for all steps is one BLAS matmul; the time loop forward and backward (BPTT) runs in
the numba kernels of `minikeras.kernels.rnn`; the weight and input gradients are BLAS matmuls
over all steps at once. The op's output packs `(batch, T + n_states, units)`: the output sequence
(in processing order, as Keras returns it) followed by the final states; the layer slices it.
"""

import numpy as np

from ...kernels import load as load_kernels
from ..autodiff import records
from ..tensor import Tensor
from ._base import _CONST
from .linalg import gemm


class _Kernels:
    """`minikeras.kernels.rnn`, imported on first use so that importing minikeras loads no numba."""

    def __getattr__(self, name):
        return getattr(load_kernels("rnn"), name)


kernels = _Kernels()


def _inputs(x, kernel, go_backwards):
    """`x` in processing order as a (B*T, F) array, and `x @ kernel` as (B, T, G)."""
    a = x.data[:, ::-1] if go_backwards else x.data
    batch, steps, features = a.shape
    x2 = np.ascontiguousarray(a).reshape(batch * steps, features)
    xw = gemm(x2, kernel.data).reshape(batch, steps, -1)
    return x2, xw


def _c(a):
    return np.ascontiguousarray(a)


def _mask(mask, batch, steps, go_backwards):
    if mask is None:
        return np.ones((batch, steps), dtype=bool)
    return np.ascontiguousarray(mask[:, ::-1] if go_backwards else mask)


def _input_grad(x, kernel, d2, go_backwards):
    """The gradient of x from `d2`, that of `x @ kernel` as (B * T, G)."""
    if not x.requires_grad:
        return None
    dx = gemm(d2, kernel.data.T).reshape(x.shape)
    return np.ascontiguousarray(dx[:, ::-1]) if go_backwards else dx


def _weight_grads(x2, kernel, h2, recurrent_kernel, d2):
    """`x2^T d2` and `h2^T d2`, the kernels' gradients: one GEMM when both are needed."""
    if kernel.requires_grad and recurrent_kernel.requires_grad:
        both = gemm(np.concatenate([x2, h2], axis=1).T, d2)
        return both[: x2.shape[1]], both[x2.shape[1] :]
    dkernel = gemm(x2.T, d2) if kernel.requires_grad else None
    return dkernel, (gemm(h2.T, d2) if recurrent_kernel.requires_grad else None)


def _dense_grads(x, x2, kernel, hprev, recurrent_kernel, bias, dpre, go_backwards):
    """dx, dkernel, drecurrent, dbias when the pre-activations are x @ W + h_prev @ U + b."""
    d2 = dpre.reshape(-1, dpre.shape[-1])
    h2 = hprev.reshape(d2.shape[0], -1)
    dkernel, drec = _weight_grads(x2, kernel, h2, recurrent_kernel, d2)
    dbias = d2.sum(axis=0) if bias is not None else None
    return _input_grad(x, kernel, d2, go_backwards), dkernel, drec, dbias


def _outputs(packed, steps, n_states, return_sequences):
    """(last output, sequence or None, [final states]) sliced from the op's packed output."""
    sequence = packed[:, :steps] if return_sequences else None
    states = [packed[:, steps + k] for k in range(n_states)]
    return packed[:, steps - 1], sequence, states


def _pack(y, states):
    batch, steps, units = y.shape
    out = np.empty((batch, steps + len(states), units), y.dtype)
    out[:, :steps] = y
    for k, s in enumerate(states):
        out[:, steps + k] = s
    return out


def _split(dout, steps, n_states):
    dy = np.ascontiguousarray(dout[:, :steps])
    return dy, [np.ascontiguousarray(dout[:, steps + k]) for k in range(n_states)]


def simple_rnn(
    x, kernel, recurrent_kernel, bias, states, mask, go_backwards, zero_output, return_sequences
):
    """SimpleRNN over a whole (B, T, F) sequence; `states` = [h0]."""
    (h0,) = states
    batch, steps = x.shape[:2]
    x2, xw = _inputs(x, kernel, go_backwards)
    if bias is not None:
        xw += bias.data
    m = _mask(mask, batch, steps, go_backwards)
    u = _c(recurrent_kernel.data)
    y, hprev, h_last = kernels.simple_rnn_forward(
        xw, np.ascontiguousarray(u.T), _c(h0.data), m, zero_output
    )

    def backward(dout):
        dy, (dh,) = _split(dout, steps, 1)
        dpre, dh0 = kernels.simple_rnn_backward(dy, dh, u, y, m, zero_output)
        grads = _dense_grads(x, x2, kernel, hprev, recurrent_kernel, bias, dpre, go_backwards)
        return (*grads, dh0)

    parents = (x, kernel, recurrent_kernel, bias if bias is not None else _CONST, h0)
    packed = Tensor.from_op(_pack(y, [h_last]), parents, backward, "simple_rnn")
    return _outputs(packed, steps, 1, return_sequences)


def _lstm_infer(x, kernel, recurrent_kernel, bias, states, mask, go_backwards, zero_output, seq):
    """The LSTM without backward bookkeeping (`kernels/rnn_infer.py`): constant Tensors."""
    h0, c0 = states
    batch, steps = x.shape[:2]
    a = np.ascontiguousarray(x.data[:, ::-1] if go_backwards else x.data)
    wu = np.concatenate([kernel.data, recurrent_kernel.data])
    b = bias.data if bias is not None else np.zeros(wu.shape[1], wu.dtype)
    m = _mask(mask, batch, steps, go_backwards)
    y, h, c = kernels.lstm_infer(a, wu, b, _c(h0.data), _c(c0.data), m, zero_output, seq)
    last = Tensor(y[:, -1] if seq else y)
    return last, (Tensor(y) if seq else None), [Tensor(h), Tensor(c)]


def _infers(x, kernel, recurrent_kernel, bias, h0, c0):
    """Whether the inference kernel runs: nothing is recorded, one float32/float64 dtype, and
    numpy's BLAS has the gemm the kernel calls (`kernels/blas.py`; otherwise the recording path,
    which needs no BLAS inside numba, is faster)."""
    arrays = [t.data for t in (x, kernel, recurrent_kernel, h0, c0)]
    arrays += [bias.data] if bias is not None else []
    dtype = x.data.dtype
    if dtype not in (np.float32, np.float64) or any(a.dtype != dtype for a in arrays):
        return False
    return load_kernels("blas").gemm_address(dtype) != 0


def lstm(
    x, kernel, recurrent_kernel, bias, states, mask, go_backwards, zero_output, return_sequences
):
    """LSTM over a whole (B, T, F) sequence; `states` = [h0, c0].

    When no gradient is recorded (`predict`, `no_grad`, constant inputs) the inference kernel
    runs: the same outputs, nothing kept for a backward pass."""
    h0, c0 = states
    parents = (x, kernel, recurrent_kernel, bias if bias is not None else _CONST, h0, c0)
    if not records(*parents) and _infers(x, kernel, recurrent_kernel, bias, h0, c0):
        args = (mask, go_backwards, zero_output, return_sequences)
        return _lstm_infer(x, kernel, recurrent_kernel, bias, states, *args)
    batch, steps = x.shape[:2]
    x2, xw = _inputs(x, kernel, go_backwards)
    if bias is not None:
        xw += bias.data
    m = _mask(mask, batch, steps, go_backwards)
    u = _c(recurrent_kernel.data)
    y, hprev, cprev, act, tc, h_last, c_last = kernels.lstm_forward(
        xw, np.ascontiguousarray(u.T), _c(h0.data), _c(c0.data), m, zero_output
    )

    def backward(dout):
        dy, (dh, dc) = _split(dout, steps, 2)
        dpre, dh0, dc0 = kernels.lstm_backward(dy, dh, dc, u, cprev, act, tc, m, zero_output)
        grads = _dense_grads(x, x2, kernel, hprev, recurrent_kernel, bias, dpre, go_backwards)
        return (*grads, dh0, dc0)

    packed = Tensor.from_op(_pack(y, [h_last, c_last]), parents, backward, "lstm")
    return _outputs(packed, steps, 2, return_sequences)


def gru(
    x,
    kernel,
    recurrent_kernel,
    bias,
    states,
    mask,
    go_backwards,
    zero_output,
    return_sequences,
    reset_after=True,
):
    """GRU over a whole (B, T, F) sequence; `states` = [h0]. `bias` is (2, 3u) when
    `reset_after` (input and recurrent bias rows), else (3u,)."""
    (h0,) = states
    batch, steps = x.shape[:2]
    x2, xw = _inputs(x, kernel, go_backwards)
    u = _c(recurrent_kernel.data)
    units = u.shape[0]
    if bias is not None:
        xw += bias.data[0] if reset_after else bias.data
    m = _mask(mask, batch, steps, go_backwards)
    if reset_after:
        brec = bias.data[1] if bias is not None else np.zeros(3 * units, x.dtype)
        y, hprev, act, hn, h_last = kernels.gru_forward(
            xw, np.ascontiguousarray(u.T), brec, _c(h0.data), m, zero_output
        )
    else:
        u_zr, u_h = _c(u[:, : 2 * units]), _c(u[:, 2 * units :])
        y, hprev, act, h_last = kernels.gru_v1_forward(
            xw, _c(u_zr.T), _c(u_h.T), _c(h0.data), m, zero_output
        )

    def backward(dout):
        dy, (dh,) = _split(dout, steps, 1)
        n = batch * steps
        h2 = hprev.reshape(n, units)
        if reset_after:
            dxw, drec_pre, dh0 = kernels.gru_backward(dy, dh, u, hprev, act, hn, m, zero_output)
            r2 = drec_pre.reshape(n, -1)
            drec = h2.T @ r2 if recurrent_kernel.requires_grad else None
            dbias = None
            if bias is not None:
                dbias = np.stack([dxw.reshape(n, -1).sum(axis=0), r2.sum(axis=0)])
        else:
            dxw, dh0 = kernels.gru_v1_backward(dy, dh, u_zr, u_h, hprev, act, m, zero_output)
            d2 = dxw.reshape(n, -1)
            drec = None
            if recurrent_kernel.requires_grad:
                rh = act[:, :, units : 2 * units].reshape(n, units) * h2  # r * h_prev
                drec = np.concatenate([h2.T @ d2[:, : 2 * units], rh.T @ d2[:, 2 * units :]], 1)
            dbias = d2.sum(axis=0) if bias is not None else None
        dx2 = dxw.reshape(n, -1)
        dkernel = x2.T @ dx2 if kernel.requires_grad else None
        return _input_grad(x, kernel, dx2, go_backwards), dkernel, drec, dbias, dh0

    parents = (x, kernel, recurrent_kernel, bias if bias is not None else _CONST, h0)
    packed = Tensor.from_op(_pack(y, [h_last]), parents, backward, "gru")
    return _outputs(packed, steps, 1, return_sequences)
