"""mnist, fashion_mnist, cifar10, cifar100 on tiny generated files served locally."""

import gzip
import io
import os
import struct
import tarfile

import numpy as np
import pytest

import minikeras as keras
from minikeras.datasets import cifar10, cifar100, fashion_mnist, mnist

RNG = np.random.default_rng(0)


def npz_bytes(**arrays):
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def test_mnist_downloads_once_and_returns_the_arrays(server, publish):
    x_train = RNG.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    x_test = RNG.integers(0, 256, (3, 28, 28), dtype=np.uint8)
    y_train, y_test = np.array([0, 1, 2, 3, 9], np.uint8), np.array([4, 5, 6], np.uint8)
    publish(
        mnist,
        "mnist.npz",
        npz_bytes(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test),
    )
    (a, b), (c, d) = mnist.load_data()
    for got, want in [(a, x_train), (b, y_train), (c, x_test), (d, y_test)]:
        np.testing.assert_array_equal(got, want)
        assert got.dtype == np.uint8
    home = os.environ["MINIKERAS_HOME"]
    assert os.path.exists(os.path.join(home, "datasets", "mnist.npz"))
    keras.datasets.mnist.load_data()
    assert server.hits("mnist.npz") == 1  # the second load reads the cache


def test_mnist_checks_the_keras_hash(server):
    server.files["mnist.npz"] = npz_bytes(x_train=np.zeros(1))
    with pytest.raises(ValueError, match=mnist.FILE_HASH):
        mnist.load_data()


def idx_gz(array):
    """A gzipped IDX file written from the format description: magic, big-endian sizes, data."""
    header = struct.pack(">I", 0x800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return gzip.compress(header + array.astype(np.uint8).tobytes())


def test_fashion_mnist(server, publish):
    arrays = {
        "train-labels-idx1-ubyte.gz": RNG.integers(0, 10, 4, dtype=np.uint8),
        "train-images-idx3-ubyte.gz": RNG.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": RNG.integers(0, 10, 2, dtype=np.uint8),
        "t10k-images-idx3-ubyte.gz": RNG.integers(0, 256, (2, 28, 28), dtype=np.uint8),
    }
    for name, array in arrays.items():
        publish(fashion_mnist, name, idx_gz(array), attr=("FILE_HASHES", name))
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_train, arrays["train-labels-idx1-ubyte.gz"])
    np.testing.assert_array_equal(x_test, arrays["t10k-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte.gz"])
    subdir = os.path.join(os.environ["MINIKERAS_HOME"], "datasets", "fashion-mnist")
    assert sorted(os.listdir(subdir)) == sorted(arrays)


def tarball(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def cifar_records(images, *label_columns):
    """Binary CIFAR records as the CIFAR page describes them: label byte(s), then the red,
    green and blue 32x32 planes, row by row. `images` are channels-last (n, 32, 32, 3)."""
    out = b""
    for i, img in enumerate(images):
        labels = bytes(int(col[i]) for col in label_columns)
        out += labels + img[:, :, 0].tobytes() + img[:, :, 1].tobytes() + img[:, :, 2].tobytes()
    return out


def test_cifar10_binary_batches(server, publish):
    images = RNG.integers(0, 256, (13, 32, 32, 3), dtype=np.uint8)
    labels = RNG.integers(0, 10, 13)
    files = {
        f"cifar-10-batches-bin/data_batch_{i}.bin": cifar_records(
            images[2 * (i - 1) : 2 * i], labels[2 * (i - 1) : 2 * i]
        )
        for i in range(1, 6)
    }
    files["cifar-10-batches-bin/test_batch.bin"] = cifar_records(images[10:], labels[10:])
    publish(cifar10, "cifar-10-binary.tar.gz", tarball(files))
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    np.testing.assert_array_equal(x_train, images[:10])
    np.testing.assert_array_equal(x_test, images[10:])
    np.testing.assert_array_equal(y_train, labels[:10].reshape(-1, 1))
    np.testing.assert_array_equal(y_test, labels[10:].reshape(-1, 1))
    assert y_train.dtype == np.uint8 and x_train.dtype == np.uint8 and x_train.flags.c_contiguous
    datasets = os.path.join(os.environ["MINIKERAS_HOME"], "datasets")
    assert sorted(os.listdir(datasets)) == ["cifar-10-binary.tar.gz", "cifar-10-binary_extracted"]

    keras.config.set_image_data_format("channels_first")
    try:
        (x_train, _), _ = cifar10.load_data()
    finally:
        keras.config.set_image_data_format("channels_last")
    np.testing.assert_array_equal(x_train, images[:10].transpose(0, 3, 1, 2))
    assert server.hits("cifar-10-binary.tar.gz") == 1


def test_cifar100_fine_and_coarse(server, publish):
    images = RNG.integers(0, 256, (5, 32, 32, 3), dtype=np.uint8)
    coarse, fine = RNG.integers(0, 20, 5), RNG.integers(0, 100, 5)
    files = {
        "cifar-100-binary/train.bin": cifar_records(images[:3], coarse[:3], fine[:3]),
        "cifar-100-binary/test.bin": cifar_records(images[3:], coarse[3:], fine[3:]),
    }
    publish(cifar100, "cifar-100-binary.tar.gz", tarball(files))
    (x_train, y_train), (x_test, y_test) = cifar100.load_data()
    np.testing.assert_array_equal(x_train, images[:3])
    np.testing.assert_array_equal(x_test, images[3:])
    np.testing.assert_array_equal(y_train[:, 0], fine[:3])
    assert y_train.shape == (3, 1) and y_train.dtype == np.int64
    (_, y_train), (_, y_test) = cifar100.load_data(label_mode="coarse")
    np.testing.assert_array_equal(np.concatenate([y_train, y_test])[:, 0], coarse)
    with pytest.raises(ValueError, match="label_mode"):
        cifar100.load_data(label_mode="medium")


def test_cifar_truncated_batch_is_reported(server, publish):
    files = {f"cifar-10-batches-bin/data_batch_{i}.bin": b"\0" * 3073 for i in range(1, 6)}
    files["cifar-10-batches-bin/test_batch.bin"] = b"\0" * 3000
    publish(cifar10, "cifar-10-binary.tar.gz", tarball(files))
    with pytest.raises(ValueError, match="3073-byte records"):
        cifar10.load_data()
