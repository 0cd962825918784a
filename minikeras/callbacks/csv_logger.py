"""`CSVLogger`: write each epoch's logs as a row of a CSV file."""

import collections.abc
import csv
import os

import numpy as np

from ..distribution import data_parallel
from .callback import Callback


def _cell(value):
    """Strings as they are; 1-D iterables as `"[a, b]"`; numbers through the csv module."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, collections.abc.Iterable):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Streams epoch results to a CSV file, as Keras writes it.

    The file has a header `epoch,<sorted log keys>`, then one row per epoch (counted from 0).

    Args:
        filename: path of the CSV file.
        separator: the field delimiter.
        append: append to an existing file (writing the header only if it is empty) instead of
            overwriting it.

    >>> import minikeras as keras
    >>> logger = keras.callbacks.CSVLogger("training.log")
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename = os.fspath(filename)
        self.sep = separator
        self.append = append
        self.keys = None
        self.writer = None
        self.csv_file = None
        self.append_header = True

    def on_train_begin(self, logs=None):
        self.append_header = True
        if self.append and os.path.exists(self.filename):
            with open(self.filename) as f:
                self.append_header = not f.readline()
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        # stays open across epochs (closed in on_train_end), as Keras does
        # keras.distribution: only rank 0 writes the file (the others write nowhere)
        path = self.filename if data_parallel.is_chief() else os.devnull
        self.csv_file = open(path, "a" if self.append else "w")  # noqa: SIM115
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            # as Keras 3: without any `val_` key in the first epoch's logs (no validation, or
            # validation_freq > 1), a `val_` column is added for every key ("NA" when absent)
            if self.keys and not any(k.startswith("val_") for k in self.keys):
                self.keys += [f"val_{k}" for k in self.keys]
        if self.writer is None:
            dialect = type("KerasCSV", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch"] + self.keys, dialect=dialect
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((k, _cell(logs.get(k, "NA"))) for k in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
