"""IMDB movie reviews labelled by sentiment: 25,000 for training, 25,000 for testing.

Reviews are lists of word ids, a word's id being its frequency rank in the training set (1 is
the most frequent word), so "the 10,000 most frequent words but not the top 20" is a filter
on ids. Id 0 is padding, 1 marks a sequence start and 2 an out-of-vocabulary word, so real
words are shifted by `index_from` (3) by default.

The `.npz` file stores the reviews as numpy object arrays, which `np.load` reads only with
`allow_pickle=True`; minikeras rebuilds them with a data-only reader instead (nothing in the file
is executed).
"""

import json

import numpy as np

from ._common import (
    add_offsets,
    as_object_array,
    fetch,
    limit_vocabulary,
    load_npz,
    remove_long_seq,
)

FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"  # SHA-256
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"  # md5, as Keras checks it


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Loads the IMDB dataset (downloaded once into `~/.minikeras/datasets/`).

    Args:
        path: the file name of the cached copy (relative to `~/.minikeras/datasets`).
        num_words: keep the `num_words` most frequent words; ids at or above it become
            `oov_char`. None keeps all (but, as in Keras, the largest id becomes `oov_char`).
        skip_top: ids below it (the most frequent words, once offset) become `oov_char`.
        maxlen: drop the reviews whose length (with `start_char`) is `maxlen` or more.
        seed: seed of the shuffle of each split.
        start_char: id put at the start of every review (None: none).
        oov_char: id replacing the words cut by `num_words` or `skip_top` (None: drop them).
        index_from: offset added to every word id.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `x` are 1-D object arrays of lists of ints,
        `y` arrays of 0 (negative) or 1 (positive) labels.

    The first lines download the data (17 MB, once), so the doctests skip them.

    >>> from minikeras.datasets import imdb
    >>> (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=10000)  # doctest: +SKIP
    >>> len(x_train), len(x_test), int(y_train.max())  # doctest: +SKIP
    (25000, 25000, 1)
    """
    path = fetch(path, "imdb.npz", FILE_HASH)
    f = load_npz(path)
    # one RandomState shuffles both splits in turn, as in Keras
    rng = np.random.RandomState(seed)
    order = np.arange(len(f["x_train"]))
    rng.shuffle(order)
    x_train, labels_train = f["x_train"][order], f["y_train"][order]
    order = np.arange(len(f["x_test"]))
    rng.shuffle(order)
    x_test, labels_test = f["x_test"][order], f["y_test"][order]

    x_train = add_offsets(x_train, start_char, index_from)
    x_test = add_offsets(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = remove_long_seq(maxlen, x_train, labels_train)
        x_test, labels_test = remove_long_seq(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
                "kept. Increase maxlen."
            )
    xs = limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([np.asarray(labels_train), np.asarray(labels_test)])
    n = len(x_train)
    return (as_object_array(xs[:n]), labels[:n]), (as_object_array(xs[n:]), labels[n:])


def get_word_index(path="imdb_word_index.json"):
    """Returns the dict mapping each word to its frequency rank (its id before `index_from`).

    To decode a sequence from `load_data()` with the default offsets, map id `i + 3` to the
    word of rank `i`: `words = {i + 3: w for w, i in get_word_index().items()}`, plus
    `words[1] = "[START]"` and `words[2] = "[OOV]"`. The first line below downloads the index
    (1.6 MB, once), so the doctests skip it.

    Args:
        path: the file name of the cached copy (relative to `~/.minikeras/datasets`).

    Returns:
        A dict of word -> rank.

    >>> from minikeras.datasets import imdb
    >>> word_index = imdb.get_word_index()  # doctest: +SKIP
    >>> word_index["the"]  # doctest: +SKIP
    1
    """
    path = fetch(path, "imdb_word_index.json", WORD_INDEX_HASH)
    with open(path, encoding="utf-8") as f:
        return json.load(f)
