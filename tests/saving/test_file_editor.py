"""keras.saving.KerasFileEditor against Keras 3.15.1's (keras/src/saving/file_editor.py).

The committed files tests/data/keras/file_editor_{structural,adapt}_k3.weights.h5 are what Keras's
editor wrote after the edits in file_editor_edits.py (observed behaviour); minikeras's editor,
making the same calls, writes the same groups, datasets, dtypes and values. When the Keras venv
is present, a file edited by minikeras is also loaded by Keras 3 itself.
"""

import json
import os
import pathlib
import subprocess
import sys
import zipfile

import h5py
import numpy as np
import pytest

import minikeras as keras

from .file_editor_edits import ANCHORS, DATA, edit, load

HERE = os.path.dirname(os.path.abspath(__file__))


def _contents(path):
    """{h5 path: array} of every dataset, and the set of group paths."""
    datasets, groups = {}, set()
    with h5py.File(path, "r") as f:

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                datasets[name] = obj[()]
            else:
                groups.add(name)

        f.visititems(visit)
    return datasets, groups


def _same_file(got_path, want_path):
    got, got_groups = _contents(got_path)
    want, want_groups = _contents(want_path)
    assert got_groups == want_groups
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name].dtype == want[name].dtype, name
        np.testing.assert_array_equal(got[name], want[name], err_msg=name)


@pytest.mark.parametrize(
    "which, src", [("structural", "mlp_k3.weights.h5"), ("adapt", "mlp_k3.keras")]
)
def test_edits_write_what_keras_editor_writes(tmp_path, which, src):
    """Same edits, same file: groups, datasets, dtypes and values of Keras 3.15.1's output."""
    out = tmp_path / "edited.weights.h5"
    edit(keras, which, os.path.join(DATA, src), str(out))
    _same_file(out, os.path.join(DATA, f"file_editor_{which}_k3.weights.h5"))


def test_opening_prints_the_file_and_keras_version(capsys):
    """As Keras prints on opening: the path, then (for .keras) version and date from metadata."""
    path = os.path.join(DATA, "mlp_k3.keras")
    editor = keras.saving.KerasFileEditor(path)
    out = capsys.readouterr().out.splitlines()
    meta = json.loads(zipfile.ZipFile(path).read("metadata.json"))
    assert out == [
        f"Keras model file '{path}'",
        f"Saved with Keras {meta['keras_version']} - date: {meta['date_saved']}",
    ]
    assert editor.metadata == meta
    assert editor.config["class_name"] == "Sequential"


def test_summary_prints_keras_tree(capsys):
    """The tree Keras 3.15.1 prints for a 3-Dense Sequential's `.weights.h5` (observed)."""
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2), keras.layers.Dense(1)]
    )
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"fe_{os.getpid()}.weights.h5")
    model.save_weights(path)
    try:
        editor = keras.saving.KerasFileEditor(path)
    finally:
        os.remove(path)
    capsys.readouterr()
    editor.summary()
    assert capsys.readouterr().out == (
        "Weights structure\n"
        "  > layers\n"
        "      ├─ dense\n"
        "      │   ├─ 0: shape=(4, 3), dtype=float32\n"
        "      │   └─ 1: shape=(3,), dtype=float32\n"
        "      ├─ dense_1\n"
        "      │   ├─ 0: shape=(3, 2), dtype=float32\n"
        "      │   └─ 1: shape=(2,), dtype=float32\n"
        "      └─ dense_2\n"
        "          ├─ 0: shape=(2, 1), dtype=float32\n"
        "          └─ 1: shape=(1,), dtype=float32\n"
    )


def _three_dense(units=(3, 2, 1)):
    layers = [keras.layers.Dense(u) for u in units]
    return keras.Sequential([keras.Input((4,)), *layers])


def test_compare_reports_mismatches(tmp_path, capsys):
    """Keras's messages and status; counts are each mismatch/match once (Keras 3.15.1 reports
    6 errors / 1 match here, adding nested counts twice)."""
    model = _three_dense()
    model.save_weights(tmp_path / "m.weights.h5")
    editor = keras.saving.KerasFileEditor(str(tmp_path / "m.weights.h5"))
    assert editor.compare(model) == {"status": "success", "error_count": 0, "match_count": 6}
    capsys.readouterr()
    report = editor.compare(_three_dense((5, 2)))
    assert report == {"status": "error", "error_count": 4, "match_count": 1}
    out = capsys.readouterr().out
    assert "...Weight shape mismatch for /layers/dense/0\n" in out
    assert "    In reference model: shape=(4, 5)\n    In saved file: shape=(4, 3)\n" in out
    assert "...Object /layers/dense_2 present in saved file, missing from reference model" in out
    assert "    In saved file, /layers/dense_2 contains the following keys: ['0', '1']" in out
    assert out.endswith("Found 4 errors: saved file is not compatible with the reference model\n")
    editor.delete_weight("dense_1", "1")
    editor.rename_object("dense_2", "foo")
    report = editor.compare(model)
    assert report == {"status": "error", "error_count": 3, "match_count": 3}
    assert "...Weight /layers/dense_1/1 present in reference model, missing from saved file" in (
        capsys.readouterr().out
    )


def test_errors_match_keras(tmp_path):
    """Keras 3.15.1's messages for bad names, paths, weights and filenames."""
    model = _three_dense()
    model.save_weights(tmp_path / "m.weights.h5")
    editor = keras.saving.KerasFileEditor(str(tmp_path / "m.weights.h5"))
    with pytest.raises(ValueError, match="should be a leaf name.*target_name='a/b'"):
        editor.rename_object("dense", "a/b")
    with pytest.raises(ValueError, match="Source name 'nope' does not appear"):
        editor.delete_object("nope")
    with pytest.raises(ValueError, match="Path 'layers/nope' not found"):
        editor.delete_object("layers/nope")
    with pytest.raises(ValueError, match="Path 'x' not found"):
        editor.add_object("x/y", {})
    with pytest.raises(ValueError, match="should be a dict.*<class 'list'>"):
        editor.add_object("x", [1])
    with pytest.raises(ValueError, match=r"Weight 9 not found in object dense. .*\['0', '1'\]"):
        editor.delete_weight("dense", "9")
    with pytest.raises(ValueError, match="occurs more than once"):
        editor.delete_object("0")
    with pytest.raises(ValueError, match="expected a `.weights.h5` extension"):
        editor.save(tmp_path / "x.keras")  # opened on a .weights.h5: no config to write
    with pytest.raises(ValueError, match="expected a `.keras` or `.weights.h5`.*a.h5"):
        keras.saving.KerasFileEditor(str(tmp_path / "a.h5"))


def test_bare_names_resolve_when_unique():
    """A name found once anywhere is enough (Keras 3.15.1's counter wrongly reports 'occurs more
    than once' for a layer name when an `optimizer` group follows `layers`)."""
    editor = keras.saving.KerasFileEditor(os.path.join(DATA, "mlp_k3.weights.h5"))
    editor.rename_object("batch_normalization", "bn")
    assert list(editor.weights_dict["layers"]) == ["dense", "dense_1", "bn"]


def test_lstm_cell_is_kept_and_loads_back(tmp_path):
    """An object whose own `vars` is empty but whose child holds weights (LSTM -> cell) is kept
    (Keras 3.15.1's editor drops it); the resaved file loads into the Keras-saved model."""
    src = os.path.join(DATA, "lstm_text_k3.keras")
    editor = keras.saving.KerasFileEditor(src)
    assert sorted(editor.weights_dict["layers"]["lstm"]["cell"]) == ["0", "1", "2"]
    editor.save(tmp_path / "l.weights.h5")
    model = keras.saving.load_model(src)
    twin = keras.models.clone_model(model)
    twin.load_weights(tmp_path / "l.weights.h5")
    for a, b in zip(twin.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_keras_archive_resaved_with_assets(tmp_path):
    """Saving an editor opened on a `.keras` archive to `.keras` (a minikeras extension) keeps
    config and assets (an adapted vocabulary) and loads with the same weights and config."""
    src = os.path.join(DATA, "text_vectorization_k3.keras")
    editor = keras.saving.KerasFileEditor(src)
    editor.save(tmp_path / "t.keras")
    names = zipfile.ZipFile(tmp_path / "t.keras").namelist()
    assert {n for n in names if n.startswith("assets/")} == {
        n for n in zipfile.ZipFile(src).namelist() if n.startswith("assets/")
    }
    a, b = keras.saving.load_model(src), keras.saving.load_model(tmp_path / "t.keras")
    for x, y in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(x, y)
    assert a.get_config() == b.get_config()


def test_adapted_file_loads_in_minikeras(tmp_path):
    """The `adapt` edit (a 3-unit output layer) loads into the changed architecture."""
    out = tmp_path / "a.weights.h5"
    edit(keras, "adapt", os.path.join(DATA, "mlp_k3.keras"), str(out))
    load(keras, str(out), str(tmp_path / "w.json"))
    weights = json.loads((tmp_path / "w.json").read_text())
    np.testing.assert_array_equal(weights["out"][0], np.full((16, 3), 0.5))
    np.testing.assert_array_equal(weights["out"][1], [0, 1, 2])


@pytest.mark.skipif(not pathlib.Path(ANCHORS).exists(), reason="no Keras venv at KERAS_ANCHORS")
def test_minikeras_edited_files_load_in_keras(tmp_path):
    """Files written by minikeras's editor load in Keras 3.15.1 (run in the Keras venv) with the
    values minikeras loads: the adapted MLP, and the LSTM text model with its cell weights."""
    out = tmp_path / "a.weights.h5"
    edit(keras, "adapt", os.path.join(DATA, "mlp_k3.keras"), str(out))
    script = os.path.join(HERE, "file_editor_edits.py")
    env = dict(os.environ, KERAS_BACKEND="torch")
    subprocess.run(
        [ANCHORS, script, "keras", "load", str(out), str(tmp_path / "k.json")],
        check=True,
        env=env,
        capture_output=True,
    )
    load(keras, str(out), str(tmp_path / "m.json"))
    got = json.loads((tmp_path / "k.json").read_text())
    want = json.loads((tmp_path / "m.json").read_text())
    assert got.keys() == want.keys()
    for name in want:
        for a, b in zip(got[name], want[name]):
            np.testing.assert_array_equal(a, b)

    editor = keras.saving.KerasFileEditor(os.path.join(DATA, "lstm_text_k3.keras"))
    editor.save(tmp_path / "l.weights.h5")
    code = (
        "import sys, keras, numpy as np\n"
        "m = keras.saving.load_model(sys.argv[1])\n"
        "w = [v.copy() for v in m.get_weights()]\n"
        "m.load_weights(sys.argv[2])\n"
        "assert all(np.array_equal(a, b) for a, b in zip(w, m.get_weights()))\n"
        "print(len(w))\n"
    )
    done = subprocess.run(
        [ANCHORS, "-c", code, os.path.join(DATA, "lstm_text_k3.keras"), tmp_path / "l.weights.h5"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == str(len(keras.saving.load_model(editor.filepath).weights))


def test_loading_refuses_unsafe_files(tmp_path):
    """The editor reads through saving's checked reader: an external link is refused."""
    path = tmp_path / "bad.weights.h5"
    with h5py.File(path, "w") as f:
        f["layers/dense/vars/0"] = np.zeros(2, "float32")
        f["layers/other/vars/0"] = h5py.ExternalLink("/etc/passwd", "/x")
    with pytest.raises(ValueError, match="external link"):
        keras.saving.KerasFileEditor(str(path))


def test_exported_in_keras_saving():
    from minikeras.saving import file_editor

    assert keras.saving.KerasFileEditor is file_editor.KerasFileEditor
    assert "KerasFileEditor" in keras.saving.__all__
    assert sys.modules["minikeras.saving.file_editor"] is file_editor
