"""kernels/resample.py: the taps of a banded matrix applied in one compiled pass equal the numpy
reference bit for bit, on one thread and split over two; bad taps are refused."""

import numpy as np
import pytest

from minikeras.core.ops.image import _band, resize_weights
from minikeras.kernels import resample as r
from minikeras.kernels import threads


@pytest.mark.parametrize(
    "shape,n_out,interpolation",
    [
        ((2, 9, 5), 4, "bilinear"),
        ((3, 224, 21), 112, "bilinear"),
        ((1, 7, 1), 13, "bicubic"),
        ((4, 20, 3), 9, "lanczos5"),
        ((1, 1, 6), 3, "bilinear"),
    ],
)
def test_equals_reference(shape, n_out, interpolation):
    rng = np.random.default_rng(sum(shape) + n_out)
    a = rng.standard_normal(shape).astype(np.float32)
    idx, wts = _band(resize_weights(shape[1], n_out, interpolation))
    wts = wts.astype(np.float32)
    got = r.resample(a, idx, wts)
    assert got.shape == (shape[0], n_out, shape[2]) and got.dtype == np.float32
    np.testing.assert_array_equal(got, r.resample_ref(a, idx, wts))
    # and the matrix itself, in float64, to float32 accuracy
    dense = np.einsum("ji,oic->ojc", resize_weights(shape[1], n_out, interpolation), a)
    np.testing.assert_allclose(got, dense, rtol=1e-5, atol=1e-5)


def test_threads_agree(monkeypatch):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((64, 224, 30)).astype(np.float32)
    idx, wts = _band(resize_weights(224, 112, "bicubic", antialias=True))
    one = r.resample(a, idx, wts)
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    np.testing.assert_array_equal(r.resample(a, idx, wts), one)


def test_refuses_bad_taps():
    a = np.zeros((1, 4, 2), np.float32)
    with pytest.raises(ValueError, match=r"\[0, 4\)"):
        r.resample(a, np.array([[0, 4]]), np.ones((1, 2), np.float32))
    with pytest.raises(ValueError, match="must be equal"):
        r.resample(a, np.array([[0, 1]]), np.ones((2, 2), np.float32))
