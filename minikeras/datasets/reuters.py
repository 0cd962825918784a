"""Reuters newswires labelled over 46 topics: 11,228 wires split into train and test.

Wires are lists of word ids ranked by frequency, as in `imdb` (0 padding, 1 start, 2
out-of-vocabulary, words shifted by `index_from`). The `.npz` file's object arrays are read
with minikeras's data-only reader, not pickle.
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
    shuffle_together,
)

FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"  # SHA-256
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"  # md5, as Keras checks it
LABEL_NAMES = (
    "cocoa",
    "grain",
    "veg-oil",
    "earn",
    "acq",
    "wheat",
    "copper",
    "housing",
    "money-supply",
    "coffee",
    "sugar",
    "trade",
    "reserves",
    "ship",
    "cotton",
    "carcass",
    "crude",
    "nat-gas",
    "cpi",
    "money-fx",
    "interest",
    "gnp",
    "meal-feed",
    "alum",
    "oilseed",
    "gold",
    "tin",
    "strategic-metal",
    "livestock",
    "retail",
    "ipi",
    "iron-steel",
    "rubber",
    "heat",
    "jobs",
    "lei",
    "bop",
    "zinc",
    "orange",
    "pet-chem",
    "dlr",
    "gas",
    "silver",
    "wpi",
    "hog",
    "lead",
)


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Loads the Reuters newswire dataset (downloaded once into `~/.minikeras/datasets/`).

    Args:
        path: the file name of the cached copy (relative to `~/.minikeras/datasets`).
        num_words: keep the `num_words` most frequent words; ids at or above it become
            `oov_char`. None keeps all (but, as in Keras, the largest id becomes `oov_char`).
        skip_top: ids below it (the most frequent words, once offset) become `oov_char`.
        maxlen: drop the wires whose length (with `start_char`) is `maxlen` or more.
        test_split: fraction of the (shuffled) wires put in the test split.
        seed: seed of the shuffle.
        start_char: id put at the start of every wire (None: none).
        oov_char: id replacing the words cut by `num_words` or `skip_top` (None: drop them).
        index_from: offset added to every word id.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `x` are 1-D object arrays of lists of ints,
        `y` arrays of topic ids 0-45 (names: `get_label_names()`).

    The first lines download the data (2 MB, once), so the doctests skip them.

    >>> from minikeras.datasets import reuters
    >>> (x_train, y_train), (x_test, y_test) = reuters.load_data(num_words=10000)  # doctest: +SKIP
    >>> len(x_train), len(x_test)  # doctest: +SKIP
    (8982, 2246)
    """
    path = fetch(path, "reuters.npz", FILE_HASH)
    f = load_npz(path)
    xs, labels = shuffle_together(seed, f["x"], f["y"])
    xs = add_offsets(xs, start_char, index_from)
    if maxlen:
        xs, labels = remove_long_seq(maxlen, xs, labels)
    xs = limit_vocabulary(xs, num_words, skip_top, oov_char)
    n = int(len(xs) * (1 - test_split))
    labels = np.asarray(labels)
    x_train, x_test = as_object_array(xs[:n]), as_object_array(xs[n:])
    return (x_train, labels[:n].copy()), (x_test, labels[n:].copy())


def get_word_index(path="reuters_word_index.json"):
    """Returns the dict mapping each word to its frequency rank (its id before `index_from`).

    With the default offsets the word of rank 1 appears as id 4 in `load_data()`'s sequences.
    The first line below downloads the index (550 kB, once), so the doctests skip it.

    Args:
        path: the file name of the cached copy (relative to `~/.minikeras/datasets`).

    Returns:
        A dict of word -> rank.

    >>> from minikeras.datasets import reuters
    >>> word_index = reuters.get_word_index()  # doctest: +SKIP
    >>> word_index["the"]  # doctest: +SKIP
    1
    """
    path = fetch(path, "reuters_word_index.json", WORD_INDEX_HASH)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def get_label_names():
    """Returns the 46 topic names, indexed by the labels `load_data()` returns.

    Returns:
        A tuple of 46 strings.

    >>> from minikeras.datasets import reuters
    >>> len(reuters.get_label_names()), reuters.get_label_names()[:3]
    (46, ('cocoa', 'grain', 'veg-oil'))
    """
    return LABEL_NAMES
