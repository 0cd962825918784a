"""`split_dataset`: split arrays (or a tuple/list/dict of same-length arrays) in two."""

import numpy as np

from .random import make_rng


def _sizes(left_size, right_size, total):
    """Keras's rules: a float is a fraction in (0, 1), an int a count in (0, total)."""
    if left_size is None and right_size is None:
        raise ValueError(
            "At least one of the `left_size` or `right_size` must be specified. Received: "
            "left_size=None and right_size=None"
        )
    out = []
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is None:
            out.append(None)
        elif isinstance(size, (bool, np.bool_)) or not isinstance(
            size, (int, float, np.integer, np.floating)
        ):
            raise TypeError(
                f"Invalid `{name}` type. Expected int, float or None. Received: {size!r}"
            )
        elif isinstance(size, (float, np.floating)):
            if not 0 < size < 1:
                raise ValueError(f"`{name}` as a float must be in (0, 1). Received: {name}={size}")
            out.append(round(size * total))
        else:
            if not 0 < size < total:
                raise ValueError(
                    f"`{name}` as an int must be in (0, {total}) for a dataset of {total} "
                    f"samples. Received: {name}={size}"
                )
            out.append(int(size))
    left, right = out
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(
            f"left_size + right_size = {left + right} exceeds the dataset length {total}."
        )
    if left == 0 or right == 0:
        raise ValueError(
            f"With a dataset of {total} samples, left_size={left_size} and right_size="
            f"{right_size} leave one side empty. Adjust the sizes."
        )
    return left, right


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a dataset into a left part and a right part (e.g. train / test).

    Args:
        dataset: a numpy array, or a tuple/list/dict of arrays with the same first dimension.
        left_size: a float in (0, 1) (fraction) or an int (number of samples); default the
            complement of `right_size`.
        right_size: likewise for the right part; default the complement of `left_size`.
        shuffle: shuffle the samples before splitting.
        seed: the shuffling seed.

    Returns:
        `(left, right)`, each with the structure of `dataset` (numpy arrays, where Keras returns
        `tf.data.Dataset`s). The right part holds the last `right_size` samples.

    >>> left, right = split_dataset(np.arange(10), left_size=0.8)
    >>> left.tolist(), right.tolist()
    ([0, 1, 2, 3, 4, 5, 6, 7], [8, 9])
    """
    if isinstance(dataset, dict):
        keys, arrays = list(dataset), [np.asarray(v) for v in dataset.values()]
    elif isinstance(dataset, (tuple, list)):
        keys, arrays = None, [np.asarray(v) for v in dataset]
    else:
        keys, arrays = None, [np.asarray(dataset)]
    if not arrays or any(a.ndim == 0 for a in arrays):
        raise ValueError(
            "split_dataset expects a non-empty array or a tuple/list/dict of arrays. Received: "
            f"{type(dataset).__name__}"
        )
    total = len(arrays[0])
    for i, a in enumerate(arrays):
        if len(a) != total:
            raise ValueError(
                f"All arrays must have the same length; array 0 has {total} samples, array {i} "
                f"has {len(a)}."
            )
    if total == 0:
        raise ValueError("Received an empty dataset.")
    left, right = _sizes(left_size, right_size, total)
    order = make_rng(seed).permutation(total) if shuffle else np.arange(total)
    parts = ([a[order[:left]] for a in arrays], [a[order[total - right :]] for a in arrays])

    def rebuild(items):
        if keys is not None:
            return dict(zip(keys, items))
        if isinstance(dataset, (tuple, list)):
            return type(dataset)(items)
        return items[0]

    return rebuild(parts[0]), rebuild(parts[1])
