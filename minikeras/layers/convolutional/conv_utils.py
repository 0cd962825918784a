"""Argument checks shared by the vision layers (convolution, pooling, padding, resizing).

Keras stores `kernel_size`, `strides`, ... as tuples of one int per spatial axis and accepts a
single int for all of them; `padding` and `data_format` are lower-case strings. These helpers
turn user arguments into that form and raise Keras-style `ValueError`s naming what was received.
"""

import numpy as np


def standardize_tuple(value, n, name, allow_zero=False):
    """An int or `n` ints -> a tuple of `n` ints, each > 0 (>= 0 with `allow_zero`)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        out = (int(value),) * n
    else:
        try:
            out = tuple(int(v) for v in value)
        except (TypeError, ValueError):
            out = None
        if out is None or len(out) != n or any(isinstance(v, bool) for v in value):
            raise ValueError(
                f"The `{name}` argument must be an int or a tuple of {n} ints. "
                f"Received: {name}={value!r}"
            )
    low = 0 if allow_zero else 1
    if any(v < low for v in out):
        rule = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"The `{name}` argument must contain only values {rule}. Received: {name}={value!r}"
        )
    return out


def standardize_padding(value, allow_causal=False):
    """'valid', 'same' (or 'causal' for 1-D convolutions), case-insensitive."""
    padding = value.lower() if isinstance(value, str) else value
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if padding not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {allowed}. Received: padding={value!r}"
        )
    return padding


def standardize_data_format(value):
    """None -> `keras.config.image_data_format()`; else 'channels_last' or 'channels_first'."""
    if value is None:
        from ... import config

        return config.image_data_format()
    fmt = str(value).lower()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of 'channels_first', 'channels_last'. "
            f"Received: data_format={value!r}"
        )
    return fmt


def standardize_pairs(value, n, name):
    """Padding/cropping amounts: an int, n ints (symmetric) or n (before, after) pairs."""
    if isinstance(value, (int, np.integer)):
        pairs = ((int(value), int(value)),) * n
    else:
        try:
            items = list(value)
        except TypeError:
            items = None
        if items is None or len(items) != n:
            raise ValueError(
                f"The `{name}` argument must be an int, a tuple of {n} ints or a tuple of {n} "
                f"tuples of 2 ints. Received: {name}={value!r}"
            )
        pairs = tuple(
            (int(v), int(v))
            if isinstance(v, (int, np.integer))
            else standardize_tuple(v, 2, name, allow_zero=True)
            for v in items
        )
    if any(v < 0 for p in pairs for v in p):
        raise ValueError(f"The `{name}` argument must be >= 0. Received: {name}={value!r}")
    return pairs


def spatial_axes(data_format, rank):
    """Indices of the spatial axes of a (batch, ..., channels) input of spatial `rank`."""
    return (
        tuple(range(1, rank + 1)) if data_format == "channels_last" else tuple(range(2, rank + 2))
    )


def channel_axis(data_format):
    return -1 if data_format == "channels_last" else 1


def check_rank(layer, shape, rank, data_format, what="inputs"):
    """ValueError naming the layer unless `shape` has batch + `rank` spatial + channel axes."""
    if len(shape) != rank + 2:
        dims = {1: "steps", 2: "height, width", 3: "depth, height, width"}[rank]
        layout = (
            f"(batch, {dims}, channels)"
            if data_format == "channels_last"
            else f"(batch, channels, {dims})"
        )
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) expects {what} of rank {rank + 2} "
            f"{layout}, but received input shape {tuple(shape)} (rank {len(shape)})."
        )


def check_window(layer, shape, rank, data_format, window, dilation, padding, what="kernel"):
    """ValueError naming the layer if a 'valid' window (dilated) is larger than the input."""
    if padding != "valid":
        return
    sizes = [shape[a] for a in spatial_axes(data_format, rank)]
    for n, k, d in zip(sizes, window, dilation):
        span = (k - 1) * d + 1
        if n is not None and n < span:
            raise ValueError(
                f"Layer '{layer.name}' ({type(layer).__name__}): the {what} size "
                f"{tuple(window)} (dilation_rate {tuple(dilation)}) is larger than the input's "
                f"spatial size {tuple(sizes)} with padding='valid'; each spatial axis must be "
                f">= (size - 1) * dilation + 1. Received input shape {tuple(shape)}."
            )


def window_output_shape(shape, rank, data_format, window, strides, dilation, padding, channels):
    """Output shape of a convolution or pooling (None sizes stay None; channels None = kept)."""
    out = list(shape)
    for axis, k, s, d in zip(spatial_axes(data_format, rank), window, strides, dilation):
        n = shape[axis]
        if n is not None:
            out[axis] = (n - (k - 1) * d - 1) // s + 1 if padding == "valid" else -(-n // s)
    if channels is not None:
        out[channel_axis(data_format)] = channels
    return tuple(out)


def transpose_length(n, k, s, d, padding, output_padding=None):
    """Keras's output length of a transposed convolution along one axis."""
    if n is None:
        return None
    k = (k - 1) * d + 1
    if output_padding is None:
        return n * s + max(k - s, 0) if padding == "valid" else n * s
    pad = k // 2 if padding == "same" else 0
    return (n - 1) * s + k - 2 * pad + output_padding
