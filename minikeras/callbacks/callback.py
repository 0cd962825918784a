"""`Callback` (every Keras hook) and `CallbackList`, which calls them in order."""


class Callback:
    """Base class for objects that hook into `fit`, `evaluate` and `predict`.

    Override any of the `on_*` methods; `self.model` is the model being trained and
    `self.params` holds `epochs`, `steps` and `verbose`.

    A callback that resumes an interrupted training (`BackupAndRestore`) sets `resume_epoch`
    in `on_train_begin`: `fit` then starts at that epoch instead of its `initial_epoch`
    (Keras 3 has the callback write `model._initial_epoch`; minikeras keeps it on the callback).

    >>> import minikeras as keras
    >>> class Count(keras.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print("epoch", epoch, "done")
    """

    resume_epoch = None  # the epoch `fit` starts at, when set in on_train_begin

    def __init__(self):
        self.model = None
        self.params = {}
        self.validation_data = None

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_test_begin(self, logs=None): ...
    def on_test_end(self, logs=None): ...
    def on_predict_begin(self, logs=None): ...
    def on_predict_end(self, logs=None): ...
    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)  # Keras 2 callbacks override on_batch_*

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)

    def on_test_batch_begin(self, batch, logs=None): ...
    def on_test_batch_end(self, batch, logs=None): ...
    def on_predict_batch_begin(self, batch, logs=None): ...
    def on_predict_batch_end(self, batch, logs=None): ...

    def on_batch_begin(self, batch, logs=None): ...
    def on_batch_end(self, batch, logs=None): ...


def _flat(callbacks):
    if isinstance(callbacks, (list, tuple)):
        return [cb for item in callbacks for cb in _flat(item)]
    return [callbacks]


class CallbackList(Callback):
    """A callback that forwards every hook to each of its callbacks, in order.

    `fit`, `evaluate` and `predict` wrap their `callbacks` argument in one.

    Args:
        callbacks: a list of `Callback` instances.
        model: optional model passed to each callback's `set_model`.
        **params: optional params (`epochs`, `steps`, `verbose`) passed to `set_params`.

    >>> import minikeras as keras
    >>> class Say(keras.callbacks.Callback):
    ...     def __init__(self, word):
    ...         super().__init__()
    ...         self.word = word
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(self.word, epoch, logs)
    >>> keras.callbacks.CallbackList([Say("a"), Say("b")]).on_epoch_end(0)
    a 0 {}
    b 0 {}
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = _flat(callbacks) if callbacks else []
        for cb in self.callbacks:
            if not isinstance(cb, Callback):  # Keras 3 fails with AttributeError (set_model)
                raise AttributeError(
                    "callbacks must be keras.callbacks.Callback instances. Received: "
                    f"{type(cb).__name__}"
                )
        # as Keras 3: a History, then a ProgbarLogger, appended last when asked for and absent
        from .history import History
        from .progbar import ProgbarLogger

        if add_history and not any(isinstance(cb, History) for cb in self.callbacks):
            self.callbacks.append(History())
        if add_progbar and not any(isinstance(cb, ProgbarLogger) for cb in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, cb):
        self.callbacks.append(cb)
        if self.model is not None:
            cb.set_model(self.model)
        cb.set_params(self.params)

    def set_model(self, model):
        self.model = model
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params):
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

    @property
    def resume_epoch(self):
        """The latest `resume_epoch` a member set (None when no callback resumes training)."""
        epochs = [cb.resume_epoch for cb in self.callbacks if cb.resume_epoch is not None]
        return max(epochs) if epochs else None

    def _each(name):
        takes_index = "batch" in name or "epoch" in name

        def method(self, *args, **kwargs):
            # Keras always passes `logs` (so callbacks may declare it without a default): by
            # keyword to the batch hooks, positionally to the others, as Keras 3's CallbackList
            n = 1 if takes_index else 0
            logs = kwargs.pop("logs", args[n] if len(args) > n else None)
            args = args[:n]
            logs = {} if logs is None else logs
            for cb in self.callbacks:
                if "batch" in name:
                    getattr(cb, name)(*args, logs=logs, **kwargs)
                else:
                    getattr(cb, name)(*args, logs, **kwargs)

        method.__name__ = name
        return method

    for _hook in (
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
    ):
        locals()[_hook] = _each(_hook)
    del _hook, _each
