"""`Layer.__init__` keyword arguments (minikeras/layers/layer.py).

Keras 3's `Layer.__init__` raises `ValueError("Unrecognized keyword arguments passed to <Class>:
{...}")` for any argument it does not know, Keras 2's `weights=`, `input_length=` and
`time_major=` included (observed with Keras 3.15.1: `Dense(2, weights=[...])`,
`Dense(2, input_length=3)`, `LSTM(2, time_major=False)`). Only Embedding keeps `input_length`, with
a deprecation warning, and `weights` (tests/layers/core/test_embedding.py).
"""

import numpy as np
import pytest

import minikeras as keras


@pytest.mark.parametrize("cls,args,kwargs", [
    (keras.layers.Dense, (2,), {"weights": [np.ones((3, 2)), np.zeros(2)]}),
    (keras.layers.Dense, (2,), {"input_length": 3}),
    (keras.layers.LSTM, (2,), {"time_major": True}),
    (keras.layers.GRU, (2,), {"time_major": False}),
    (keras.layers.Conv2D, (2, 3), {"weights": None, "kernel_sise": 3}),
])  # fmt: skip
def test_keras2_and_misspelled_arguments_raise_like_keras3(cls, args, kwargs):
    # silently dropping `weights` gave random weights, `time_major=True` read batch as time
    with pytest.raises(ValueError, match=f"Unrecognized keyword arguments passed to {cls.__name__}"):
        cls(*args, **kwargs)


def test_error_names_every_unrecognized_argument():
    with pytest.raises(ValueError, match=r"'weights'.*'time_major'"):
        keras.layers.Dense(2, weights=[], time_major=False)
