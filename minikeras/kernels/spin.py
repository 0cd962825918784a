"""Polling waits for the kernel thread pool (`threads.py`), compiled without the GIL.

`wait_at_least(flags, first, last, value, spins)` reads `flags[first:last]` until every entry is
at least `value`, up to `spins` times, with a CPU pause between reads. The pool's threads call it
to wait for the next job, and the caller to wait for the pool, before falling back to sleeping on
a condition variable. The atomic primitives on int64 flags (`_load_acquire`, `_store_release`,
`_swap_if`) serve the other kernels that threads coordinate through: the posted products
(`pool_gemm.py`) and the unit-split LSTM (`rnn_infer_split.py`).

Why poll: waking a sleeping thread costs a futex wake, and on the 2-core benchmark VM, whose idle
vCPUs halt at once, that measured about 30 us per wake, so handing a block to a sleeping pool
thread and being told it finished cost 60-100 us per parallel region. A thread that is polling
sees the new job within a microsecond. The poll is bounded (`threads.SPIN_SECONDS`) so that an
idle pool stops using the CPU soon after the last job.

The loads are atomic acquire loads: a plain load in a loop with no other effect may be hoisted
out of it by the compiler, and the loop would never see the new value.
"""

import platform
import time

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

# the spin-wait hint of the machine this compiles on, as an LLVM intrinsic (numba's LLVM has no
# inline-assembly parser); cached code is per machine anyway
_X86 = platform.machine().lower() in ("x86_64", "amd64", "i686", "i386")
_ARM64 = platform.machine().lower() in ("aarch64", "arm64")


@intrinsic
def _load_acquire(typingctx, flags, index):
    """flags[index] of a 1-D int64 array, as an atomic acquire load."""
    if not _is_flags(flags):
        return None

    def codegen(context, builder, signature, args):
        return builder.load_atomic(_address(context, builder, signature, args), "acquire", 8)

    return types.int64(flags, index), codegen


def _is_flags(flags):
    return isinstance(flags, types.Array) and flags.dtype == types.int64 and flags.ndim == 1


def _address(context, builder, signature, args):
    """The address of flags[index] (the intrinsics' first two arguments)."""
    array = context.make_array(signature.args[0])(context, builder, args[0])
    i = context.cast(builder, args[1], signature.args[1], types.intp)
    return builder.gep(array.data, [i])


@intrinsic
def _store_release(typingctx, flags, index, value):
    """flags[index] = value for a 1-D int64 array, as an atomic release store."""
    if not _is_flags(flags):
        return None

    def codegen(context, builder, signature, args):
        v = context.cast(builder, args[2], signature.args[2], types.int64)
        builder.store_atomic(v, _address(context, builder, signature, args), "release", 8)
        return context.get_dummy_value()

    return types.none(flags, index, value), codegen


@intrinsic
def _swap_if(typingctx, flags, index, expected, new):
    """Atomically flags[index] = new if it holds `expected` (1-D int64); True when it did."""
    if not _is_flags(flags):
        return None

    def codegen(context, builder, signature, args):
        old = context.cast(builder, args[2], signature.args[2], types.int64)
        new = context.cast(builder, args[3], signature.args[3], types.int64)
        ptr = _address(context, builder, signature, args)
        return builder.extract_value(builder.cmpxchg(ptr, old, new, "acq_rel", "acquire"), 1)

    return types.boolean(flags, index, expected, new), codegen


@intrinsic
def _relax(typingctx):
    """The CPU's spin-wait hint (x86 `pause`, ARM `yield`); nothing elsewhere."""

    def codegen(context, builder, signature, args):
        module = builder.module
        if _X86:
            pause = cgutils.get_or_insert_function(
                module, ir.FunctionType(ir.VoidType(), []), "llvm.x86.sse2.pause"
            )
            builder.call(pause, [])
        elif _ARM64:  # hint #1 is `yield`
            hint = cgutils.get_or_insert_function(
                module, ir.FunctionType(ir.VoidType(), [ir.IntType(32)]), "llvm.aarch64.hint"
            )
            builder.call(hint, [ir.Constant(ir.IntType(32), 1)])
        return context.get_dummy_value()

    return types.void(), codegen


@numba.njit(cache=True, nogil=True)
def wait_at_least(flags, first, last, value, spins):
    """True once every flags[first:last] >= value; False after `spins` reads that were not."""
    for _ in range(spins):
        done = True
        for i in range(first, last):
            if _load_acquire(flags, i) < value:
                done = False
                break
        if done:
            return True
        _relax()
    return False


def wait_at_least_ref(flags, first, last, value, spins):
    """Reference for `wait_at_least` (a plain Python loop)."""
    for _ in range(spins):
        if all(flags[i] >= value for i in range(first, last)):
            return True
    return False


def spins_for(seconds):
    """About how many `wait_at_least` reads of one flag take `seconds` on this machine; 0 when
    numba's JIT is disabled (the loads above have no pure-Python form: the pool then sleeps)."""
    if seconds <= 0 or numba.config.DISABLE_JIT:
        return 0
    flags = np.zeros(1, np.int64)
    wait_at_least(flags, 0, 1, 1, 10)  # compile or load before timing
    n = 20000
    start = time.perf_counter()
    wait_at_least(flags, 0, 1, 1, n)
    per_read = max((time.perf_counter() - start) / n, 1e-9)
    return int(seconds / per_read)
