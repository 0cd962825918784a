"""`keras.config` switches: interactive logging, and settings minikeras records but has no use for.

Keras 3 has switches for machinery that only exists on its backends: traceback filtering (it trims
Keras frames from tracebacks), flash attention (a fused GPU attention kernel), NNX (a JAX
module system), unsafe deserialization (lambdas stored as bytecode). minikeras keeps each setting
so that scripts calling them run and read back what they set, and says in each docstring what the
setting changes here (usually nothing). Interactive logging is real: it decides whether progress
text goes to stdout or to Python's `logging` module.
"""

import logging

_STATE = {
    "interactive_logging": True,
    "traceback_filtering": True,
    "flash_attention": None,
    "safe_mode_saving": True,
}

logger = logging.getLogger("minikeras")


def enable_interactive_logging():
    """Progress text (`fit`'s bar, `keras.utils.Progbar`) goes to stdout: the default.

    >>> import minikeras as keras
    >>> keras.config.enable_interactive_logging()
    >>> keras.config.is_interactive_logging_enabled()
    True
    """
    _STATE["interactive_logging"] = True


def disable_interactive_logging():
    """Progress text goes to the `logging` module instead of stdout, one record per message.

    Keras 3 routes it to `absl.logging`; minikeras uses the standard library's `logging`
    (logger `"minikeras"`, level INFO), so configure that logger to see or file the messages.
    There is no live bar then: `fit` reports each epoch in one line.

    >>> import minikeras as keras
    >>> keras.config.disable_interactive_logging()
    >>> keras.config.is_interactive_logging_enabled()
    False
    >>> keras.config.enable_interactive_logging()
    """
    _STATE["interactive_logging"] = False


def is_interactive_logging_enabled():
    """Whether progress text goes to stdout (True) or to the `logging` module (False).

    Returns:
        True unless `disable_interactive_logging()` was called (Keras's default is True).

    >>> import minikeras as keras
    >>> keras.config.is_interactive_logging_enabled()
    True
    """
    return _STATE["interactive_logging"]


def print_msg(message, line_break=True):
    """Writes `message` to stdout, or to the `"minikeras"` logger when interactive logging is
    off (as Keras's `io_utils.print_msg` writes to absl logging)."""
    if _STATE["interactive_logging"]:
        import sys

        sys.stdout.write(message + ("\n" if line_break else ""))
        sys.stdout.flush()
    else:
        logger.info(message)


def enable_traceback_filtering():
    """Records that traceback filtering is on (Keras's default).

    Keras 3 trims its own frames from the tracebacks of errors raised in layers; minikeras never
    filters tracebacks, so this switch changes nothing but what `is_traceback_filtering_enabled`
    returns.

    >>> import minikeras as keras
    >>> keras.config.enable_traceback_filtering()
    """
    _STATE["traceback_filtering"] = True


def disable_traceback_filtering():
    """Records that traceback filtering is off; minikeras shows full tracebacks either way.

    >>> import minikeras as keras
    >>> keras.config.disable_traceback_filtering()
    >>> keras.config.is_traceback_filtering_enabled()
    False
    >>> keras.config.enable_traceback_filtering()
    """
    _STATE["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    """Whether traceback filtering is on (minikeras records it but never filters).

    Returns:
        The recorded setting: True by default, as in Keras 3.

    >>> import minikeras as keras
    >>> keras.config.is_traceback_filtering_enabled()
    True
    """
    return _STATE["traceback_filtering"]


def enable_flash_attention():
    """Lets attention layers use flash attention where it applies: Keras 3's default.

    As in Keras 3, "enabled" is recorded as None (use it when possible), so
    `is_flash_attention_enabled()` returns None. minikeras's attention has no flash kernel (it is
    a CPU library; Keras's flash path needs a GPU and float16/bfloat16), so the computation is
    the same either way.

    >>> import minikeras as keras
    >>> keras.config.enable_flash_attention()
    """
    _STATE["flash_attention"] = None


def disable_flash_attention():
    """Records that flash attention is off (`is_flash_attention_enabled()` returns False).

    >>> import minikeras as keras
    >>> keras.config.disable_flash_attention()
    >>> keras.config.is_flash_attention_enabled()
    False
    >>> keras.config.enable_flash_attention()
    """
    _STATE["flash_attention"] = False


def is_flash_attention_enabled():
    """Whether attention layers may use flash attention (the recorded setting).

    Returns:
        None (the default, "when possible"), or False after `disable_flash_attention()`: the
        values Keras 3 returns. minikeras never runs a flash kernel.

    >>> import minikeras as keras
    >>> print(keras.config.is_flash_attention_enabled())
    None
    """
    return _STATE["flash_attention"]


def is_nnx_enabled():
    """Whether Keras's NNX (JAX module) features are on: never in minikeras.

    Returns:
        False: NNX is a JAX-backend feature of Keras 3 that minikeras does not have.

    >>> import minikeras as keras
    >>> keras.config.is_nnx_enabled()
    False
    """
    return False


def enable_unsafe_deserialization():
    """Records Keras's "unsafe deserialization" switch (Keras: lets `load_model` run lambdas).

    minikeras never executes code read from a file: a saved Python lambda is refused with a
    ValueError whatever this says, so the switch only makes scripts that call it run.

    >>> import minikeras as keras
    >>> keras.config.enable_unsafe_deserialization()
    """
    _STATE["safe_mode_saving"] = False


def in_safe_mode():
    """False after `enable_unsafe_deserialization()`, else True."""
    return _STATE["safe_mode_saving"]


def set_backend(backend):
    """Keras 3 reloads itself on another backend; minikeras has one backend, its own.

    Args:
        backend: `"numpy"` (what `keras.config.backend()` returns) or `"minikeras"`: accepted
            and nothing happens. Keras's other backends (`"jax"`, `"torch"`, `"tensorflow"`,
            `"openvino"`) raise ValueError: use Keras itself for those.

    >>> import minikeras as keras
    >>> keras.config.set_backend("numpy")
    >>> keras.config.set_backend("jax")
    Traceback (most recent call last):
        ...
    ValueError: minikeras has one backend, 'numpy' (numpy and numba kernels); ...
    """
    if backend in ("numpy", "minikeras"):
        return
    raise ValueError(
        "minikeras has one backend, 'numpy' (numpy and numba kernels); it cannot switch to "
        f"{backend!r}. Run the script with Keras 3 to use another backend. "
        f"Received: backend={backend!r}"
    )
