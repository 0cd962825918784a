"""`pad_sequences`: a list of variable-length sequences -> one padded 2-D (or N-D) array."""

import numpy as np


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
):
    """Pads (and truncates) sequences to a common length, as Keras does.

    Args:
        sequences: a list of sequences (lists or arrays; each item may itself be an array, in
            which case every item must have the same shape).
        maxlen: the output length; default the longest sequence's length.
        dtype: the output dtype (default `"int32"`; use `object` for strings).
        padding: `"pre"` (pad at the start, the default) or `"post"`.
        truncating: drop values from the start (`"pre"`, default) or the end (`"post"`) of
            sequences longer than `maxlen`.
        value: the padding value.

    Returns:
        A numpy array of shape `(len(sequences), maxlen) + item_shape`.

    >>> pad_sequences([[1, 2, 3], [4]], maxlen=2).tolist()
    [[2, 3], [0, 4]]
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"`sequences` must be iterable. Received: {type(sequences).__name__}")
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood. Expected "pre" or "post".')
    if truncating not in ("pre", "post"):
        raise ValueError(
            f'Truncating type "{truncating}" not understood. Expected "pre" or "post".'
        )
    lengths, item_shape, found = [], (), False
    for s in sequences:
        try:
            lengths.append(len(s))
        except TypeError:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {s!r}"
            ) from None
        if not found and len(s):  # the first non-empty sequence fixes the item shape
            item_shape = np.asarray(s).shape[1:]
            found = True
    if maxlen is None:
        if not lengths:  # Keras 3 takes the max of no lengths: ValueError
            raise ValueError("pad_sequences got no sequences and no `maxlen` to pad them to.")
        maxlen = max(lengths)
    maxlen = int(maxlen)
    if maxlen < 0:
        raise ValueError(f"`maxlen` must be >= 0. Received: maxlen={maxlen}")
    is_str_dtype = np.issubdtype(np.dtype(dtype), np.str_)
    if isinstance(value, str) and dtype is not object and not is_str_dtype:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    out = np.full((len(lengths), maxlen) + tuple(item_shape), value, dtype=dtype)
    if maxlen == 0:
        return out
    for i, s in enumerate(sequences):
        if not len(s):
            continue
        kept = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {i} is different "
                f"from expected shape {tuple(item_shape)}"
            )
        if padding == "post":
            out[i, : len(kept)] = kept
        else:
            out[i, -len(kept) :] = kept
    return out
