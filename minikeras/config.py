"""`keras.config`: global settings (default float type, epsilon, image data format, threads).

Also Keras 3's debugging caps (`set_max_epochs`, `set_max_steps_per_epoch`, read from the
`KERAS_MAX_EPOCHS` / `KERAS_MAX_STEPS_PER_EPOCH` environment variables at import, as Keras), the
interactive-logging switch, and switches that only record a setting here (see `core/switches.py`).
"""

import os

from .core.dtypes import floatx, set_floatx
from .dtype_policies.dtype_policy import dtype_policy, set_dtype_policy
from .core.image_format import image_data_format, set_image_data_format
from .kernels.runtime import get_num_threads, set_num_threads

_EPSILON = 1e-7
_MAX_EPOCHS = int(os.environ["KERAS_MAX_EPOCHS"]) if "KERAS_MAX_EPOCHS" in os.environ else None
_MAX_STEPS_PER_EPOCH = (
    int(os.environ["KERAS_MAX_STEPS_PER_EPOCH"])
    if "KERAS_MAX_STEPS_PER_EPOCH" in os.environ
    else None
)


def epsilon():
    """Returns the fuzz factor used in numeric expressions (1e-7, as Keras).

    Returns:
        A float.

    >>> import minikeras as keras
    >>> keras.config.epsilon()
    1e-07
    """
    return _EPSILON


def set_epsilon(value):
    """Sets the value that `epsilon()` returns.

    Args:
        value: the new fuzz factor (a float).

    >>> import minikeras as keras
    >>> keras.config.set_epsilon(1e-7)  # the default
    >>> keras.config.epsilon()
    1e-07
    """
    global _EPSILON
    _EPSILON = float(value)
    # losses, ops and metrics read a module-level EPSILON; modules loaded later import the new one
    import sys

    from .core.ops import nn

    nn.EPSILON = _EPSILON
    for name, module in list(sys.modules.items()):
        if name.startswith("minikeras.") and isinstance(getattr(module, "EPSILON", None), float):
            module.EPSILON = _EPSILON


def backend():
    """Returns the name of the compute backend: always `"numpy"` (numpy plus numba kernels).

    Returns:
        The string `"numpy"`.

    >>> import minikeras as keras
    >>> keras.config.backend()
    'numpy'
    """
    return "numpy"


def set_max_epochs(max_epochs):
    """Caps the number of epochs of every `fit` call (a debugging aid, as in Keras 3).

    `fit(epochs=n)` then runs `min(n, max_epochs)` epochs and warns "Limiting epochs to ...".
    The `KERAS_MAX_EPOCHS` environment variable sets it at import.

    Args:
        max_epochs: a positive integer, or None for no cap.

    >>> import minikeras as keras
    >>> keras.config.set_max_epochs(2)
    >>> keras.config.max_epochs()
    2
    >>> keras.config.set_max_epochs(None)
    """
    global _MAX_EPOCHS
    _MAX_EPOCHS = max_epochs


def max_epochs():
    """The cap on `fit`'s epochs set by `set_max_epochs` (or `KERAS_MAX_EPOCHS`).

    Returns:
        An integer, or None (the default: no cap).

    >>> import minikeras as keras
    >>> print(keras.config.max_epochs())
    None
    """
    return _MAX_EPOCHS


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Caps the steps of each epoch of `fit`, and of `evaluate` and `predict` (as Keras 3).

    A call with no `steps` / `steps_per_epoch`, or a larger one, runs that many batches and warns
    "Limiting steps_per_epoch to ...". `KERAS_MAX_STEPS_PER_EPOCH` sets it at import.

    Args:
        max_steps_per_epoch: a positive integer, or None for no cap.

    >>> import minikeras as keras
    >>> keras.config.set_max_steps_per_epoch(3)
    >>> keras.config.max_steps_per_epoch()
    3
    >>> keras.config.set_max_steps_per_epoch(None)
    """
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = max_steps_per_epoch


def max_steps_per_epoch():
    """The cap on steps per epoch set by `set_max_steps_per_epoch` (or its variable).

    Returns:
        An integer, or None (the default: no cap).

    >>> import minikeras as keras
    >>> print(keras.config.max_steps_per_epoch())
    None
    """
    return _MAX_STEPS_PER_EPOCH


def capped_epochs(epochs):
    """`epochs` limited by `max_epochs()`, warning as Keras's trainers do when it bites."""
    cap = _MAX_EPOCHS
    if cap and cap < epochs:
        import warnings

        warnings.warn(f"Limiting epochs to {cap}", stacklevel=3)
        return cap
    return epochs


def capped_steps(steps):
    """`steps` limited by `max_steps_per_epoch()`, as Keras's epoch iterator does."""
    cap = _MAX_STEPS_PER_EPOCH
    if cap and (not steps or cap < steps):
        import warnings

        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=3)
        return cap
    return steps


from .core.switches import (  # noqa: E402  (switches read nothing from this module)
    disable_flash_attention,
    disable_interactive_logging,
    disable_traceback_filtering,
    enable_flash_attention,
    enable_interactive_logging,
    enable_traceback_filtering,
    enable_unsafe_deserialization,
    is_flash_attention_enabled,
    is_interactive_logging_enabled,
    is_nnx_enabled,
    is_traceback_filtering_enabled,
    set_backend,
)

__all__ = [
    "floatx",
    "set_floatx",
    "epsilon",
    "set_epsilon",
    "image_data_format",
    "set_image_data_format",
    "backend",
    "dtype_policy",
    "set_dtype_policy",
    "set_num_threads",
    "get_num_threads",
    "max_epochs",
    "set_max_epochs",
    "max_steps_per_epoch",
    "set_max_steps_per_epoch",
    "enable_flash_attention",
    "disable_flash_attention",
    "is_flash_attention_enabled",
    "enable_interactive_logging",
    "disable_interactive_logging",
    "is_interactive_logging_enabled",
    "enable_traceback_filtering",
    "disable_traceback_filtering",
    "is_traceback_filtering_enabled",
    "enable_unsafe_deserialization",
    "is_nnx_enabled",
    "set_backend",
]
