"""Shared by `image_dataset_from_directory` and `text_dataset_from_directory`: indexing files
under class subdirectories, the validation split, and the `PyDataset` of numpy batches."""

import os

import numpy as np

from .py_dataset import PyDataset

LABEL_MODES = ("int", "categorical", "binary", None)


def check_arguments(labels, label_mode, class_names, validation_split, subset, shuffle, seed):
    """Keras's argument rules; returns `(labels, label_mode)` with both None if either is."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same size "
                "as the number of files in the target directory. To infer the labels from the "
                'subdirectory names, pass `labels="inferred"`; for a dataset without labels, '
                f"pass `labels=None`. Received: labels={labels!r}"
            )
        if class_names:
            raise ValueError(
                f'You can only pass `class_names` if `labels="inferred"`. Received: '
                f"labels={labels!r}, and class_names={class_names!r}"
            )
    if label_mode not in LABEL_MODES:
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", "binary", or None. '
            f"Received: label_mode={label_mode!r}"
        )
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1, received: {validation_split}"
        )
    if bool(validation_split) != bool(subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'`subset` must be either "training", "validation" or "both", received: {subset!r}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide a `seed` "
            "argument, to make sure that there is no overlap between the training and "
            "validation subset."
        )
    if labels is None or label_mode is None:
        return None, None
    return labels, label_mode


def _walk(directory, follow_links, formats):
    """Files ending in one of `formats` (case-insensitive) under `directory`, in sorted order."""
    found = []
    for root, _dirs, files in sorted(os.walk(directory, followlinks=follow_links)):
        found += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(formats)]
    return found


def index_directory(
    directory,
    labels,
    formats,
    class_names=None,
    shuffle=True,
    seed=None,
    follow_links=False,
    verbose=True,
):
    """`(file_paths, labels, class_names)` for the files of `formats` under `directory`.

    With `labels="inferred"`, each subdirectory (not starting with ".") is a class, in
    alphanumeric order unless `class_names` gives the order; labels are int32. With a list of
    labels, they follow the sorted file paths. Shuffled with `RandomState(seed)` if `shuffle`.
    """
    if not os.path.isdir(directory):
        raise ValueError(f"Expected a directory. Received: directory={directory!r}")
    if labels == "inferred":
        subdirs = sorted(
            d
            for d in os.listdir(directory)
            if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")
        )
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError(
                    "The `class_names` passed did not match the names of the subdirectories "
                    f"of the target directory. Expected: {subdirs} (or a subset of it), but "
                    f"received: class_names={list(class_names)}"
                )
            subdirs = list(class_names)  # keep the given order
        paths, label_list = [], []
        for index, sub in enumerate(subdirs):
            found = _walk(os.path.join(directory, sub), follow_links, formats)
            paths += found
            label_list += [index] * len(found)
        labels = np.asarray(label_list, dtype="int32")
        class_names = list(subdirs)
    else:
        paths = _walk(directory, follow_links, formats)
        if labels is not None:
            if len(labels) != len(paths):
                raise ValueError(
                    "Expected the lengths of `labels` to match the number of files in the "
                    f"target directory. len(labels) is {len(labels)} while we found "
                    f"{len(paths)} files in directory {directory}."
                )
            class_names = [str(label) for label in sorted(set(labels))]
            labels = np.asarray(labels)
        else:
            class_names = None
    if verbose:
        if labels is None:
            print(f"Found {len(paths)} files.")
        else:
            print(f"Found {len(paths)} files belonging to {len(class_names)} classes.")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1_000_000)
        order = np.arange(len(paths))
        np.random.RandomState(seed).shuffle(order)
        paths = [paths[i] for i in order]
        labels = None if labels is None else labels[order]
    return paths, labels, class_names


def split(paths, labels, validation_split, subset, verbose=True):
    """The last `int(validation_split * n)` files are validation, the others training."""
    if not validation_split:
        return paths, labels
    num_val = int(validation_split * len(paths))
    n_train = len(paths) - num_val
    keep = slice(0, n_train) if subset == "training" else slice(n_train, None)
    if verbose:
        print(f"Using {len(paths[keep])} files for {subset}.")
    return paths[keep], None if labels is None else labels[keep]


def encode_labels(labels, label_mode, num_classes):
    """int -> int32 `(n,)`; categorical -> float32 one-hot; binary -> float32 `(n, 1)`."""
    if label_mode == "int":
        return np.asarray(labels, dtype="int32")
    if label_mode == "binary":
        return np.asarray(labels, dtype="float32").reshape(-1, 1)
    labels = np.asarray(labels, dtype="int64")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f'label_mode="categorical" needs labels in [0, {num_classes}). Received labels '
            f"from {labels.min()} to {labels.max()}."
        )
    return np.eye(num_classes, dtype="float32")[labels]


class DirectoryDataset(PyDataset):
    """Batches of `(x, y)` (or `x` without labels) read from files on each `__getitem__`.

    Attributes:
        file_paths: the files, in the order of the first epoch.
        class_names: the class names (None without labels).
    """

    def __init__(
        self,
        file_paths,
        labels,
        label_mode,
        class_names,
        batch_size,
        load,
        stack,
        reshuffle=False,
        seed=None,
    ):
        super().__init__()
        self.file_paths, self.class_names = list(file_paths), class_names
        n = 1 if label_mode == "binary" else len(class_names or ())
        self.targets = None if labels is None else encode_labels(labels, label_mode, n)
        self.batch_size, self._load, self._stack = batch_size, load, stack
        self._order = np.arange(len(self.file_paths))
        self._rng = np.random.RandomState(seed) if reshuffle else None

    def __len__(self):
        if self.batch_size is None:
            return len(self.file_paths)
        return (len(self.file_paths) + self.batch_size - 1) // self.batch_size

    def __getitem__(self, index):
        if not -len(self) <= index < len(self):
            raise IndexError(f"Batch index {index} out of range for {len(self)} batches.")
        index %= len(self)
        if self.batch_size is None:  # unbatched: one sample
            i = self._order[index]
            x = self._load(self.file_paths[i])
            return x if self.targets is None else (x, self.targets[i])
        rows = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        x = self._stack([self._load(self.file_paths[i]) for i in rows])
        return x if self.targets is None else (x, self.targets[rows])

    def on_epoch_end(self):
        if self._rng is not None:  # reshuffle the training files between epochs
            self._rng.shuffle(self._order)


def from_directory(
    directory,
    labels,
    label_mode,
    class_names,
    batch_size,
    shuffle,
    seed,
    validation_split,
    subset,
    follow_links,
    verbose,
    formats,
    load,
    stack,
    what,
):
    """The dataset (or `(training, validation)` for `subset="both"`) of the matching files."""
    labels, label_mode = check_arguments(
        labels, label_mode, class_names, validation_split, subset, shuffle, seed
    )
    if seed is None:
        seed = np.random.randint(1_000_000)
    paths, labels, class_names = index_directory(
        os.fspath(directory),
        labels,
        formats,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 class_names. '
            f"Received: class_names={class_names}"
        )
    if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
        raise ValueError(f"`batch_size` must be a positive int or None. Received: {batch_size}")

    def make(sub, reshuffle):
        p, lab = split(paths, labels, validation_split, sub, verbose)
        if not p:
            raise ValueError(
                f"No {what} found in directory {directory}"
                + (f" for the {sub} subset" if sub else "")
                + f". Allowed formats: {formats}"
            )
        return DirectoryDataset(
            p,
            lab,
            label_mode,
            class_names,
            batch_size,
            load,
            stack,
            reshuffle=reshuffle and shuffle,
            seed=seed,
        )

    if subset == "both":
        return make("training", True), make("validation", False)
    return make(subset, subset != "validation")
