"""California housing prices (1990 census): 20,640 block groups, 8 features, price in dollars.

Features: MedInc, HouseAge, AveRooms, AveBedrms, Population, AveOccup, Latitude, Longitude.
"""

from ._common import fetch, load_npz
from .boston_housing import check_test_split, split

FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"  # SHA-256


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Loads the California housing dataset (downloaded once into `~/.minikeras/datasets/`).

    Args:
        version: `"large"` (all 20,640 samples) or `"small"` (the first 600, a stand-in for
            `boston_housing`).
        path: the file name of the cached copy (relative to `~/.minikeras/datasets`).
        test_split: fraction of the samples put in the test split.
        seed: seed of the shuffle before splitting.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `x` of shape `(num_samples, 8)`, `y` of shape
        `(num_samples,)` (median house values in dollars).

    The first lines download the data (1 MB, once), so the doctests skip them.

    >>> from minikeras.datasets import california_housing
    >>> (x_train, y_train), (x_test, y_test) = california_housing.load_data()  # doctest: +SKIP
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((16512, 8), (4128, 8))
    >>> california_housing.load_data(version="medium")  # checked before any download
    Traceback (most recent call last):
        ...
    ValueError: Argument `version` must be one of 'small', 'large'. Received: version='medium'
    """
    check_test_split(test_split)
    if version not in ("small", "large"):
        raise ValueError(
            f"Argument `version` must be one of 'small', 'large'. Received: version={version!r}"
        )
    path = fetch(path, "california_housing.npz", FILE_HASH)
    f = load_npz(path)
    x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return split(x, y, test_split, seed)
