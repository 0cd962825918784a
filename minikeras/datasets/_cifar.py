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
    """`(images (n, 3, 32, 32) uint8, labels (n, label_bytes) uint8)` from binary batch files."""
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
    """The path of `name` under the extraction directory `root` (any subdirectory)."""
    for dirpath, _, files in sorted(os.walk(root)):
        if name in files:
            return os.path.join(dirpath, name)
    raise FileNotFoundError(
        f"{name} is missing from the extracted archive in {root}. Delete that directory and "
        "the archive beside it to download them again."
    )


def to_data_format(x):
    """Channels-last `(n, 32, 32, 3)` unless `keras.config.image_data_format()` says first."""
    if config.image_data_format() == "channels_last":
        x = x.transpose(0, 2, 3, 1)
    return np.ascontiguousarray(x)
