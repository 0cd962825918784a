"""`to_categorical` (one-hot encoding) and `normalize` (unit-norm rows)."""

import numpy as np


def to_categorical(x, num_classes=None, dtype=None):
    """Converts integer class labels to one-hot rows (class axis last).

    A trailing axis of size 1 is dropped first, so labels of shape `(n, 1)` give `(n, C)`.

    Args:
        x: array-like of integer labels in `[0, num_classes)`.
        num_classes: the number of classes; default `max(x) + 1`.
        dtype: the output dtype (default float64, as Keras 3's numpy path).

    Returns:
        A numpy array of shape `x.shape + (num_classes,)` (or a Tensor for a Tensor input).

    >>> to_categorical([0, 2, 1], num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    from ..core.tensor import Tensor

    if isinstance(x, Tensor):
        from ..core import ops

        if num_classes is None:
            num_classes = int(np.max(x.data)) + 1 if x.data.size else 0
        return ops.one_hot(x, int(num_classes), dtype=dtype)
    arr = np.asarray(x)
    if arr.size and arr.dtype.kind not in "biu":
        as_int = arr.astype("int64")
        if arr.dtype.kind != "f" or not np.array_equal(as_int, arr):
            raise ValueError(
                "to_categorical expects integer class labels. Received values of dtype "
                f"{arr.dtype}, e.g. {arr.reshape(-1)[:5].tolist()}"
            )
    arr = arr.astype("int64")
    shape = arr.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = arr.reshape(-1)
    if not num_classes:
        num_classes = int(flat.max()) + 1 if flat.size else 0
    num_classes = int(num_classes)
    # Keras 3 indexes with the labels: a negative one counts from the last class, and one
    # out of range raises IndexError
    if flat.size and (flat.min() < -num_classes or flat.max() >= num_classes):
        bad = flat[(flat < -num_classes) | (flat >= num_classes)][0]
        raise IndexError(
            f"to_categorical: every label must be in [0, num_classes={num_classes}). "
            f"Received a label {int(bad)}."
        )
    out = np.zeros((flat.size, num_classes), dtype=dtype or "float64")
    out[np.arange(flat.size), flat] = 1
    return out.reshape(tuple(shape) + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Divides `x` by its `order`-norm along `axis` (zero norms are left as they are).

    Args:
        x: a numpy array (Keras 3's numpy path, quirks included), a list (normalised along
            `axis` as `keras.ops.normalize` does, as float32) or a Tensor.
        axis: the axis along which to normalise.
        order: the norm's order (2 for L2, 1 for L1, `np.inf` ...).

    Returns:
        The normalised copy, of the same type as `x`.

    >>> normalize(np.array([[3.0, 4.0]])).tolist()
    [[0.6, 0.8]]
    """
    from ..core.tensor import Tensor

    if isinstance(x, Tensor):
        from ..core import ops

        return ops.normalize(x, axis=axis, order=order)
    # Keras 3 sends anything but a numpy array (a list) through ops.normalize: float32, the
    # norm kept along `axis`; a numpy array takes Keras's numpy path below
    from_list = not isinstance(x, np.ndarray)
    x = np.asarray(x, dtype="float32") if from_list else x
    if x.dtype.kind not in "biuf":
        raise ValueError(f"normalize expects a numeric array. Received dtype {x.dtype}")
    if x.ndim == 0:
        raise ValueError("normalize expects an array with at least 1 dimension. Received a scalar.")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"normalize: axis={axis} is out of range for an array of rank {x.ndim}.")
    if from_list:
        norm = np.linalg.norm(x, order, axis, keepdims=True)
        return x / np.where(norm == 0, np.float32(1), norm)
    # as Keras 3's numpy path: the norm (at least 1-D) gets its axis back at `axis or -1`, so
    # a 1-D input comes back as (1, n) and axis=0 divides row i by the norm of column i
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    norm = np.expand_dims(norm, axis or -1)
    try:
        return x / norm
    except ValueError:
        raise ValueError(
            f"normalize: the norms along axis={axis} (shape {norm.shape}) do not broadcast "
            f"against x (shape {x.shape}), as in Keras 3, which re-inserts the axis at "
            "position -1 when axis=0."
        ) from None
