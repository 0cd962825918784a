"""Unique default names (`dense`, `dense_1`, ...) and Keras's snake-case rule."""

import re

_counts = {}


def to_snake_case(name):
    """Keras's rule: `Conv2DTranspose` -> `conv2d_transpose`, `PReLU` -> `p_re_lu`."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def uniquify(base):
    """`base` the first time, then `base_1`, `base_2`, ... (as Keras names layers)."""
    n = _counts.get(base, 0)
    _counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def reset_names():
    """Forgets every name handed out (`keras.backend.clear_session()` / `keras.utils.clear_session`)."""
    _counts.clear()
