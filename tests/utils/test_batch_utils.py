"""keras.utils.pack_x_y_sample_weight / unpack_x_y_sample_weight, as Keras 3.15.1 (observed on
torch) exports and behaves."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.models import data_adapter


def test_pack():
    x, y, w = np.ones(2), np.zeros(2), np.ones(2)
    assert keras.utils.pack_x_y_sample_weight(x) is x
    packed = keras.utils.pack_x_y_sample_weight([x])
    assert isinstance(packed, tuple) and len(packed) == 1 and packed[0][0] is x
    assert keras.utils.pack_x_y_sample_weight(x, y) == (x, y)
    assert keras.utils.pack_x_y_sample_weight(x, y, w) == (x, y, w)


def test_unpack():
    x, y, w = np.ones(2), np.zeros(2), np.ones(2)
    assert keras.utils.unpack_x_y_sample_weight(x) == (x, None, None)
    assert keras.utils.unpack_x_y_sample_weight((x,)) == (x, None, None)
    assert keras.utils.unpack_x_y_sample_weight([x, y]) == (x, y, None)
    assert keras.utils.unpack_x_y_sample_weight((x, y, w)) == (x, y, w)
    with pytest.raises(ValueError, match="expected to be in format .*found: \\(1, 2, 3, 4\\)"):
        keras.utils.unpack_x_y_sample_weight((1, 2, 3, 4))


def test_data_adapter_uses_the_same_functions():
    assert data_adapter.unpack_x_y_sample_weight is keras.utils.unpack_x_y_sample_weight
    assert data_adapter.pack_x_y_sample_weight is keras.utils.pack_x_y_sample_weight
