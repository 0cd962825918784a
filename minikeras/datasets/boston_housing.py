"""Boston housing prices: 506 samples of 13 attributes, target the median value in k$.

Warning (from Keras's documentation): one attribute, "B", assumes that racial
self-segregation influences house prices; prefer `california_housing` except to illustrate
ethical issues in data science.
"""

import numpy as np

from ._common import fetch, load_npz, shuffle_together

FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"  # SHA-256


def check_test_split(test_split):
    if not 0 <= test_split < 1:
        raise ValueError(
            f"`test_split` must be in [0, 1) (a fraction of the samples). Received: "
            f"test_split={test_split}"
        )


def split(x, y, test_split, seed):
    """Shuffled with `RandomState(seed)`, then the first `int(n * (1 - test_split))` train."""
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
    """
    check_test_split(test_split)
    path = fetch(path, "boston_housing.npz", FILE_HASH)
    f = load_npz(path)
    x, y = f["x"], f["y"]
    return split(x, y, test_split, seed)
