"""What the steps return: `add_loss` losses as one scalar, a step's logs kept for the epoch's
logs, and `predict`'s batch outputs as numpy arrays joined along the batch axis."""

import numpy as np

from .. import config
from ..core.tensor import Tensor
from ..layers.node import map_structure


def aggregate_additional_loss(loss):
    """An `add_loss` / regularization loss as a float scalar: Keras 3 sums a loss that is not
    a scalar (a per-sample `(batch, 1)` CTC loss adds its sum) and casts ints to floatx."""
    from ..core import dtypes, ops

    if not isinstance(loss, Tensor):
        loss = ops.convert_to_tensor(loss)
    if not dtypes.is_float(loss.dtype):
        loss = ops.cast(loss, config.floatx())
    return loss if loss.ndim == 0 else ops.sum(loss)


def snapshot_logs(logs):
    """A step's logs with each tensor copied to numpy, keeping nested dicts: as Keras 3, `fit`
    keeps a custom step's own dict for the epoch's logs, and its callbacks flatten a nested
    dict where its key sorts (`**{m.name: m.result() ...}` puts `compile_metrics` first)."""
    if not isinstance(logs, dict):
        return logs
    return {
        k: snapshot_logs(v)
        if isinstance(v, dict)
        else np.array(v.data)
        if isinstance(v, Tensor)
        else v
        for k, v in logs.items()
    }


def to_numpy(structure):
    return map_structure(lambda t: t.numpy() if isinstance(t, Tensor) else np.asarray(t), structure)


def concat_batches(chunks):
    """The batches' outputs joined along the batch axis, in their (nested) structure."""
    first = chunks[0]
    if isinstance(first, dict):
        return {k: concat_batches([c[k] for c in chunks]) for k in first}
    if isinstance(first, (list, tuple)):
        return type(first)(concat_batches([c[i] for c in chunks]) for i in range(len(first)))
    return np.concatenate(chunks)
