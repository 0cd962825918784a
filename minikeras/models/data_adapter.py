"""Turns what users pass to `fit`/`evaluate`/`predict` into batches of numpy arrays.

Accepted: numpy arrays (or lists/dicts of them), Python generators and iterators yielding
`x`, `(x, y)` or `(x, y, sample_weight)`, and `keras.utils.PyDataset` (`Sequence`).
"""

import collections
import itertools
import warnings

import numpy as np

from .. import config
from ..distribution import data_parallel
from ..layers.node import flatten, map_structure
from ..utils import random as mk_random
from ..utils.batch_utils import pack_x_y_sample_weight, unpack_x_y_sample_weight  # noqa: F401


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_positive_int(value, name, what, allow_none=True):
    """`value` as an int if it is a positive integer (or None when allowed); else ValueError.

    Keras 3 reads `batch_size=0` and `steps=0` as "not given" and lets negative or fractional
    values fail later with unrelated errors (or silently run nothing): here they are refused.
    """
    if value is None and allow_none:
        return None
    if not _is_int(value) or value < 1:
        raise ValueError(
            f"{what}(): `{name}` should be a positive integer"
            + (" or None" if allow_none else "")
            + f", but got {name}={value!r}"
            + (f" (of type {type(value).__name__})" if not _is_int(value) else "")
            + "."
        )
    return int(value)


def check_fit_arguments(epochs, initial_epoch, validation_split, validation_freq):
    """Checks `fit`'s loop arguments up front (Keras 3 runs nothing for `epochs=-1`, starts at
    a negative `initial_epoch`, ignores a negative `validation_split` and divides by zero for
    `validation_freq=0`; each is a ValueError here). Returns the validation frequency as an int
    or a frozenset of 1-based epochs."""
    for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        if not _is_int(value):  # Keras 3's range() raises TypeError for a float
            raise TypeError(
                f"fit(): `{name}` should be a non-negative integer, but got {name}={value!r} "
                f"of type {type(value).__name__}."
            )
        if value < 0:
            raise ValueError(
                f"fit(): `{name}` should be a non-negative integer, but got {name}={value!r}."
            )
    if (
        isinstance(validation_split, (bool, np.bool_))
        or not isinstance(validation_split, (int, float, np.integer, np.floating))
        or not 0 <= validation_split < 1
    ):
        raise ValueError(
            "fit(): `validation_split` should be a float in [0, 1) (the fraction of the "
            f"training data held out), but got validation_split={validation_split!r}."
        )
    if isinstance(validation_freq, list):  # Keras 3 takes a list or an int, nothing else
        epochs_list = list(validation_freq)
        if not epochs_list or not all(_is_int(e) and e >= 1 for e in epochs_list):
            raise ValueError(
                "fit(): `validation_freq` as a collection lists the (1-based) epochs after "
                "which to validate: positive integers. Received: "
                f"validation_freq={validation_freq!r}."
            )
        return frozenset(int(e) for e in epochs_list)
    if not _is_int(validation_freq) or validation_freq < 1:
        raise ValueError(
            "fit(): `validation_freq` should be a positive integer (validate every that many "
            "epochs) or a list of epochs, but got "
            f"validation_freq={validation_freq!r}."
        )
    return int(validation_freq)


def _is_array_like(v):
    return isinstance(v, (np.ndarray, list, tuple, dict)) or hasattr(v, "__array__")


def _as_arrays(structure, what):
    def conv(v):
        if v is None:
            return None
        arr = np.asarray(v)
        if arr.dtype.kind in "USO" and what == "x":
            return arr  # text, for models starting with StringLookup / TextVectorization
        if arr.dtype.kind not in "biufc":  # complex too (a complex Input), as Keras
            raise TypeError(
                f"`{what}` must hold numbers. Received an array of dtype {arr.dtype} "
                f"with shape {arr.shape}; convert text or objects to numbers first."
            )
        return arr

    if isinstance(structure, (list, tuple)) and structure and np.isscalar(flatten(structure)[0]):
        return conv(structure)
    return map_structure(conv, structure)


def _num_samples(structure, what="x"):
    sizes = []
    for a in flatten(structure):
        if a is None:
            continue
        if np.ndim(a) == 0:
            raise ValueError(
                f"Each array in `{what}` needs a leading batch (samples) dimension, but got a "
                f"scalar {a!r}. Pass e.g. np.array([value]) for one sample."
            )
        sizes.append(len(a))
    return sizes


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights from a `{class: weight}` dict (labels sparse or one-hot)."""
    y = np.asarray(y)
    labels = (
        np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(len(y), -1)[:, 0]
    )
    labels = np.round(labels).astype(np.int64)
    weights = np.ones(len(labels), dtype="float32")
    for cls, w in class_weight.items():
        weights[labels == int(cls)] = w
    return weights


def _single_target(y):
    targets = flatten(y)
    if len(targets) > 1:  # Keras 3's rule
        raise ValueError(
            "`class_weight` is only supported for Models with a single output. Received "
            f"{len(targets)} targets; pass `sample_weight` (one array per output) instead."
        )
    return targets[0]


class ArrayData:
    """Batches over in-memory arrays, shuffled each epoch when asked."""

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=32,
        shuffle=False,
        class_weight=None,
        steps=None,
    ):
        self.x = _as_arrays(x, "x")
        self.y = _as_arrays(y, "y") if y is not None else None
        if isinstance(sample_weight, (dict, list, tuple)) and any(
            _is_array_like(v) or v is None for v in flatten(sample_weight)
        ):  # one array per output (Keras 3): a dict by output name or a list
            self.sample_weight = _as_arrays(sample_weight, "sample_weight")
        else:
            self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        if isinstance(self.sample_weight, np.ndarray) and self.sample_weight.ndim == 0:
            raise ValueError(
                "`sample_weight` needs one weight per sample (an array), but got the scalar "
                f"{sample_weight!r}."
            )
        sizes = _num_samples(self.x, "x")
        if self.y is not None:
            ysizes = _num_samples(self.y, "y")
            if set(ysizes) != set(sizes) or len(set(sizes)) > 1:
                raise ValueError(
                    "Data cardinality is ambiguous: x sizes "
                    f"{sizes}, y sizes {ysizes}. Make sure all arrays contain the same number "
                    "of samples."
                )
        if len(set(sizes)) > 1:
            raise ValueError(
                f"All input arrays must have the same number of samples. Received sizes {sizes}."
            )
        self.n = sizes[0] if sizes else 0
        for sw in flatten(self.sample_weight) if self.sample_weight is not None else []:
            if sw is not None and len(sw) != self.n:
                raise ValueError(f"sample_weight has {len(sw)} entries but x has {self.n} samples.")
        if class_weight is not None:
            if self.y is None:
                raise ValueError("class_weight needs targets `y`.")
            if self.sample_weight is not None:  # Keras 3 rejects the pair
                raise ValueError(
                    "You cannot use `class_weight` and `sample_weight` at the same time. "
                    "Multiply the class weights into `sample_weight` instead."
                )
            self.sample_weight = class_weight_to_sample_weight(_single_target(self.y), class_weight)
        self._from_class_weight = class_weight is not None
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        self.steps = steps
        self._pass = None  # a pass carried over epochs when `steps` is given

    def reset(self):
        """The next epoch starts a new pass (Keras 3's `EpochIterator.reset`)."""
        self._pass = None

    def full_batches(self):
        return int(np.ceil(self.n / self.batch_size)) if self.n else 0

    def num_batches(self):
        """Steps per epoch as Keras 3 reports them (`steps` when given)."""
        return self.steps or self.full_batches()

    def split(self, fraction):
        """Holds out the last `fraction` of samples (before shuffling), as Keras does."""
        if not 0 < fraction < 1:
            raise ValueError(f"validation_split must be in (0, 1). Received: {fraction}")
        cut = int(self.n * (1 - fraction))
        if cut == 0 or cut == self.n:
            raise ValueError(
                f"validation_split={fraction} leaves no samples on one side ({self.n} samples)."
            )

        def part(s, lo, hi):
            return map_structure(lambda a: None if a is None else a[lo:hi], s)

        val = ArrayData(
            part(self.x, cut, self.n),
            part(self.y, cut, self.n) if self.y is not None else None,
            # Keras 3 splits before applying class_weight: validation is not class-weighted
            None if self._from_class_weight else part(self.sample_weight, cut, self.n),
            self.batch_size,
        )
        self.x = part(self.x, 0, cut)
        self.y = part(self.y, 0, cut) if self.y is not None else None
        self.sample_weight = part(self.sample_weight, 0, cut)
        self.n = cut
        return val

    def __iter__(self):
        return epoch_of(self, self._one_pass, self.full_batches())

    def _one_pass(self):
        order = np.arange(self.n)
        if self.shuffle == "batch":
            starts = np.arange(0, self.n, self.batch_size)
            mk_random.global_rng().shuffle(starts)
            order = np.concatenate([order[s : s + self.batch_size] for s in starts])
        elif self.shuffle:
            order = mk_random.global_rng().permutation(self.n)
        if self.shuffle:  # keras.distribution: rank 0's order on every process
            order = data_parallel.same_order(order)
        for b in range(self.full_batches()):
            idx = order[b * self.batch_size : (b + 1) * self.batch_size]
            if self.shuffle:
                take = lambda a, idx=idx: None if a is None else a[idx]
            else:
                lo, hi = b * self.batch_size, (b + 1) * self.batch_size
                take = lambda a, lo=lo, hi=hi: None if a is None else a[lo:hi]  # noqa: E731
            x = map_structure(take, self.x)
            y = map_structure(take, self.y) if self.y is not None else None
            sw = map_structure(take, self.sample_weight) if self.sample_weight is not None else None
            batch = pack_x_y_sample_weight(x, y, sw)
            yield data_parallel.shard_batch(batch, getattr(self, "what", "fit"))


class DatasetData:
    """Batches from a `PyDataset`/`Sequence` (indexable) or from a generator/iterator.

    A generator is read as Keras 3 reads it: its first two batches are taken up front (an empty
    generator is an error), and every pass that starts a new iterator replays those two before
    whatever the generator still holds. Without `steps` each epoch starts a new pass and ends when
    the generator does; with `steps` a pass carries over epochs until the generator runs out,
    which ends that epoch early with a warning (Keras 3.15 observed behaviour).
    """

    _PEEKED = 2  # batches Keras reads ahead to learn the data's structure

    def __init__(self, source, steps=None, class_weight=None, shuffle=False):
        self.source = source
        self.shuffle = shuffle  # a PyDataset's batch order, reshuffled per pass (Keras 3)
        self.steps = steps
        self.class_weight = class_weight
        self.indexable = hasattr(source, "__getitem__") and hasattr(source, "__len__")
        self._current = None
        self._pass = None  # an indexable source's pass carried over epochs (with `steps`)
        if not self.indexable:
            self._generator = iter(source)
            self._first = list(itertools.islice(self._generator, self._PEEKED))
            if not self._first:
                raise ValueError(
                    "The generator passed as `x` yielded no batch: it must yield at least one "
                    "`(x,)`, `(x, y)` or `(x, y, sample_weight)` tuple."
                )
            if not isinstance(self._first[0], tuple):  # Keras 3's GeneratorDataAdapter rule
                raise ValueError(
                    "A generator passed to a Keras model must yield tuples: `(x,)`, `(x, y)` "
                    "or `(x, y, sample_weight)`. Received a batch of type "
                    f"{type(self._first[0]).__name__}: {str(self._first[0])[:100]}"
                )

    def num_batches(self):
        """Steps per epoch as Keras 3 reports them: `steps` when given, else the length of an
        indexable source (None for a generator: unknown until it ends)."""
        if self.steps or not self.indexable:
            return self.steps
        return len(self.source)

    def reset(self):
        """The next epoch starts a new pass (Keras 3's `EpochIterator.reset`)."""
        self._pass = self._current = None

    def _one_pass(self):
        order = np.arange(len(self.source))
        if self.shuffle:
            order = data_parallel.same_order(mk_random.global_rng().permutation(order))
        workers = getattr(self.source, "workers", 1) if _is_dataset(self.source) else 1
        batches = (
            _prefetched(self.source, order.tolist(), int(workers))
            if isinstance(workers, int) and workers > 1
            else (self.source[i] for i in order.tolist())
        )
        for batch in batches:
            yield data_parallel.count_batch(self._fix(batch))

    def _fix(self, batch):
        x, y, sw = unpack_x_y_sample_weight(batch)
        if self.class_weight is not None and y is not None:
            if sw is not None:  # Keras 3's PyDatasetAdapter rejects the pair
                raise ValueError(
                    "You cannot specify `class_weight` and `sample_weight` at the same time."
                )
            sw = class_weight_to_sample_weight(_single_target(y), self.class_weight)
        return pack_x_y_sample_weight(x, y, sw)

    def __iter__(self):
        if self.indexable:
            if hasattr(self.source, "on_epoch_begin"):
                self.source.on_epoch_begin()
            yield from epoch_of(self, self._one_pass, len(self.source))
            if hasattr(self.source, "on_epoch_end"):
                self.source.on_epoch_end()
            return
        if self._current is None or self.steps is None:
            self._current = itertools.chain(self._first, self._generator)
        count = 0
        while self.steps is None or count < self.steps:
            try:
                batch = next(self._current)
            except StopIteration:
                self._current = None
                if self.steps is not None:
                    warnings.warn(
                        f"The input generator ran out of data after {count} of "
                        f"steps={self.steps} batches in this epoch; the epoch ends early. Make "
                        "it yield at least steps_per_epoch * epochs batches (for example loop "
                        "with `while True`).",
                        stacklevel=2,
                    )
                return
            count += 1
            yield data_parallel.count_batch(self._fix(batch))


def epoch_of(data, new_pass, total):
    """One epoch of `data`'s batches, as Keras 3's `EpochIterator` takes them: without `steps`,
    a fresh pass (`new_pass()`, reshuffled); with `steps`, the next `steps` batches of a pass
    that carries over epochs and starts again once its `total` batches are used up (an epoch
    that reaches the end of a pass stops there, with a warning when it is short)."""
    if not data.steps:
        yield from new_pass()
        return
    if data._pass is None:
        data._pass, data._seen = new_pass(), 0
    for step in range(data.steps):
        if data._seen >= total:
            warnings.warn(
                f"Your input ran out of data; this epoch ends after {step} of "
                f"steps={data.steps} batches (the data has {total}). Make sure it can give "
                "at least `steps_per_epoch * epochs` batches.",
                stacklevel=3,
            )
            break
        data._seen += 1
        yield next(data._pass)
    if data._seen >= total:
        data._pass = None


def make_data(
    x,
    y=None,
    sample_weight=None,
    batch_size=None,
    shuffle=False,
    class_weight=None,
    steps=None,
    what="fit",
):
    """The right adapter for `x`; checks the arguments Keras rejects for that kind of data."""
    if x is None:
        raise ValueError(f"{what}() needs input data `x`. Received: x=None")
    if what in ("fit", "evaluate", "predict"):  # keras.config.set_max_steps_per_epoch
        steps = config.capped_steps(steps)
    if _is_array_like(x) and not hasattr(x, "__next__") and not _is_dataset(x):
        data = ArrayData(x, y, sample_weight, batch_size, shuffle, class_weight, steps)
        data.what = what  # keras.distribution splits a predict batch differently
        if data.n == 0 and what not in ("train_on_batch", "test_on_batch"):
            raise ValueError(
                f"{what}(): the input data is empty (0 samples); there is nothing to "
                f"{'train on' if what == 'fit' else 'evaluate' if what == 'evaluate' else 'predict'}."
            )
        return data
    if isinstance(x, (str, bytes)):  # iterable, but not data (Keras 3's message)
        raise ValueError(f"Unrecognized data type: x={x} (of type {type(x)})")
    if y is not None:
        raise ValueError(
            f"{what}(): `y` must not be given when `x` is a generator or PyDataset (it yields "
            "the targets itself)."
        )
    if sample_weight is not None:  # Keras 3: the batches carry their own weights
        raise ValueError(
            f"{what}(): `sample_weight` must not be given when `x` is a generator or PyDataset "
            "(yield `(x, y, sample_weight)` batches instead)."
        )
    if (
        hasattr(x, "__getitem__")
        and hasattr(x, "__len__")
        or hasattr(x, "__iter__")
        or hasattr(x, "__next__")
    ):
        indexable = hasattr(x, "__getitem__") and hasattr(x, "__len__")
        if class_weight is not None and not indexable:
            raise ValueError(
                "Argument `class_weight` is not supported for Python generator inputs (as in "
                f"Keras 3): yield (x, y, sample_weight) instead. Received: class_weight={class_weight}"
            )
        return DatasetData(x, steps, class_weight, shuffle=bool(shuffle))
    raise ValueError(f"{what}(): unrecognized data type: x of type {type(x).__name__}.")


def _is_dataset(x):
    from ..utils.py_dataset import PyDataset

    return isinstance(x, PyDataset)


def _prefetched(source, indices, workers):
    """`source[i]` for each index, in order, computed ahead by `workers` threads with at most
    `source.max_queue_size` batches waiting (Keras's `workers` / `max_queue_size`; the threads
    overlap loading with training where `__getitem__` releases the GIL: file reads, image
    decoding, numpy)."""
    from concurrent.futures import ThreadPoolExecutor

    ahead = max(int(getattr(source, "max_queue_size", 10) or 10), workers)
    it = iter(indices)
    pool = ThreadPoolExecutor(workers, thread_name_prefix="minikeras-pydataset")
    pending = collections.deque(
        pool.submit(source.__getitem__, i) for i in itertools.islice(it, ahead)
    )
    try:
        while pending:
            batch = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(source.__getitem__, nxt))
            yield batch
    finally:  # an epoch cut short (steps_per_epoch): drop what was fetched ahead
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)
