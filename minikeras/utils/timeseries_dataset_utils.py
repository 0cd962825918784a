"""`timeseries_dataset_from_array`: batches of sliding windows over a timeseries.

Keras builds a `tf.data.Dataset`; minikeras returns a `PyDataset` of the same batches, which
`fit`, `evaluate` and `predict` read directly and which supports `take(n)` and iteration as the
keras.io examples use the dataset. Batches are minikeras Tensors (they have `.numpy()`, like the
tensors a `tf.data.Dataset` yields).
"""

import numpy as np

from ..core.tensor import Tensor
from .py_dataset import PyDataset


class TimeseriesDataset(PyDataset):
    """Batches `(windows, targets)` (or `windows` without targets) in a fixed order.

    Window `j` takes `data[start_index:end_index]` at steps `p_j, p_j + r, ...,
    p_j + (sequence_length - 1) * r` (r the sampling rate), and its target is
    `targets[start_index:end_index][p_j]`, with `p_j` the `j`-th start position.
    """

    def __init__(self, data, targets, positions, sequence_length, sampling_rate, batch_size):
        super().__init__()
        self.data, self.targets = data, targets
        self.positions = positions
        self.sequence_length, self.sampling_rate = sequence_length, sampling_rate
        self.batch_size = batch_size
        self._steps = np.arange(sequence_length) * sampling_rate

    def __len__(self):
        if self.batch_size is None:
            return len(self.positions)
        return -(-len(self.positions) // self.batch_size)

    def __getitem__(self, index):
        if not -len(self) <= index < len(self):
            raise IndexError(f"Batch index {index} out of range for {len(self)} batches.")
        index %= len(self)
        if self.batch_size is None:  # unbatched: one window
            starts = self.positions[index]
        else:
            starts = self.positions[index * self.batch_size : (index + 1) * self.batch_size]
        x = Tensor(self.data[np.add.outer(starts, self._steps)])
        return x if self.targets is None else (x, Tensor(self.targets[starts]))

    def take(self, count):
        """The first `count` batches (all of them if `count` is -1), as `tf.data`'s `take`."""
        count = len(self) if count == -1 else min(int(count), len(self))
        stop = count if self.batch_size is None else count * self.batch_size
        return TimeseriesDataset(
            self.data,
            self.targets,
            self.positions[:stop],
            self.sequence_length,
            self.sampling_rate,
            self.batch_size,
        )

    def cardinality(self):
        """The number of batches (`tf.data.Dataset.cardinality`)."""
        return len(self)


def _check(data, start_index, end_index, sampling_rate, sequence_stride, fmt):
    n = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(
                f"`start_index` must be 0 or greater. Received: start_index={start_index}"
            )
        if start_index >= n:
            raise ValueError(
                "`start_index` must be lower than the length of the data. Received: "
                f"start_index={start_index}, for data of length {n}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. Received: "
                f"start_index={start_index}, and end_index={end_index}"
            )
        if end_index >= n:
            raise ValueError(
                "`end_index` must be lower than the length of the data. Received: "
                f"end_index={end_index}, for data of length {n}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= n:
            raise ValueError(
                f"`{name}` must be lower than the length of the data. Received: "
                f"{name}={value}, for data of length {n}"
            )
    if fmt not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={fmt}')


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
    format="tf",
):
    """A dataset of sliding windows over a timeseries (axis 0 is time).

    Args:
        data: array-like of timesteps (a numpy array, list or pandas object).
        targets: the target of the window starting at step `i` is `targets[i]`; None for a
            dataset of windows only.
        sequence_length: timesteps per window.
        sequence_stride: steps between the starts of consecutive windows.
        sampling_rate: steps between the timesteps of one window.
        batch_size: windows per batch (the last may be smaller); None yields single windows.
        shuffle: draw the windows in random order (Keras shuffles the start positions with
            `np.random.RandomState(seed)`, as here; its extra `tf.data` shuffle buffer is not
            reproduced).
        seed: the shuffling seed.
        start_index, end_index: only `data[start_index:end_index]` is used (and targets are
            indexed from `start_index`), to reserve part of the data for validation.
        format: "tf" or "grain" in Keras; both give the same batches here.

    Returns:
        A `TimeseriesDataset` (a `PyDataset`) of `(windows, targets)` batches, windows shaped
        `(batch, sequence_length, *data.shape[1:])`, in the data's dtype.

    >>> import numpy as np, minikeras as keras
    >>> ds = keras.utils.timeseries_dataset_from_array(np.arange(10), None, 3, batch_size=4)
    >>> [batch.numpy().tolist() for batch in ds.take(1)]
    [[[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]]]
    >>> len(ds)
    2
    """
    data = np.asarray(data)
    _check(data, start_index, end_index, sampling_rate, sequence_stride, format)
    start = 0 if start_index is None else int(start_index)
    end = len(data) if end_index is None else int(end_index)
    count = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        count = min(count, len(targets))
    positions = np.arange(0, max(count, 0), sequence_stride)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(positions)
    return TimeseriesDataset(
        data[start:end],
        None if targets is None else targets[start:end],
        positions,
        sequence_length,
        sampling_rate,
        batch_size,
    )
