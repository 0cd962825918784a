"""Shared by the dataset loaders: where files come from, safe `.npz` reading, word-id filtering.

Every loader downloads from the public location Keras uses, through `get_file` and with the
hash Keras checks. Set the environment variable `MINIKERAS_DATASETS_URL` to fetch every dataset
file from another base URL instead (a mirror, or a local server in tests): the file name is
appended to it.
"""

import io
import os
import zipfile

import numpy as np

from ..utils.file_utils import get_file
from ._object_arrays import read_object_array

URL_ENV = "MINIKERAS_DATASETS_URL"
KERAS_DATASETS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CIFAR_URL = "https://www.cs.toronto.edu/~kriz/"
_MAX_EXPANSION = 200  # a member inflating beyond this ratio (and past 1 GiB) is a zip bomb


def origin(filename, default_base=KERAS_DATASETS_URL):
    """The URL of a dataset file: `$MINIKERAS_DATASETS_URL` or `default_base`, plus the name."""
    base = os.environ.get(URL_ENV) or default_base
    return base.rstrip("/") + "/" + filename


def fetch(path, filename, file_hash, default_base=KERAS_DATASETS_URL, **kwargs):
    """Downloads a dataset file once into the cache and returns its local path.

    This is `get_file(path, origin(filename), file_hash=file_hash, **kwargs)`: the URL is
    `$MINIKERAS_DATASETS_URL` (if set) or `default_base`, plus `filename`, and the file's hash is
    checked.

    Args:
        path: the file name of the cached copy (relative to `~/.minikeras/datasets`).
        filename: the file's name on the server.
        file_hash: its expected SHA-256 (or MD5) hex digest.
        default_base: the base URL used when `$MINIKERAS_DATASETS_URL` is not set.
        **kwargs: passed to `keras.utils.get_file` (such as `extract=True`).

    Returns:
        The local path of the file (or of the extracted directory).

    >>> from minikeras.datasets import mnist
    >>> path = mnist.fetch("mnist.npz", "mnist.npz", mnist.FILE_HASH)  # doctest: +SKIP
    """
    return get_file(path, origin=origin(filename, default_base), file_hash=file_hash, **kwargs)


def load_npz(path):
    """Reads every array of an `.npz` file into a dict, without pickle.

    Numeric arrays are read by numpy with `allow_pickle=False`; object arrays by
    `read_object_array`, which only rebuilds data (never calls what the file names).

    Args:
        path: the `.npz` file.

    Returns:
        A dict of name -> numpy array.

    >>> import os, tempfile, numpy as np
    >>> from minikeras.datasets import mnist
    >>> path = os.path.join(tempfile.mkdtemp(), "tiny.npz")
    >>> np.savez(path, x=np.arange(3))
    >>> mnist.load_npz(path)["x"].tolist()
    [0, 1, 2]
    >>> os.remove(path)
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                continue
            if info.file_size > (1 << 30) and info.file_size > _MAX_EXPANSION * info.compress_size:
                raise ValueError(
                    f"Refusing to read {path}: the member {info.filename!r} would inflate "
                    f"{info.compress_size} bytes to {info.file_size}."
                )
            with archive.open(info) as f:
                arrays[info.filename[:-4]] = read_npy(f.read(), f"{path}:{info.filename}")
    return arrays


def read_npy(data, name="array"):
    """The array in the bytes of a `.npy` file (object arrays included, without pickle)."""
    buf = io.BytesIO(data)
    version = np.lib.format.read_magic(buf)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(buf)
    elif version in ((2, 0), (3, 0)):  # 3.0 differs only by a UTF-8 (not latin1) header
        shape, _, dtype = np.lib.format.read_array_header_2_0(buf)
    else:
        raise ValueError(f"{name}: unsupported .npy format version {version}.")
    if not dtype.hasobject:
        buf.seek(0)
        return np.lib.format.read_array(buf, allow_pickle=False)
    array = read_object_array(data[buf.tell() :])
    if array.shape != tuple(shape):
        raise ValueError(
            f"{name}: the header says shape {tuple(shape)}, the data holds {array.shape}."
        )
    return array


def shuffle_together(seed, *arrays):
    """Reorders several arrays by the same `np.random.RandomState(seed)` permutation (as Keras).

    Args:
        seed: the seed of the permutation.
        *arrays: arrays with the same first dimension.

    Returns:
        A list of the reordered arrays.

    >>> import numpy as np
    >>> from minikeras.datasets import boston_housing
    >>> x, y = boston_housing.shuffle_together(0, np.arange(4), np.arange(4) * 10)
    >>> bool((y == x * 10).all()), sorted(x.tolist())
    (True, [0, 1, 2, 3])
    """
    indices = np.arange(len(arrays[0]))
    np.random.RandomState(seed).shuffle(indices)
    return [a[indices] for a in arrays]


def remove_long_seq(maxlen, seqs, labels):
    """Keeps the sequences strictly shorter than `maxlen`, with their labels (Keras's rule).

    Args:
        maxlen: the length limit (sequences of this length or more are dropped).
        seqs: a list of sequences.
        labels: one label per sequence.

    Returns:
        The kept `(seqs, labels)`, as two lists.

    >>> from minikeras.datasets import imdb
    >>> imdb.remove_long_seq(3, [[1, 2], [1, 2, 3]], [0, 1])
    ([[1, 2]], [0])
    """
    kept = [(x, y) for x, y in zip(seqs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def add_offsets(xs, start_char, index_from):
    """Shifts word ids by `index_from` and starts each sequence with `start_char` if given.

    Args:
        xs: a list of sequences of word ids.
        start_char: the id put first in every sequence, or `None`.
        index_from: the offset added to every id.

    Returns:
        A list of new lists.

    >>> from minikeras.datasets import imdb
    >>> imdb.add_offsets([[0, 5]], start_char=1, index_from=3)
    [[1, 3, 8]]
    """
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    return [[w + index_from for w in x] for x in xs]


def limit_vocabulary(xs, num_words, skip_top, oov_char):
    """Replaces ids outside `[skip_top, num_words)` by `oov_char`, or drops them if it is None.

    Without `num_words`, the largest id present is the bound, which (as in Keras) leaves that
    largest id itself out.

    Args:
        xs: a list of sequences of word ids.
        num_words: the upper bound (excluded), or `None`.
        skip_top: the lower bound (included).
        oov_char: the replacement id, or `None` to drop the ids.

    Returns:
        A list of new lists.

    >>> from minikeras.datasets import imdb
    >>> imdb.limit_vocabulary([[1, 5, 9]], num_words=6, skip_top=2, oov_char=0)
    [[0, 5, 0]]
    """
    if not num_words:
        if not any(len(x) for x in xs):
            raise ValueError("No word left to index: every sequence is empty. Increase maxlen.")
        num_words = max(max(x) for x in xs if len(x))
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def as_object_array(seqs):
    """Packs a list of lists into a 1-D object array (never a 2-D array, even for equal lengths).

    Args:
        seqs: a list of sequences.

    Returns:
        A 1-D numpy array of dtype object, one list per item.

    >>> from minikeras.datasets import imdb
    >>> a = imdb.as_object_array([[1, 2], [3, 4]])
    >>> a.shape, a.dtype.name, a[1]
    ((2,), 'object', [3, 4])
    """
    out = np.empty(len(seqs), dtype=object)
    for i, s in enumerate(seqs):
        out[i] = s
    return out
