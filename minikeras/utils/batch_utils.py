"""`pack_x_y_sample_weight` / `unpack_x_y_sample_weight`: the batch structure `fit` uses
(exported as `keras.utils`, as in Keras 3). Pure structure helpers, importing nothing."""


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs a batch as `Model.fit` takes it.

    Without targets the batch is `x` itself (so `train_step(self, images)` gets the array),
    unless `x` is a list or tuple, which becomes `(x,)` to stay unambiguous; then `(x, y)` or
    `(x, y, sample_weight)`.

    Args:
        x: the model's inputs.
        y: the targets.
        sample_weight: per-sample weights.

    Returns:
        `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    >>> import numpy as np, minikeras as keras
    >>> x, y = np.ones((4, 2)), np.zeros((4, 1))
    >>> keras.utils.pack_x_y_sample_weight(x) is x
    True
    >>> len(keras.utils.pack_x_y_sample_weight([x, x]))
    1
    >>> len(keras.utils.pack_x_y_sample_weight(x, y))
    2
    """
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """Splits a batch into `(x, y, sample_weight)`, with `None` for missing parts.

    Use it in an overridden `train_step`, `test_step` or `predict_step`.

    Args:
        data: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`; a list counts as a tuple.

    Returns:
        The tuple `(x, y, sample_weight)`.

    >>> import numpy as np, minikeras as keras
    >>> x, y, sample_weight = keras.utils.unpack_x_y_sample_weight((np.ones(3), np.zeros(3)))
    >>> sample_weight is None
    True
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found: {data}"
    )
