"""Models quantized and saved by minikeras load in Keras 3.15.1 and predict the same: the
committed files (make_readback_fixture.py: int8, int4/128, int4/-1 Dense + int8/int4 Embedding)
against the predictions Keras made from them, and, when the Keras venv is present, a fresh
round trip through it. Tolerance 1e-6 relative (Keras's int4 divides in another order)."""

import pathlib

import numpy as np
import pytest

import minikeras as keras

from .make_readback_fixture import ANCHORS, HERE, MODES, build, keras_readback


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6 * np.abs(b).max())


@pytest.mark.parametrize("mode", list(MODES))
def test_committed_minikeras_files_predict_what_keras_read(mode):
    x = np.load(HERE / "minikeras_x.npz")["x"]
    model = keras.saving.load_model(HERE / f"minikeras_{mode}.keras")
    _close(model.predict(x, verbose=0), np.load(HERE / f"minikeras_{mode}_keras.npy"))


@pytest.mark.slow
@pytest.mark.skipif(not pathlib.Path(ANCHORS).exists(), reason="no Keras venv at KERAS_ANCHORS")
def test_fresh_minikeras_int8_model_reads_back_in_keras(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = build(keras, "int8")
    x = np.random.default_rng(0).integers(0, 50, (8, 6)).astype("int32")
    np.savez(tmp_path / "x.npz", x=x)
    model.save(tmp_path / "m.keras")
    got = keras_readback(tmp_path / "m.keras", tmp_path / "x.npz", tmp_path / "y.npy")
    _close(model.predict(x, verbose=0), got)
