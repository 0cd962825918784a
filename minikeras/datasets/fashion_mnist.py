"""Fashion-MNIST: 60,000 training and 10,000 test 28x28 grayscale images of 10 kinds of clothes.

| Label | Description |
|:-----:|-------------|
| 0 | T-shirt/top |
| 1 | Trouser |
| 2 | Pullover |
| 3 | Dress |
| 4 | Coat |
| 5 | Sandal |
| 6 | Shirt |
| 7 | Sneaker |
| 8 | Bag |
| 9 | Ankle boot |
"""

import gzip
import os

import numpy as np

from ._common import fetch

FILE_HASHES = {  # SHA-256 of each file, as Keras checks them
    "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
}


def read_idx(path, ndim):
    """Reads the uint8 array of a gzipped IDX file (magic `0x0000080N`, then N big-endian sizes).

    Args:
        path: the `.gz` file.
        ndim: the number of dimensions N the file must have.

    Returns:
        A uint8 numpy array.

    >>> import gzip, os, tempfile, numpy as np
    >>> from minikeras.datasets import fashion_mnist
    >>> path = os.path.join(tempfile.mkdtemp(), "tiny-idx1-ubyte.gz")
    >>> with gzip.open(path, "wb") as f:
    ...     _ = f.write((0x801).to_bytes(4, "big") + (3).to_bytes(4, "big") + bytes([7, 8, 9]))
    >>> fashion_mnist.read_idx(path, 1).tolist()
    [7, 8, 9]
    >>> os.remove(path)
    """
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[:4], "big")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    header = 4 + 4 * ndim
    if magic != 0x800 + ndim or len(data) != header + int(np.prod(shape)):
        raise ValueError(
            f"{path} is not a {ndim}-D uint8 IDX file (magic {magic:#x}, {len(data)} bytes)."
        )
    return np.frombuffer(data, np.uint8, offset=header).reshape(shape)


def load_data():
    """Loads the Fashion-MNIST dataset (downloaded once into `~/.minikeras/datasets/`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `uint8` images of shape `(60000, 28, 28)` and
        `(10000, 28, 28)`, and `uint8` labels 0-9 of shape `(60000,)` and `(10000,)`.

    License: the copyright for Fashion-MNIST is held by Zalando SE; it is licensed under the
    MIT license.

    The first lines download the data (30 MB, once), so the doctests skip them.

    >>> from minikeras.datasets import fashion_mnist
    >>> (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()  # doctest: +SKIP
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((60000, 28, 28), (10000, 28, 28))
    """
    subdir = os.path.join("datasets", "fashion-mnist")
    paths = {
        name: fetch(name, name, file_hash, cache_subdir=subdir)
        for name, file_hash in FILE_HASHES.items()
    }
    y_train = read_idx(paths["train-labels-idx1-ubyte.gz"], 1)
    x_train = read_idx(paths["train-images-idx3-ubyte.gz"], 3)
    y_test = read_idx(paths["t10k-labels-idx1-ubyte.gz"], 1)
    x_test = read_idx(paths["t10k-images-idx3-ubyte.gz"], 3)
    return (x_train, y_train), (x_test, y_test)
