"""What `DataParallel` does during `fit`, `evaluate` and `predict`, on every MPI rank.

The layers above call these hooks; each is a no-op unless a `DataParallel` distribution over
several processes is set (`active()`).

- Array data: every rank holds the same arrays and draws the same shuffle (rank 0's order is
  broadcast); each global batch of `n` samples is split contiguously, rank `r` taking
  `n // size` samples plus one if `r < n % size` (`shard_batch`). Generator / `PyDataset` data is
  per rank: each rank iterates its own and the global batch is the sum of the local ones
  (`count_batch`).
- Gradients: one `Allreduce` of a flat buffer holding every gradient times the rank's share of
  the batch, `n_r / n` (`reduce_gradients`, called by `Optimizer.apply`). A loss reduced as
  `sum_over_batch_size` then averages over the global batch exactly as one process would.
- Metrics: results are computed from the sum of every rank's metric state (`metric_results`).
- `BatchNormalization(synchronized=True)`: global batch moments and global gradient sums
  (`batch_moments`, `batch_grad_sums`).
- `predict`: each batch's outputs are gathered in rank order (`gather`), so every rank returns
  the whole prediction in the input's order.
"""

import numpy as np

from ..core.tensor import Tensor
from ..tree import flatten, map_structure
from . import mpi
from .distribution_lib import DataParallel, distribution

# the current step: samples on this rank / in the global batch; whether the batch is replicated
_step = {"local": None, "total": None, "replicated": False, "reduced": False}


def active():
    """Whether a `DataParallel` distribution spans several processes."""
    d = distribution()
    return isinstance(d, DataParallel) and d.num_processes > 1


def is_chief():
    """False only on ranks other than 0 of an active data-parallel job (they write no files)."""
    return not active() or mpi.rank() == 0


def chief_verbose(verbose):
    """`verbose` on rank 0, 0 on the other ranks (one progress bar per job)."""
    return verbose if is_chief() else 0


def share(n, rank, size):
    """`(lo, hi)`: the contiguous rows of a batch of `n` that `rank` of `size` computes."""
    base, extra = divmod(n, size)
    lo = rank * base + min(rank, extra)
    return lo, lo + base + (1 if rank < extra else 0)


def _batch_len(batch):
    leaves = [a for a in flatten(batch) if a is not None]
    return len(leaves[0]) if leaves else 0


def shard_batch(batch, what="fit"):
    """This rank's share of a global batch of arrays (see the module docstring).

    A batch with fewer samples than processes cannot be split: `predict` computes it whole on
    every rank; training and evaluation raise ValueError (naming both numbers).
    """
    if not active():
        return batch
    n, size = _batch_len(batch), mpi.size()
    if n < size:
        if what == "predict":
            _step.update(local=n, total=n, replicated=True)
            return batch
        raise ValueError(
            f"{what}(): a batch of {n} sample(s) cannot be split across {size} processes "
            "(DataParallel gives every process at least one sample). Choose batch_size and the "
            "number of samples so that every batch, the last one included, has at least "
            f"{size} samples."
        )
    lo, hi = share(n, mpi.rank(), size)
    _step.update(local=hi - lo, total=n, replicated=False)
    return map_structure(lambda a: None if a is None else a[lo:hi], batch)


def count_batch(batch):
    """Records a per-rank (generator / PyDataset) batch: the global batch is the sum."""
    if not active():
        return batch
    counts = np.array([_batch_len(batch)], np.float64)
    local = int(counts[0])
    mpi.allreduce_sum(counts)
    _step.update(local=local, total=int(counts[0]), replicated=False)
    return batch


def same_order(order):
    """Rank 0's shuffled sample order, on every rank (in place)."""
    if active():
        order = np.ascontiguousarray(order, np.int64)
        mpi.broadcast(order)
    return order


def _share_weight():
    """This rank's share of the step's global batch (1 / size outside `fit`)."""
    if _step["local"] is None or not _step["total"]:
        return 1.0 / mpi.size()
    if _step["replicated"]:
        return 1.0 / mpi.size()
    return _step["local"] / _step["total"]


def reduce_gradients(grads):
    """Gradients summed over the ranks, each weighted by its share of the global batch.

    One in-place `Allreduce` of a flat buffer; `None` entries stay None. Called by
    `Optimizer.apply`, so custom `train_step`s that call `optimizer.apply` get it too.
    """
    if not active() or _step["reduced"]:
        return grads
    arrays = [
        None if g is None else np.asarray(g.data if isinstance(g, Tensor) else g) for g in grads
    ]
    present = [a for a in arrays if a is not None]
    if not present:
        return grads
    dtype = np.result_type(np.float32, *[a.dtype for a in present])
    buf = np.empty(sum(a.size for a in present), dtype)
    weight = dtype.type(_share_weight())
    offset = 0
    for a in present:
        np.multiply(a.reshape(-1), weight, out=buf[offset : offset + a.size])
        offset += a.size
    mpi.allreduce_sum(buf)
    out, offset = [], 0
    for a in arrays:
        if a is None:
            out.append(None)
            continue
        out.append(buf[offset : offset + a.size].reshape(a.shape).astype(a.dtype, copy=False))
        offset += a.size
    return out


class gradients_reduced:
    """Inside it `reduce_gradients` passes gradients through (a wrapping optimizer that reduced
    them already, such as `LossScaleOptimizer`, calls its inner optimizer in it)."""

    def __enter__(self):
        self._previous = _step["reduced"]
        _step["reduced"] = True

    def __exit__(self, *exc):
        _step["reduced"] = self._previous


def broadcast_variables(variables):
    """Overwrites every variable's value with rank 0's (in place, one `Bcast` each)."""
    if not active():
        return
    for v in variables:
        data = v.data
        if data.flags.c_contiguous:
            mpi.broadcast(data)
        else:
            tmp = np.ascontiguousarray(data)
            mpi.broadcast(tmp)
            data[...] = tmp


def _check_losses(model):
    """Each rank's gradient is weighted by its share of the global batch, which is exact for
    losses averaged over the batch (Keras's default "sum_over_batch_size") but not for a sum."""
    compiled = getattr(model, "_compile_loss", None)
    for loss in getattr(compiled, "losses", None) or ():
        reduction = getattr(loss, "reduction", None)
        if reduction in ("sum", "none", None) and hasattr(loss, "reduction"):
            raise ValueError(
                f"keras.distribution.DataParallel training supports losses averaged over the "
                f"batch (reduction='sum_over_batch_size' or 'mean'). The compiled loss "
                f"{getattr(loss, 'name', loss)!r} has reduction={reduction!r}: its gradients would "
                "be averaged across processes instead of summed. Compile with the default "
                "reduction (scale the loss or the learning rate by the batch size for a sum)."
            )


def broadcast_model_once(model):
    """At a model's first `fit` (once it has weights): rank 0's weights on every rank; checks
    that the compiled losses are ones whose per-rank gradients average exactly."""
    if not active() or model.__dict__.get("_distribution_synced"):
        return
    _check_losses(model)
    weights = model.weights
    if weights:
        broadcast_variables(weights)
        model.__dict__["_distribution_synced"] = True


def _snapshot(value):
    if isinstance(value, Tensor):
        return np.array(value.data)
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    return value


def metric_results(metrics):
    """`[(metric, result)]` computed from the sum of every rank's metric state.

    The state variables of all the metrics travel in one `Allreduce`; each rank's own state is
    restored afterwards, so the next steps keep accumulating locally.
    """
    if not active():
        return [(m, m.result()) for m in metrics]
    variables, seen = [], set()
    for m in metrics:
        for v in getattr(m, "variables", ()):
            if id(v) not in seen:
                seen.add(id(v))
                variables.append(v)
    if not variables:
        return [(m, m.result()) for m in metrics]
    saved = [v.data.copy() for v in variables]
    buf = np.concatenate([np.asarray(v.data, np.float64).reshape(-1) for v in variables])
    mpi.allreduce_sum(buf)
    offset = 0
    for v in variables:
        v.data[...] = buf[offset : offset + v.data.size].reshape(v.data.shape)
        offset += v.data.size
    try:
        return [(m, _snapshot(m.result())) for m in metrics]
    finally:
        for v, old in zip(variables, saved):
            v.data[...] = old


def gather(outputs):
    """A predict batch's outputs (numpy arrays in any structure) from every rank, in order."""
    if not active() or _step["replicated"]:
        return outputs
    return map_structure(lambda a: None if a is None else mpi.allgather_rows(a), outputs)


def batch_moments(rows):
    """Global `(mean, variance, count)` of `rows` (rows, channels) over every rank, float64.

    Two `Allreduce`s (the sums, then the squared deviations from the global mean), so the
    variance is as accurate as a single process's.
    """
    c = rows.shape[1]
    buf = np.empty(c + 1, np.float64)
    buf[0] = rows.shape[0]
    buf[1:] = rows.sum(axis=0, dtype=np.float64)
    mpi.allreduce_sum(buf)
    count = buf[0]
    mean = buf[1:] / max(count, 1.0)
    sq = np.square(rows - mean.astype(rows.dtype), dtype=np.float64).sum(axis=0)
    mpi.allreduce_sum(sq)
    return mean, sq / max(count, 1.0), count


def batch_grad_sums(s, t):
    """The global `sum(dy)` and `sum(dy * xhat)` of a synchronized BatchNormalization, in this
    rank's loss units: each rank's gradient is of its own mean loss, i.e. `1 / share` times its
    part of the global loss's, so the sums are converted to global units and back."""
    w = _share_weight()
    buf = np.concatenate([np.asarray(s, np.float64), np.asarray(t, np.float64)]) * w
    mpi.allreduce_sum(buf)
    w = w if w > 0 else 1.0
    c = len(s)
    return buf[:c] / w, buf[c:] / w
