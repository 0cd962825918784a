"""Unique default names (`dense`, `dense_1`, ...) and Keras's snake-case rule."""

import re

_counts = {}


def to_snake_case(name):
    """Converts a class name to snake case with Keras's rule.

    Args:
        name: a CamelCase name.

    Returns:
        The snake-case string: `Conv2DTranspose` gives `conv2d_transpose`, `PReLU` `p_re_lu`.

    >>> from minikeras.utils.naming import to_snake_case
    >>> to_snake_case("Conv2DTranspose"), to_snake_case("PReLU")
    ('conv2d_transpose', 'p_re_lu')
    """
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def uniquify(base):
    """Returns a unique default name: `base` the first time, then `base_1`, `base_2`, ...

    This is how Keras names layers (`dense`, `dense_1`, ...); `keras.utils.clear_session()`
    starts the counts again.

    Args:
        base: the name's stem.

    Returns:
        A name not handed out before.

    >>> from minikeras.utils.naming import uniquify
    >>> first, second = uniquify("doc_example"), uniquify("doc_example")
    >>> first != second and second.startswith("doc_example_")
    True
    """
    n = _counts.get(base, 0)
    _counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def get_uid(prefix=""):
    """Counts the calls with `prefix`: 1, 2, 3, ... (`keras.backend.get_uid`).

    The counts are the default names' (as in Keras 3): after a layer took the name `dense`,
    `get_uid("dense")` gives 2. `clear_session()` starts them again.

    Args:
        prefix: the string whose calls are counted.

    Returns:
        The count of calls with `prefix` so far, this one included.

    >>> from minikeras.utils.naming import get_uid
    >>> get_uid("doc_uid"), get_uid("doc_uid")
    (1, 2)
    """
    _counts[prefix] = _counts.get(prefix, 0) + 1
    return _counts[prefix]


def reset_names():
    """Forgets every default name handed out, so `dense`, `dense_1`, ... start again.

    This is `keras.utils.clear_session()` (and what `keras.backend.clear_session()` calls).

    >>> import minikeras as keras
    >>> keras.utils.clear_session()
    >>> keras.layers.Dense(1).name
    'dense'
    """
    _counts.clear()
