"""Writes stft_init_k3.json: keras.initializers.STFT(side, window, scaling, periodic)((6, 1, 4))
flattened, keyed "side|window|scaling|periodic", from Keras 3.15.1 (jax backend, float32).

Run: KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_stft_init_fixtures.py
"""

import json
import os

import keras
import numpy as np

CASES = [
    ("real", "hann", "density", False),
    ("imag", "hann", "density", False),
    ("real", "hamming", "spectrum", True),
    ("imag", "blackman", None, True),
    ("real", None, None, False),
    ("imag", "boxcar", "spectrum", False),
    ("real", "bartlett", "density", True),
]


def main():
    out = {}
    for case in CASES:
        values = np.asarray(keras.initializers.STFT(*case)((6, 1, 4)))
        out["|".join(map(str, case))] = values.ravel().tolist()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stft_init_k3.json")
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
