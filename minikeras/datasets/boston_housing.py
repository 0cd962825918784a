"""Boston housing prices: 506 samples of 13 attributes, target the median value in k$.

Warning (from Keras's documentation): one attribute, "B", assumes that racial
self-segregation influences house prices; prefer `california_housing` except to illustrate
ethical issues in data science.
"""

import numpy as np

from ._common import fetch, load_npz, shuffle_together

FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"  # SHA-256


def check_test_split(test_split):
    """Checks that `test_split` is a fraction in [0, 1).

    Args:
        test_split: the fraction of samples put in the test split.

    >>> from minikeras.datasets import boston_housing
    >>> boston_housing.check_test_split(0.2)
    >>> boston_housing.check_test_split(1.5)
    Traceback (most recent call last):
        ...
    ValueError: `test_split` must be in [0, 1) (a fraction of the samples). Received: test_split=1.5
    """
    if not 0 <= test_split < 1:
        raise ValueError(
            f"`test_split` must be in [0, 1) (a fraction of the samples). Received: "
            f"test_split={test_split}"
        )


def split(x, y, test_split, seed):
    """Shuffles `x` and `y` together, then splits them into train and test parts.

    The shuffle uses `RandomState(seed)`; the first `int(n * (1 - test_split))` samples are train.

    Args:
        x: the inputs.
        y: the targets, one per input.
        test_split: the fraction of samples put in the test split.
        seed: the shuffle seed.

    Returns:
        `(x_train, y_train), (x_test, y_test)`.

    >>> import numpy as np
    >>> from minikeras.datasets import boston_housing
    >>> train, test = boston_housing.split(np.arange(10), np.arange(10), 0.2, 0)
    >>> len(train[0]), len(test[0]), bool((train[0] == train[1]).all())
    (8, 2, True)
    """
    x, y = shuffle_together(seed, x, y)
    n = int(len(x) * (1 - test_split))
    return (np.array(x[:n]), np.array(y[:n])), (np.array(x[n:]), np.array(y[n:]))


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads the Boston housing dataset (downloaded once into `~/.minikeras/datasets/`).

    Args:
        path: the file name of the cached copy (relative to `~/.minikeras/datasets`).
        test_split: fraction of the samples put in the test split.
        seed: seed of the shuffle before splitting.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `x` of shape `(num_samples, 13)`, `y` of shape
        `(num_samples,)` (prices in k$, typically 10 to 50).

    The first lines download the data (57 kB, once), so the doctests skip them.

    >>> from minikeras.datasets import boston_housing
    >>> (x_train, y_train), (x_test, y_test) = boston_housing.load_data()  # doctest: +SKIP
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((404, 13), (102, 13))
    >>> boston_housing.load_data(test_split=1.0)  # checked before any download
    Traceback (most recent call last):
        ...
    ValueError: `test_split` must be in [0, 1) (a fraction of the samples). Received: test_split=1.0
    """
    check_test_split(test_split)
    path = fetch(path, "boston_housing.npz", FILE_HASH)
    f = load_npz(path)
    x, y = f["x"], f["y"]
    return split(x, y, test_split, seed)
