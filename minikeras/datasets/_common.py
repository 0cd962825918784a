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
    """`get_file(path, origin(filename), file_hash=file_hash, **kwargs)`."""
    return get_file(path, origin=origin(filename, default_base), file_hash=file_hash, **kwargs)


def load_npz(path):
    """A dict of the arrays in an `.npz` file, read without pickle.

    Numeric arrays are read by numpy with `allow_pickle=False`; object arrays by
    `read_object_array`, which only rebuilds data (never calls what the file names).
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
    """The arrays reordered by one `np.random.RandomState(seed)` permutation (as Keras)."""
    indices = np.arange(len(arrays[0]))
    np.random.RandomState(seed).shuffle(indices)
    return [a[indices] for a in arrays]


def remove_long_seq(maxlen, seqs, labels):
    """Keeps the sequences strictly shorter than `maxlen`, with their labels (Keras's rule)."""
    kept = [(x, y) for x, y in zip(seqs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def add_offsets(xs, start_char, index_from):
    """Word ids shifted by `index_from`, each sequence starting with `start_char` if given."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    return [[w + index_from for w in x] for x in xs]


def limit_vocabulary(xs, num_words, skip_top, oov_char):
    """Ids outside `[skip_top, num_words)` become `oov_char`, or are dropped if it is None.

    Without `num_words`, the largest id present is the bound, which (as in Keras) leaves that
    largest id itself out.
    """
    if not num_words:
        if not any(len(x) for x in xs):
            raise ValueError("No word left to index: every sequence is empty. Increase maxlen.")
        num_words = max(max(x) for x in xs if len(x))
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def as_object_array(seqs):
    """A 1-D object array whose items are the given lists (never a 2-D array)."""
    out = np.empty(len(seqs), dtype=object)
    for i, s in enumerate(seqs):
        out[i] = s
    return out
