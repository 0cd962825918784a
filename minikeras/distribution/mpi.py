"""The process layer of `keras.distribution`: one device per MPI rank, through mpi4py.

mpi4py is optional (`pip install "minikeras[mpi]"`) and imported only when the process was
started by an MPI launcher (`mpiexec`, `srun`, ...) or `initialize()` is called: importing
minikeras never imports it. Without a launcher the process is the whole world (rank 0 of 1).

Collectives take numpy buffers and work in place (`Allreduce`, `Bcast`, `Allgatherv`: no
pickling of arrays). Once the world has several ranks, an uncaught exception in any of them
prints its traceback and calls `MPI.COMM_WORLD.Abort(1)`, so the launcher ends every rank with a
non-zero exit instead of leaving the others blocked in a collective.
"""

import os
import sys
import time

import numpy as np

# variables that MPI launchers set in the processes they start
_LAUNCHER_VARS = ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS")
_state = {"comm": None, "mpi": None, "hook": False}


def launched_by_mpi():
    """Whether an MPI launcher started this process (its environment says so)."""
    return any(v in os.environ for v in _LAUNCHER_VARS)


def _launcher_size():
    for v in ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE"):
        if v in os.environ:
            try:
                return int(os.environ[v])
            except ValueError:
                return None
    return None


def world(required=False):
    """The MPI world communicator, or None when this process runs alone.

    Imports mpi4py on first use if a launcher started the process (or `required`). A launch of
    several processes without mpi4py is an error: each would otherwise train on its own.
    """
    if _state["comm"] is not None:
        return _state["comm"]
    if not (required or launched_by_mpi()):
        return None
    try:
        from mpi4py import MPI
    except ImportError as e:
        size = _launcher_size()
        if required or (size or 1) > 1:
            raise ImportError(
                "keras.distribution: this process was started by an MPI launcher "
                f"({size} processes) but mpi4py is not installed. Install it with "
                '`pip install "minikeras[mpi]"` (mpi4py and mpich).'
            ) from e
        return None
    _state["mpi"], _state["comm"] = MPI, MPI.COMM_WORLD
    if MPI.COMM_WORLD.Get_size() > 1:
        install_abort_hook()
    return _state["comm"]


def rank():
    comm = world()
    return 0 if comm is None else comm.Get_rank()


def size():
    comm = world()
    return 1 if comm is None else comm.Get_size()


def install_abort_hook():
    """On an uncaught exception: print it, then abort the whole MPI job (exit code 1)."""
    if _state["hook"]:
        return
    previous = sys.excepthook

    def abort_on_error(kind, value, tb):
        try:  # the error first, in one line: the launcher may cut the traceback when it aborts
            sys.stderr.write(
                f"[rank {rank()} of {size()}] uncaught {kind.__name__}: {value}; aborting the job\n"
            )
            sys.stderr.flush()
            previous(kind, value, tb)
            sys.stderr.flush()
            sys.stdout.flush()
            time.sleep(0.2)  # lets the launcher forward the output before the job is killed
        finally:
            _state["comm"].Abort(1)

    sys.excepthook = abort_on_error
    _state["hook"] = True


def allreduce_sum(buf):
    """Sums `buf` (a contiguous numpy array) over every rank, in place; returns it."""
    comm = world()
    if comm is not None and comm.Get_size() > 1:
        comm.Allreduce(_state["mpi"].IN_PLACE, buf, op=_state["mpi"].SUM)
    return buf


def broadcast(buf, root=0):
    """Overwrites `buf` (a contiguous numpy array) on every rank with `root`'s, in place."""
    comm = world()
    if comm is not None and comm.Get_size() > 1:
        comm.Bcast(buf, root=root)
    return buf


def broadcast_object(obj, root=0):
    """A small Python object (a dict of settings, an RNG state) from `root`, pickled."""
    comm = world()
    if comm is None or comm.Get_size() == 1:
        return obj
    return comm.bcast(obj, root=root)


def allgather_rows(local):
    """The arrays of every rank concatenated along axis 0, in rank order (`Allgatherv`).

    Every rank passes an array with the same trailing shape and dtype; row counts may differ.
    """
    comm = world()
    if comm is None or comm.Get_size() == 1:
        return local
    local = np.ascontiguousarray(local)
    counts = np.zeros(comm.Get_size(), np.int64)
    counts[comm.Get_rank()] = local.shape[0]
    allreduce_sum(counts)
    row = int(np.prod(local.shape[1:], dtype=np.int64))
    out = np.empty((int(counts.sum()),) + local.shape[1:], local.dtype)
    sizes = counts * row
    displs = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    comm.Allgatherv(local.reshape(-1), [out.reshape(-1), (sizes, displs)])
    return out


def barrier():
    comm = world()
    if comm is not None and comm.Get_size() > 1:
        comm.Barrier()
