"""The version of minikeras, on the lowest floor so that file writers (saving/) can stamp it."""

__version__ = "0.1.0"


def version():
    """The version string of minikeras (Keras 3's `keras.version()`).

    Returns:
        `__version__`, e.g. `"0.1.0"`.

    >>> import minikeras as keras
    >>> keras.version() == keras.__version__
    True
    """
    return __version__
