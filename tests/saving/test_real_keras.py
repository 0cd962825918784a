"""Files minikeras writes stay loadable: the kept samples in tests/data/minikeras (written by
`make_samples.py`) load in minikeras, and, when real Keras 3 is importable, in Keras too."""

import os

import numpy as np
import pytest

import minikeras

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "minikeras")


def _path(name):
    return os.path.join(DATA, name)


def test_kept_samples_load_in_minikeras():
    npz = np.load(_path("mlp.npz"))
    for name in ("mlp.h5", "mlp.keras"):
        model = minikeras.models.load_model(_path(name))
        np.testing.assert_allclose(model.predict(npz["x"], verbose=0), npz["y"], atol=1e-6)
        assert int(np.asarray(model.optimizer.iterations)) == 4
    for name in ("mlp.weights.h5", "mlp_k2_weights.h5"):
        model = minikeras.models.clone_model(minikeras.models.load_model(_path("mlp.keras")))
        model.load_weights(_path(name))
        np.testing.assert_allclose(model.predict(npz["x"], verbose=0), npz["y"], atol=1e-6)


def _real_keras():
    try:
        import keras
    except Exception as e:  # noqa: BLE001 - any failure to import means "not available"
        pytest.skip(f"real Keras is not importable here ({type(e).__name__})")
    if not keras.__version__.startswith("3."):
        pytest.skip(f"needs Keras 3, found {keras.__version__}")
    return keras


def test_real_keras_loads_minikeras_files(tmp_path):
    keras = _real_keras()
    npz = np.load(_path("mlp.npz"))
    for name in ("mlp.h5", "mlp.keras"):
        model = keras.models.load_model(_path(name))
        np.testing.assert_allclose(
            np.asarray(model.predict(npz["x"], verbose=0)), npz["y"], atol=1e-5
        )
    for name in ("mlp.weights.h5", "mlp_k2_weights.h5"):
        model = keras.models.clone_model(keras.models.load_model(_path("mlp.keras")))
        model.load_weights(_path(name))
        np.testing.assert_allclose(
            np.asarray(model.predict(npz["x"], verbose=0)), npz["y"], atol=1e-5
        )
    # and files written now, by the current code
    mk = minikeras
    a, b = mk.Input((6,), name="a"), mk.Input((4,), name="b")
    inner_in = mk.Input((6,), name="inner_in")
    inner = mk.Model(inner_in, mk.layers.Dense(5, name="inner_dense")(inner_in), name="inner")
    h = mk.layers.Concatenate(name="cat")([inner(a), mk.layers.Dense(3, name="db")(b)])
    model = mk.Model([a, b], mk.layers.Dense(2, name="out")(h), name="nested")
    xa = np.random.default_rng(1).standard_normal((5, 6)).astype("float32")
    xb = np.random.default_rng(2).standard_normal((5, 4)).astype("float32")
    expected = model.predict([xa, xb], verbose=0)
    for name in ("n.keras", "n.h5"):
        model.save(tmp_path / name)
        loaded = keras.models.load_model(str(tmp_path / name))
        np.testing.assert_allclose(
            np.asarray(loaded.predict([xa, xb], verbose=0)), expected, atol=1e-5
        )
