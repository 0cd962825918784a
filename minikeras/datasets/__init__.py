"""`keras.datasets`: data loaders returning numpy arrays.

Each module's `load_data()` downloads its files once into `~/.minikeras/datasets/` (or
`$MINIKERAS_HOME/datasets/`) from the public location Keras uses, checks their hashes, and
returns `(x_train, y_train), (x_test, y_test)`. Set `MINIKERAS_DATASETS_URL` to download from a
mirror. `video_qa` is generated offline.

>>> import minikeras as keras
>>> keras.datasets.nonexistent  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
AttributeError: module 'minikeras.datasets' has no dataset 'nonexistent'. Available: ...
"""

from . import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
    video_qa,
)

__all__ = [
    "boston_housing",
    "california_housing",
    "cifar10",
    "cifar100",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
    "video_qa",
]
DATASETS = tuple(__all__)


def __getattr__(name):
    raise AttributeError(
        f"module {__name__!r} has no dataset {name!r}. Available: {', '.join(DATASETS)}"
    )


def __dir__():
    return sorted(set(globals()) | set(DATASETS))
