"""CIFAR-10: 50,000 training and 10,000 test 32x32 colour images in 10 classes.

| Label | Description |
|:-----:|-------------|
| 0 | airplane |
| 1 | automobile |
| 2 | bird |
| 3 | cat |
| 4 | deer |
| 5 | dog |
| 6 | frog |
| 7 | horse |
| 8 | ship |
| 9 | truck |

minikeras downloads the "binary version" (`cifar-10-binary.tar.gz`) from the CIFAR homepage
and parses it with numpy, where Keras unpickles the "python version": same images, same labels,
same order, no pickle.
"""

from ._cifar import find, read_batches, to_data_format
from ._common import CIFAR_URL, fetch

FILENAME = "cifar-10-binary.tar.gz"
FILE_HASH = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
"""SHA-256 of the binary archive (the CIFAR homepage gives its md5,
c32a1d4ab5d03f1284b67883e8d87530)."""


def load_data():
    """Loads the CIFAR-10 dataset (downloaded once into `~/.minikeras/datasets/`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `uint8` images of shape `(50000, 32, 32, 3)` and
        `(10000, 32, 32, 3)` (channels first if `keras.config.image_data_format()` says so),
        with values 0-255, and `uint8` labels 0-9 of shape `(50000, 1)` and `(10000, 1)`.

    The first lines download the data (163 MB, once), so the doctests skip them.

    >>> from minikeras.datasets import cifar10
    >>> (x_train, y_train), (x_test, y_test) = cifar10.load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train.shape  # doctest: +SKIP
    ((50000, 32, 32, 3), (50000, 1))
    """
    root = fetch(FILENAME, FILENAME, FILE_HASH, default_base=CIFAR_URL, extract=True)
    train = [find(root, f"data_batch_{i}.bin") for i in range(1, 6)]
    x_train, y_train = read_batches(train, label_bytes=1)
    x_test, y_test = read_batches([find(root, "test_batch.bin")], label_bytes=1)
    return (to_data_format(x_train), y_train), (to_data_format(x_test), y_test)
