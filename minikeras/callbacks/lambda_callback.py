"""`LambdaCallback`: a callback assembled from plain functions."""

from .callback import Callback

_HOOKS = (
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_begin",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_predict_begin",
    "on_predict_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
    "on_batch_begin",
    "on_batch_end",
)


def _hook(fn, indexed):
    """`fn` called as Keras calls hooks: `(logs)` or `(epoch_or_batch, logs)`, logs always
    passed (None when the loop gives none)."""
    if indexed:
        return lambda index, logs=None: fn(index, logs)
    return lambda logs=None: fn(logs)


class LambdaCallback(Callback):
    """Calls the given functions at the matching hooks.

    The functions take the hooks' positional arguments: `on_epoch_begin`/`on_epoch_end` get
    `(epoch, logs)`, `on_train_begin`/`on_train_end` get `(logs)`, the batch hooks get
    `(batch, logs)`. Any other hook of `Callback` can be given by name as a keyword argument.

    Args:
        on_epoch_begin, on_epoch_end, on_train_begin, on_train_end, on_train_batch_begin,
        on_train_batch_end: functions (or None).
        **kwargs: further hooks, e.g. `on_test_end=fn`; other names become attributes (Keras 3).

    >>> import minikeras as keras
    >>> seen = []
    >>> cb = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        hooks = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
        }
        for name, fn in kwargs.items():
            if name not in _HOOKS:  # Keras 3 keeps any other keyword as an attribute
                setattr(self, name, fn)
                continue
            hooks[name] = fn
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise TypeError(f"LambdaCallback: {name} must be callable. Received: {fn!r}")
            setattr(self, name, _hook(fn, "epoch" in name or "batch" in name))
        # the legacy batch aliases feed the train-batch hooks, as in Keras
        for alias, target in (
            ("on_batch_begin", "on_train_batch_begin"),
            ("on_batch_end", "on_train_batch_end"),
        ):
            if hooks.get(alias) is not None and hooks.get(target) is None:
                setattr(self, target, _hook(hooks[alias], True))
