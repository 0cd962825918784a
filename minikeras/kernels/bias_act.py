"""Fused bias add and ReLU over channels-last data viewed as `(rows, channels)`.

A convolution layer's epilogue `relu(conv + bias)` as separate numpy ops makes four passes and
three temporaries forward and backward (add, max, mask-multiply, the bias's column sum); these
loops make one pass each way. Measured on 1 thread for (64*26*26, 32) float32 (the first layer
of `benchmarks/cnn_step.py`, warm caches): forward 0.14 ms and backward 0.26 ms, against 1.0 and
2.3 ms for the numpy expressions of the references.

Threads: the loops split their rows over minikeras's threads (`threads.run_blocks`) only above
`PARALLEL_MIN` values. Handing a block to a sleeping pool thread cost about 60 us on the 2-core
machine (a thread wake-up and the GIL), more than splitting saves on the video QA model's layer
outputs (0.1 ms loops); `kernels/pool.py` uses the same bound. The pool threads now poll between
jobs (`threads.py`): the backward loop now splits from 2^19 values (`GRAD_PARALLEL_MIN`, both
models' first layers), while the forward loop measured no faster split below 2^20.
"""

import numba
import numpy as np

from . import threads


def bias_act_ref(x, bias, relu):
    """Reference for `bias_act`."""
    y = x + bias
    return np.maximum(y, 0) if relu else y


PARALLEL_MIN = 1 << 21  # values below which the loops stay on one thread (see the module notes)
# the backward loop splits from a quarter of that: two threads, polling pool (ms, one thread ->
# two): (57600, 16) 0.56 -> 0.37 and (43264, 32) 0.48 -> 0.31; (10816, 32) 0.10 -> 0.12. The
# forward loop gained nothing below ~1M values ((57600, 16) 0.17 -> 0.16, (32768, 16) 0.10 -> 0.11)
GRAD_PARALLEL_MIN = PARALLEL_MIN // 4


def bias_act(x, bias, relu):
    """y = x + bias (then max(., 0) when `relu`), per channel of x (rows, channels)."""
    y = np.empty_like(x)
    n = 1 if x.size < PARALLEL_MIN else None
    threads.run_blocks(lambda i0, i1: _bias_act_rows(x[i0:i1], bias, relu, y[i0:i1]), len(x), n)
    return y


@numba.njit(cache=True, nogil=True)
def _bias_act_rows(x, bias, relu, y):
    m, c = x.shape
    for i in range(m):
        for j in range(c):
            v = x[i, j] + bias[j]
            y[i, j] = (0 if 0 > v else v) if relu else v  # max(v, 0), without numba's max


def bias_act_grad_ref(dout, y, relu):
    """Reference for `bias_act_grad`: (dx, dbias) with dbias summed in float64."""
    dx = dout * (y > 0) if relu else dout
    return dx.astype(dout.dtype), dx.astype(np.float64).sum(axis=0)


def bias_act_grad(dout, y, relu):
    """(dx, dbias): dx = dout where y > 0 (all of dout without relu), dbias = column sums
    (accumulated in float64)."""
    dx = np.empty_like(dout)

    def rows(i0, i1):
        db = np.zeros(dout.shape[1], np.float64)
        _bias_act_grad_rows(dout[i0:i1], y[i0:i1], relu, dx[i0:i1], db)
        return db

    parts = threads.run_blocks(rows, len(dout), 1 if dout.size < GRAD_PARALLEL_MIN else None)
    return dx, sum(parts[1:], parts[0])


@numba.njit(cache=True, nogil=True)
def _bias_act_grad_rows(dout, y, relu, dx, db):
    m, c = dout.shape
    for i in range(m):
        for j in range(c):
            g = dout[i, j] if (not relu or y[i, j] > 0) else 0
            dx[i, j] = g
            db[j] += g
