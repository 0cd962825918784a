"""`PyDataset` (alias `Sequence`): an indexable source of batches for `fit`/`evaluate`/`predict`."""

import warnings

_DEFAULTS = {"_workers": 1, "_use_multiprocessing": False, "_max_queue_size": 10}


class PyDataset:
    """Base class for datasets that return whole batches by index.

    Subclasses implement `__len__` (number of batches) and `__getitem__(index)` returning `x`,
    `(x, y)` or `(x, y, sample_weight)` as numpy arrays; `on_epoch_end` runs after each epoch.

    Args:
        workers: with more than 1, `fit`/`evaluate`/`predict` fetch batches ahead of training
            on that many threads (in order; `__getitem__` must then be thread-safe).
        use_multiprocessing: Keras runs the workers as processes; minikeras runs them as
            threads either way (what numpy, file reads and image decoding need, as they
            release the GIL).
        max_queue_size: how many batches the workers prepare ahead at most.

    >>> import numpy as np, minikeras as keras
    >>> class Squares(keras.utils.PyDataset):
    ...     def __len__(self):
    ...         return 2
    ...     def __getitem__(self, i):
    ...         x = np.arange(4, dtype="float32").reshape(4, 1) + i
    ...         return x, x**2
    >>> len(Squares())
    2
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _setting(self, name):
        """A constructor setting; Keras 3's default (with its warning) when a subclass did not
        call `super().__init__()`."""
        if not hasattr(self, name):
            for attr, value in _DEFAULTS.items():  # all three at once, one warning
                self.__dict__.setdefault(attr, value)
            warnings.warn(
                "Your `PyDataset` class should call `super().__init__(**kwargs)` in its "
                "constructor. `**kwargs` can include `workers`, `use_multiprocessing`, "
                "`max_queue_size`. Do not pass these arguments to `fit()`, as they will be "
                "ignored.",
                stacklevel=3,
            )
        return getattr(self, name)

    workers = property(
        lambda self: self._setting("_workers"), lambda self, v: setattr(self, "_workers", v)
    )
    use_multiprocessing = property(
        lambda self: self._setting("_use_multiprocessing"),
        lambda self, v: setattr(self, "_use_multiprocessing", v),
    )
    max_queue_size = property(
        lambda self: self._setting("_max_queue_size"),
        lambda self, v: setattr(self, "_max_queue_size", v),
    )

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(index).")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must implement __len__().")

    @property
    def num_batches(self):
        return len(self)

    def on_epoch_begin(self):
        """Called before every epoch (Keras 3)."""

    def on_epoch_end(self):
        """Called after every epoch; shuffle here if needed."""

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


Sequence = PyDataset
