"""The circle loss of embeddings (Sun et al., 2020), as a function and as the `Circle` class."""

import numpy as np

from ..core import ops
from ..core.tensor import Tensor
from .loss import _arr, _FunctionLoss, _pred


def circle(
    y_true,
    y_pred,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal=True,
    gamma=80,
    margin=0.4,
):
    """Circle loss of L2-normalized embeddings with integer class labels (Sun et al., 2020).

    With cosine distances `d` between `y_pred` and the reference embeddings, pairs of one class
    are pulled together and pairs of different classes pushed apart, each pair weighted by how
    far it is from its optimum: `softplus(logsumexp_pos(-gamma * max(margin + d, 0) *
    (margin - d)) + logsumexp_neg(gamma * max(1 + margin - d, 0) * (1 - margin - d)))`. Rows
    with a zero loss are masked out of the mean, as in Keras 3.

    Args:
        y_true: `(batch,)` integer labels.
        y_pred: `(batch, dim)` L2-normalized embeddings.
        ref_labels: labels of the reference embeddings (default `y_true`).
        ref_embeddings: `(n, dim)` reference embeddings (default `y_pred`).
        remove_diagonal: leave each sample's pair with itself out of the positives.
        gamma: the scale.
        margin: the relaxation margin.

    Returns:
        A `(batch,)` tensor of losses.

    >>> import numpy as np, minikeras as keras
    >>> emb = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], "float32")
    >>> keras.losses.circle(np.array([0, 0, 1]), emb).numpy().round(4).tolist()
    [0.0, 0.0, 0.0]
    """
    y_pred = _pred(y_pred)
    labels = _arr(y_true).astype("int32")
    ref = y_pred if ref_embeddings is None else _pred(ref_embeddings)
    ref_lab = labels if ref_labels is None else _arr(ref_labels).astype("int32")
    q, k = labels.reshape(-1, 1), ref_lab.reshape(-1, 1)
    pos = q == k.T
    neg = ~pos
    if remove_diagonal:
        pos = pos & ~np.eye(q.size, k.size, dtype=bool)
    dtype = y_pred.dtype
    dist = ops.maximum(1 - ops.matmul(y_pred, ops.transpose(ref)), 0.0)
    pos_f, neg_f = pos.astype(dtype), neg.astype(dtype)
    pos_w = ops.maximum((margin + dist) * pos_f, 0.0)
    neg_w = ops.maximum((1 + margin - dist) * neg_f, 0.0)
    pos_wd = -1 * gamma * pos_w * (margin - dist)
    neg_wd = gamma * neg_w * ((1 - margin) - dist)
    neg_inf = np.asarray(-np.inf, dtype)
    with np.errstate(divide="ignore"):  # a row without positives (or negatives) gives -inf
        p_loss = ops.logsumexp(ops.where(pos, pos_wd, neg_inf), axis=1)
        n_loss = ops.logsumexp(ops.where(neg, neg_wd, neg_inf), axis=1)
    out = ops.softplus(p_loss + n_loss)
    out._keras_mask = Tensor(out.data > 0)
    return out


class Circle(_FunctionLoss):
    """Loss computing the `circle` loss of a batch of embeddings against itself, then the reduction.

    The mean reductions run over the rows with a non-zero loss, as in Keras 3.

    Args:
        gamma: the scale (default 80.0).
        margin: the relaxation margin (default 0.4).
        remove_diagonal: leave each sample's pair with itself out of the positives.
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"circle"`).
        dtype: the computation dtype.

    >>> import numpy as np, minikeras as keras
    >>> emb = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], "float32")
    >>> round(float(keras.losses.Circle()(np.array([0, 0, 1]), emb)), 2)  # rows 0, 1 count
    19.2
    """

    _fn, _name = staticmethod(circle), "circle"
    _args = ("gamma", "margin", "remove_diagonal")
    _defaults = {"gamma": 80.0}  # Keras's class default is a float, its function's an int
