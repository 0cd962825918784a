"""MNIST handwritten digits: 60,000 training and 10,000 test 28x28 grayscale images."""

from ._common import fetch, load_npz

FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"  # SHA-256, as Keras


def load_data(path="mnist.npz"):
    """Loads the MNIST dataset (downloaded once into `~/.minikeras/datasets/`).

    Args:
        path: the file name of the cached copy (relative to `~/.minikeras/datasets`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `uint8` images of shape `(60000, 28, 28)` and
        `(10000, 28, 28)` with values 0-255, and `uint8` digit labels 0-9 of shape `(60000,)`
        and `(10000,)`.

    License: Yann LeCun and Corinna Cortes hold the copyright of MNIST, a derivative work of
    the original NIST datasets, made available under the Creative Commons Attribution-Share
    Alike 3.0 license.

    The first lines download the data (11 MB, once), so the doctests skip them.

    >>> from minikeras.datasets import mnist
    >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train[:5].tolist()  # doctest: +SKIP
    ((60000, 28, 28), [5, 0, 4, 1, 9])
    """
    path = fetch(path, "mnist.npz", FILE_HASH)
    f = load_npz(path)
    return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
