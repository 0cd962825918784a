"""The `.keras` archive reader (`minikeras/saving/keras_zip.py`)."""

import zipfile

import numpy as np
import pytest

import minikeras as keras


def _rewrite(src, dst, drop="model.weights.h5", add=()):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename != drop:
                zout.writestr(info, zin.read(info))
        for name, data in add:
            zout.writestr(name, data)


def _dense_model():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])


@pytest.mark.parametrize(
    "add", [(), (("model.weights.h5/", b""),), (("model.weights.h5/0", b"\x00" * 8),)]
)
@pytest.mark.parametrize(
    "build", [_dense_model, lambda: keras.Sequential([keras.Input((3,)), keras.layers.Flatten()])]
)
def test_archive_without_weights_file_is_refused(tmp_path, add, build):
    """Keras 3.15.1 (observed) refuses an archive without a `model.weights.h5` file member
    ("Expected a model.weights.h5 or model.weights.npz file."), a directory entry of that name
    included, and does so for a model without variables too: its writer always stores the file.
    minikeras loaded such archives with freshly initialised weights; now ValueError names the
    file and the missing member, for load_model and load_weights."""
    good, bad = tmp_path / "m.keras", tmp_path / "bad.keras"
    model = build()
    model.save(good)
    _rewrite(good, bad, add=add)
    with pytest.raises(ValueError, match=r"bad\.keras.*model\.weights\.h5") as e:
        keras.models.load_model(bad)
    assert ("is a directory" in str(e.value)) == bool(add)
    target = build()
    before = [v.data.copy() for v in target.weights]
    with pytest.raises(ValueError, match=r"bad\.keras.*model\.weights\.h5"):
        target.load_weights(bad)
    for v, old in zip(target.weights, before):
        np.testing.assert_array_equal(v.data, old)


def test_model_without_variables_round_trips(tmp_path):
    """A model without variables still gets a `model.weights.h5` member (as Keras 3 writes one)
    and loads back."""
    model = keras.Sequential([keras.Input((3,)), keras.layers.Flatten()])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as z:
        assert "model.weights.h5" in z.namelist()
    loaded = keras.models.load_model(tmp_path / "m.keras")
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), x)
