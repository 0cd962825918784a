"""`text_dataset_from_directory`: batches of `.txt` files labelled by their subdirectory."""

import numpy as np

from .directory_utils import from_directory


def _stack_strings(texts):
    """A 1-D object array of str (never a fixed-width unicode array)."""
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    verbose=True,
):
    """A dataset of text batches from a directory with one subdirectory per class.

    `main_directory/class_a/a_text_1.txt`, `main_directory/class_b/b_text_1.txt`, ... give
    texts labelled 0 (class_a) and 1 (class_b): classes are the subdirectories in alphanumeric
    order. Only `.txt` files are read, as UTF-8 (undecodable bytes become U+FFFD).

    Args:
        directory: the data directory.
        labels: `"inferred"` (from the subdirectories), None (no labels), or a list/tuple of
            int labels, one per text file in the alphanumeric order of their paths.
        label_mode: `"int"` (int32 `(batch,)`), `"categorical"` (float32 one-hot),
            `"binary"` (float32 `(batch, 1)`, exactly two classes) or None (texts only).
        class_names: with `labels="inferred"`, the subdirectories to use, in label order.
        batch_size: texts per batch; None yields single texts.
        max_length: keep at most this many characters of each text (Keras counts bytes).
        shuffle: shuffle the files (and reshuffle the training files after each epoch).
        seed: the shuffling seed (needed with `validation_split` and `shuffle`).
        validation_split: fraction of the files set aside for validation (the last ones).
        subset: `"training"`, `"validation"` or `"both"` (returns both datasets).
        follow_links: follow symbolic links to subdirectories.
        verbose: print how many files and classes were found.

    Returns:
        A `PyDataset` of `(texts, labels)` batches, `texts` a 1-D object array of `str`, with
        attributes `class_names` and `file_paths`; with `subset="both"`, the pair
        `(training, validation)`.

    >>> import os, shutil, tempfile, minikeras as keras
    >>> root = tempfile.mkdtemp()
    >>> for name in ("neg", "pos"):
    ...     os.makedirs(os.path.join(root, name))
    ...     with open(os.path.join(root, name, "a.txt"), "w") as f:
    ...         _ = f.write(f"a {name} review")
    >>> ds = keras.utils.text_dataset_from_directory(root, batch_size=2, shuffle=False)
    Found 2 files belonging to 2 classes.
    >>> texts, labels = ds[0]
    >>> texts.tolist(), labels.tolist()
    (['a neg review', 'a pos review'], [0, 1])
    >>> shutil.rmtree(root)
    """
    if max_length is not None and (int(max_length) != max_length or max_length < 0):
        raise ValueError(
            f"`max_length` must be a non-negative int or None. Received: max_length={max_length}"
        )

    def load(path):
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        return text if max_length is None else text[: int(max_length)]

    return from_directory(
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
        (".txt",),
        load,
        _stack_strings,
        "text files",
    )
