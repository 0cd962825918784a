"""Keras-written files of every catalogue model load in minikeras and predict what Keras
predicted (float32, within 1e-5), and minikeras-written files predict what real Keras predicted
on them.

data/k3: Keras 3.15.1 (`make_fixtures.py`, torch backend; TensorFlow backend for the string
models); data/k2: tf.keras 2.21 (`.h5` and Keras 2 weights-only `_weights.h5`); data/mk: files
minikeras wrote (`make_minikeras_files.py`) with Keras's predictions on them
(`check_in_keras.py`, run by hand with real Keras). A `.weights.h5` file is loaded into the model
built by the same catalogue code in minikeras, so its variable paths and order must match.
"""

import os
import warnings

import catalogue
import io_utils
import numpy as np
import pytest

import minikeras

ATOL = 1e-5


def _cases(kind, formats):
    manifest = io_utils.read_json(os.path.join(io_utils.DATA, kind, "manifest.json"))
    return [
        pytest.param(kind, name, fmt, id=f"{kind}-{name}-{fmt}")
        for name, entry in sorted(manifest.items())
        for fmt in formats
        if fmt in entry["written"]
    ]


def _predict(model, name, inputs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = model.predict(io_utils.feed(name, inputs), verbose=0)
    return io_utils.flat_outputs(y)


def _load(kind, name, fmt):
    """The model a Keras user gets from the file: `load_model` for whole-model files, the
    catalogue's own model with `load_weights` for weights files."""
    folder = os.path.join(io_utils.DATA, kind)
    if fmt in ("weights.h5", "weights_k2"):
        model, _ = catalogue.BUILDERS[name](minikeras)
        suffix = ".weights.h5" if fmt == "weights.h5" else "_weights.h5"
        model.load_weights(os.path.join(folder, name + suffix))
        return model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return minikeras.models.load_model(os.path.join(folder, f"{name}.{fmt}"))


def _assert_outputs(got, expected, what):
    assert len(got) == len(expected), f"{what}: {len(got)} outputs, Keras had {len(expected)}"
    for g, e in zip(got, expected):
        assert g.shape == e.shape, f"{what}: shape {g.shape}, Keras {e.shape}"
        np.testing.assert_allclose(g, e, rtol=ATOL, atol=ATOL, err_msg=what)


@pytest.mark.parametrize(
    "kind,name,fmt", _cases("k3", io_utils.FORMATS) + _cases("k2", ("h5", "weights_k2"))
)
def test_keras_file_predicts_as_keras(kind, name, fmt):
    npz = os.path.join(io_utils.DATA, kind, f"{name}.npz")
    inputs = io_utils.load_arrays(npz, "x_")
    model = _load(kind, name, fmt)
    _assert_outputs(_predict(model, name, inputs), io_utils.load_arrays(npz), f"{name}.{fmt}")
