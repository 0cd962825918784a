"""CIFAR-100: 50,000 training and 10,000 test 32x32 colour images in 100 classes (20 coarse).

minikeras downloads the "binary version" (`cifar-100-binary.tar.gz`) from the CIFAR homepage
and parses it with numpy, where Keras unpickles the "python version": same images, same labels,
same order, no pickle.
"""

from ._cifar import find, read_batches, to_data_format
from ._common import CIFAR_URL, fetch

FILENAME = "cifar-100-binary.tar.gz"
FILE_HASH = "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec"
"""SHA-256 of the binary archive (the CIFAR homepage gives its md5,
03b5dce01913d631647c71ecec9e9cb8)."""


def load_data(label_mode="fine"):
    """Loads the CIFAR-100 dataset (downloaded once into `~/.minikeras/datasets/`).

    Args:
        label_mode: `"fine"` (100 classes) or `"coarse"` (the 20 superclasses).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `uint8` images of shape `(50000, 32, 32, 3)` and
        `(10000, 32, 32, 3)` (channels first if `keras.config.image_data_format()` says so),
        and int64 labels of shape `(50000, 1)` and `(10000, 1)` (the dtype Keras returns).

    The first lines download the data (161 MB, once), so the doctests skip them.

    >>> from minikeras.datasets import cifar100
    >>> (x_train, y_train), (x_test, y_test) = cifar100.load_data()  # doctest: +SKIP
    >>> x_train.shape, int(y_train.max())  # doctest: +SKIP
    ((50000, 32, 32, 3), 99)
    >>> cifar100.load_data(label_mode="superclass")  # checked before any download
    Traceback (most recent call last):
        ...
    ValueError: `label_mode` must be one of "fine", "coarse". Received: label_mode='superclass'.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f'`label_mode` must be one of "fine", "coarse". Received: label_mode={label_mode!r}.'
        )
    root = fetch(FILENAME, FILENAME, FILE_HASH, default_base=CIFAR_URL, extract=True)
    column = 1 if label_mode == "fine" else 0  # each record starts coarse byte, fine byte
    x_train, y_train = read_batches([find(root, "train.bin")], label_bytes=2)
    x_test, y_test = read_batches([find(root, "test.bin")], label_bytes=2)
    y_train = y_train[:, column : column + 1].astype("int64")
    y_test = y_test[:, column : column + 1].astype("int64")
    return (to_data_format(x_train), y_train), (to_data_format(x_test), y_test)
