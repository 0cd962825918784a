"""Reads the CIFAR "binary version" batches with numpy (Keras unpickles the python version).

Each record is its label byte(s) followed by 3072 pixel bytes: the 1024 red values of the
32x32 image row by row, then the green, then the blue. CIFAR-10 has one label byte, CIFAR-100
two (coarse, then fine). The binary archives hold the same images and labels in the same order
as the python ones, and need no pickle to read.
"""

import os

import numpy as np

from .. import config


def read_batches(paths, label_bytes):
    """Reads CIFAR "binary version" batch files into images and labels.

    Each record is `label_bytes` label bytes followed by 3072 pixel bytes (the red, green and
    blue 32x32 planes).

    Args:
        paths: the batch files, read in order.
        label_bytes: 1 for CIFAR-10, 2 for CIFAR-100 (coarse, then fine).

    Returns:
        A pair `(images, labels)`: uint8 arrays of shapes `(n, 3, 32, 32)` and `(n, label_bytes)`.

    >>> import os, tempfile, numpy as np
    >>> from minikeras.datasets import cifar10
    >>> path = os.path.join(tempfile.mkdtemp(), "batch.bin")
    >>> np.concatenate([[7], np.zeros(3072)]).astype(np.uint8).tofile(path)
    >>> images, labels = cifar10.read_batches([path], label_bytes=1)
    >>> images.shape, labels.tolist()
    ((1, 3, 32, 32), [[7]])
    >>> os.remove(path)
    """
    record = label_bytes + 3 * 32 * 32
    chunks = []
    for path in paths:
        raw = np.fromfile(path, dtype=np.uint8)
        if raw.size == 0 or raw.size % record:
            raise ValueError(
                f"{path} is not a CIFAR binary batch: {raw.size} bytes is not a whole number "
                f"of {record}-byte records."
            )
        chunks.append(raw.reshape(-1, record))
    data = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
    return data[:, label_bytes:].reshape(-1, 3, 32, 32), data[:, :label_bytes].copy()


def find(root, name):
    """Returns the path of the file `name` anywhere under the directory `root`.

    Args:
        root: the extraction directory of an archive.
        name: the file name to look for.

    Returns:
        The path; a missing file raises `FileNotFoundError`.

    >>> import os, tempfile
    >>> from minikeras.datasets import cifar10
    >>> root = tempfile.mkdtemp()
    >>> os.makedirs(os.path.join(root, "cifar-10-batches-bin"))
    >>> open(os.path.join(root, "cifar-10-batches-bin", "test_batch.bin"), "wb").close()
    >>> os.path.relpath(cifar10.find(root, "test_batch.bin"), root)
    'cifar-10-batches-bin/test_batch.bin'
    """
    for dirpath, _, files in sorted(os.walk(root)):
        if name in files:
            return os.path.join(dirpath, name)
    raise FileNotFoundError(
        f"{name} is missing from the extracted archive in {root}. Delete that directory and "
        "the archive beside it to download them again."
    )


def to_data_format(x):
    """Moves CIFAR images `(n, 3, 32, 32)` to channels last, unless the global format says first.

    Args:
        x: images of shape `(n, 3, 32, 32)`.

    Returns:
        A C-contiguous array, `(n, 32, 32, 3)` with `keras.config.image_data_format()` at its
        default `"channels_last"`.

    >>> import numpy as np
    >>> from minikeras.datasets import cifar10
    >>> cifar10.to_data_format(np.zeros((2, 3, 32, 32), np.uint8)).shape
    (2, 32, 32, 3)
    """
    if config.image_data_format() == "channels_last":
        x = x.transpose(0, 2, 3, 1)
    return np.ascontiguousarray(x)
