"""What the recurrent kernels of `rnn_simple.py`, `rnn_lstm.py` and `rnn_gru.py` share.

The gate activations (`_sigmoid`, `_tanh`: a vectorizable polynomial exp for float32), the
blocked recurrent product `_matmul_nt`, and the scaffold of every whole-sequence kernel: blocks
of batch rows handed to threads (`_run_rows`, longest rows first with `_run_by_length`), groups
of 4 rows gathered from and scattered back to the full arrays, and Keras's masking rule (a masked
step keeps the states and repeats the previous output, or zeros) forward (`_enter_step`) and
backward (`_carry_masked`). See `rnn.py` for the layout and the measurements behind the design.
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
# helpers called only from other kernels: no CPython or C entry points to generate, which cut
# the LSTM forward's cold compile (with its helpers) from about 2.5 to 2.0 s of CPU; a helper
# so compiled cannot be called from Python
_INNER = {"cache": True, "nogil": True, "no_cpython_wrapper": True, "no_cfunc_wrapper": True}

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


@numba.njit(**_INNER, **_JIT)
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


@numba.njit(**_INNER, **_JIT)
def _matmul_nt(a, a_off, i0, nr, b, out):
    """out[r, j] = sum_k a[i0 + r, a_off + k] * b[j, k] for r < nr <= 4, j < len(b).

    Four rows of `a` share each row of `b` (4x2 register blocking); both are read along k.
    """
    n, kk = b.shape
    if n == 0:
        return
    out[0, 0] = 0  # a zero of out's dtype without np.zeros (one numba function fewer to compile)
    zero = out[0, 0]
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


def _run_rows(kernel, batch, *args, scratch=()):
    """Calls `kernel(*args, *buffers, b0, b1)` on blocks of rows (multiples of 4) on the kernel
    threads (`threads.run_blocks`), at least two groups of 4 rows per thread, 4 blocks per
    thread. `scratch`: the (shape, dtype) of each block's own uninitialised buffers (a kernel
    that made them with np.empty would compile numba's np.empty in every process: ~0.1 s of a
    first run's CPU, each process)."""
    n = min(threads.num_threads(), batch // 8)

    def block(b0, b1):
        kernel(*args, *[np.empty(shape, dtype) for shape, dtype in scratch], b0, b1)

    threads.run_blocks(block, batch, n, per_thread=4, multiple=4)


def _run_by_length(kernel, mask, *args, scratch=()):
    """`_run_rows` for the kernels that take their rows longest first: `_by_length(mask)` is
    passed after `args` as the row order."""
    _run_rows(kernel, len(mask), *args, _by_length(mask), scratch=scratch)


def _check(xw, state, mask, units, gates):
    B, T, G = xw.shape
    if G != gates * units or state.shape != (B, units) or mask.shape != (B, T):
        raise ValueError(
            f"rnn kernel: inconsistent shapes xw {xw.shape}, state {state.shape}, mask "
            f"{mask.shape} for {units} units and {gates} gate blocks."
        )


@numba.njit(**_INNER)
def _copy(dst, src):
    # explicit loops: numba's slice assignment compiles several seconds slower
    for j in range(dst.shape[0]):
        dst[j] = src[j]


@numba.njit(**_INNER)
def _zero(dst):
    for j in range(dst.shape[0]):
        dst[j] = 0


@numba.njit(**_INNER)
def _rows_in(block, full, i0, nr):
    """block[r] = full[i0 + r] for r < nr."""
    for r in range(nr):
        _copy(block[r], full[i0 + r])


@numba.njit(**_INNER)
def _rows_out(full, block, i0, nr):
    for r in range(nr):
        _copy(full[i0 + r], block[r])


@numba.njit(**_INNER)
def _gather_rows(block, full, rows):
    """block[r] = full[rows[r]]."""
    for r in range(rows.shape[0]):
        _copy(block[r], full[rows[r]])


@numba.njit(**_INNER)
def _scatter_rows(full, block, rows):
    for r in range(rows.shape[0]):
        _copy(full[rows[r]], block[r])


@numba.njit(**_INNER)
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


@numba.njit(**_INNER)
def _masked_output(y, b, s, zero_output):
    """Keras's output at a masked step: the previous output, or zeros."""
    if zero_output or s == 0:
        _zero(y[b, s])
    else:
        _copy(y[b, s], y[b, s - 1])


@numba.njit(**_INNER)
def _enter_step(y, hprev, h, r, b, s, mask, zero_output):
    """Forward scaffold of row b (row r of its group) at step s: records the state before the
    step in `hprev` and, at a masked step, writes Keras's output there (the previous output, or
    zeros). Returns whether the step is unmasked, i.e. whether the kernel computes it."""
    _copy(hprev[b, s], h[r])
    if mask[b, s]:
        return True
    _masked_output(y, b, s, zero_output)
    return False


@numba.njit(**_INNER)
def _carry_masked(carry, r, dy, b, s, zero_output):
    """Backward of a masked step's output: it copied the previous output (or was zero)."""
    for j in range(carry.shape[1]):
        carry[r, j] = 0 if zero_output else carry[r, j] + dy[b, s, j]


def _step_ref(mask, s, new, old):
    return np.where(mask[:, s, None], new, old)


@numba.njit(**_INNER)
def page_placed(x, anchor, offsets, sizes):
    """Four 1-D arrays of `x`'s dtype and `sizes` elements, carved from one allocation so that
    array k starts at byte address `anchor + offsets[k]` modulo 4 KB (`anchor` an address, 0
    for page starts). The recurrent inference kernels place their work arrays this way: where
    a loop's loads and stores fall within a page decides whether the loads wait on unrelated
    stores (4K aliasing; see `rnn_infer._work_arrays`)."""
    item = x.itemsize
    page = 4096 // item
    buf = np.empty(sizes[0] + sizes[1] + sizes[2] + sizes[3] + 5 * page, x.dtype)
    base = buf.ctypes.data // item
    out = []
    at = 0
    for k in range(4):
        want = (anchor + offsets[k]) // item % page  # the wanted start, modulo a page
        at += (want - (base + at) % page + page) % page
        out.append(buf[at : at + sizes[k]])
        at += sizes[k]
    return out[0], out[1], out[2], out[3]
