"""keras.datasets: the module listing, unknown names, and where files are fetched from."""

import pytest

import minikeras as keras
from minikeras.datasets import _common, cifar10


def test_unknown_dataset_lists_the_available_ones():
    with pytest.raises(AttributeError) as info:
        _ = keras.datasets.nonexistent
    for name in (
        "mnist",
        "fashion_mnist",
        "cifar10",
        "cifar100",
        "imdb",
        "reuters",
        "boston_housing",
        "california_housing",
        "video_qa",
    ):
        assert name in str(info.value)
        assert hasattr(keras.datasets, name) and hasattr(getattr(keras.datasets, name), "load_data")


def test_default_origins_are_keras_locations(monkeypatch):
    monkeypatch.delenv("MINIKERAS_DATASETS_URL", raising=False)
    base = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
    assert _common.origin("mnist.npz") == base + "mnist.npz"
    assert (
        _common.origin(cifar10.FILENAME, _common.CIFAR_URL)
        == "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    )
    monkeypatch.setenv("MINIKERAS_DATASETS_URL", "http://mirror.example/data")
    assert _common.origin("imdb.npz") == "http://mirror.example/data/imdb.npz"


def test_offline_error_tells_where_to_put_the_file(tmp_path, monkeypatch):
    from http_server import refused_url

    monkeypatch.setenv("MINIKERAS_DATASETS_URL", refused_url())
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path))
    with pytest.raises(OSError) as info:
        cifar10.load_data()
    message = str(info.value)
    assert "cifar-10-binary.tar.gz" in message
    assert str(tmp_path / "datasets" / "cifar-10-binary.tar.gz") in message
    assert cifar10.FILE_HASH in message
