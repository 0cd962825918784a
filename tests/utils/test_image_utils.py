"""keras.preprocessing.image.smart_resize: values printed by Keras 3.15.1 (torch)."""

import numpy as np
import pytest

import minikeras as keras


def test_smart_resize_crops_centre_then_resizes_as_keras():
    x = np.arange(2 * 6 * 8, dtype="float32").reshape(2, 6, 8, 1)
    out = keras.preprocessing.image.smart_resize(x, (4, 4))
    assert out.shape == (2, 4, 4, 1)
    assert out[0, :, :, 0].tolist() == [
        [3.25, 4.75, 6.25, 7.75],
        [15.25, 16.75, 18.25, 19.75],
        [27.25, 28.75, 30.25, 31.75],
        [39.25, 40.75, 42.25, 43.75],
    ]
    out = keras.preprocessing.image.smart_resize(x[0], (3, 5), interpolation="nearest")
    assert out[:, :, 0].tolist() == [
        [8.0, 10.0, 12.0, 13.0, 15.0],
        [24.0, 26.0, 28.0, 29.0, 31.0],
        [32.0, 34.0, 36.0, 37.0, 39.0],
    ]
    with pytest.raises(ValueError, match="rank 3"):
        keras.preprocessing.image.smart_resize(np.ones((4, 4)), (2, 2))
