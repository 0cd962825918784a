"""The CTC (connectionist temporal classification) loss of label sequences, as a function and
as the `CTC` class."""

import numpy as np

from ..core import ops
from .loss import _arr, _FunctionLoss, _pred


def ctc(y_true, y_pred):
    """CTC loss of integer label sequences under per-frame logits (blank/padding id 0).

    The label length of each sample is its number of non-zero labels; every frame of `y_pred`
    is used (see `keras.ops.ctc_loss` for other lengths or another blank id).

    Args:
        y_true: `(batch, max_label_length)` integer labels, 0-padded; 0 is the blank.
        y_pred: `(batch, max_length, num_classes)` logits (not softmax-normalized).

    Returns:
        A `(batch,)` tensor of losses.

    >>> import numpy as np, minikeras as keras
    >>> loss = keras.losses.ctc(np.array([[1, 0]]), np.zeros((1, 2, 3), "float32"))
    >>> round(float(loss.numpy()[0]), 4)  # -log(3/9)
    1.0986
    """
    y_pred = _pred(y_pred)
    if len(y_true.shape if hasattr(y_true, "shape") else np.shape(y_true)) != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` "
            f"in integer format. Received: y_true.shape={tuple(np.shape(_arr(y_true)))}"
        )
    if len(y_pred.shape) != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, "
            f"num_classes)`. Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    labels = _arr(y_true).astype("int32")
    batch, frames = y_pred.shape[0], y_pred.shape[1]
    label_length = np.sum(labels != 0, axis=-1).astype("int32")
    output_length = np.full((batch,), frames, "int32")
    return ops.ctc_loss(labels, y_pred, label_length, output_length, mask_index=0)


class CTC(_FunctionLoss):
    """Loss computing `ctc` (connectionist temporal classification) per sample, then the reduction.

    Labels are 0-padded integer sequences, 0 being the blank.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"ctc"`).
        dtype: the computation dtype.

    >>> import numpy as np, minikeras as keras
    >>> round(float(keras.losses.CTC()(np.array([[1, 0]]), np.zeros((1, 2, 3)))), 4)
    1.0986
    """

    _fn, _name = staticmethod(ctc), "ctc"
