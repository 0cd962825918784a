"""boston_housing and california_housing: shuffle with RandomState(seed), then split."""

import io

import numpy as np
import pytest

from minikeras.datasets import boston_housing, california_housing


def npz_bytes(**arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def expected_split(x, y, test_split, seed):
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    n = int(len(x) * (1 - test_split))
    return (x[order[:n]], y[order[:n]]), (x[order[n:]], y[order[n:]])


def check(got, want):
    for g, w in zip(got[0] + got[1], want[0] + want[1]):
        np.testing.assert_array_equal(g, w)


def test_boston_housing(publish):
    x = np.random.default_rng(1).normal(size=(10, 13))
    y = np.arange(10, dtype="float64") + 10
    publish(boston_housing, "boston_housing.npz", npz_bytes(x=x, y=y))
    got = boston_housing.load_data()
    assert got[0][0].shape == (8, 13) and got[1][1].shape == (2,)
    check(got, expected_split(x, y, 0.2, 113))
    check(boston_housing.load_data(test_split=0.5, seed=1), expected_split(x, y, 0.5, 1))
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=1.0)


def test_california_housing_versions(publish):
    x = np.random.default_rng(2).normal(size=(610, 8)).astype("float32")
    y = np.arange(610, dtype="float32") * 1000
    publish(california_housing, "california_housing.npz", npz_bytes(x=x, y=y))
    large = california_housing.load_data()
    assert len(large[0][0]) == 488 and len(large[1][0]) == 122
    check(large, expected_split(x, y, 0.2, 113))
    small = california_housing.load_data(version="small", test_split=0.25, seed=5)
    check(small, expected_split(x[:600], y[:600], 0.25, 5))
    with pytest.raises(ValueError, match="version"):
        california_housing.load_data(version="medium")
