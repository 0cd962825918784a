"""Damaged HDF5 global heaps end in a clean ValueError instead of hanging libhdf5.

`tests/data/minikeras/heap_hang.h5` is a minikeras `.h5` with 8 zeroed bytes (its README says
how it was made): a free-space entry of size 0 in the global heap that stores the string
attributes. libhdf5 (HDF5 2.0.0 in h5py 3.16) loops forever reading `model_config` from it, in
Keras 3 as well (reported by the issue's author); minikeras walks the collections first and
refuses the file. Loads run in a subprocess with a timeout, so a hang fails the test.
"""

import glob
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import minikeras as keras
from minikeras.saving import hdf5_heap

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(REPO, "tests", "data")
HANG = os.path.join(DATA, "minikeras", "heap_hang.h5")

CHILD = r"""
import sys
sys.path.insert(0, {repo!r})
import minikeras as keras
path, how = sys.argv[1], sys.argv[2]
try:
    if how == "load_model":
        keras.models.load_model(path)
    else:
        keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="d")]).load_weights(path)
    print("LOADED")
except ValueError as e:
    print("ValueError:", e)
"""


def _load_in_subprocess(path, how="load_model"):
    r = subprocess.run(
        [sys.executable, "-c", CHILD.format(repo=REPO), str(path), how],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("how", ["load_model", "load_weights"])
def test_zeroed_heap_entry_gives_clean_error(how):
    """Before the check, this load never returned (the subprocess timed out)."""
    out = _load_in_subprocess(HANG, how)
    assert out.startswith("ValueError:"), out
    assert "heap_hang.h5" in out and "corrupted" in out, out


def _free_space_size_offsets(data):
    """Byte offsets of the size fields of index-0 (free-space) entries of every collection,
    walked by the file format's rules (HDF5 spec, "Global Heap")."""
    out, start = [], data.find(b"GCOL")
    while start != -1:
        end, p = start + int.from_bytes(data[start + 8 : start + 16], "little"), start + 16
        while p + 16 <= end:
            index = int.from_bytes(data[p : p + 2], "little")
            size = int.from_bytes(data[p + 8 : p + 16], "little")
            if index == 0:
                out.append(p + 8)
                break
            p += 16 + (size + 7) // 8 * 8
        start = data.find(b"GCOL", start + 1)
    return out


def test_zeroed_heap_entry_in_keras_archive_member(tmp_path):
    """The `.keras` member `model.weights.h5` (string attribute `name` on every `vars` group)
    is checked too, from memory."""
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="d")])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    weights = bytearray(members["model.weights.h5"])
    offsets = _free_space_size_offsets(weights)
    assert offsets
    weights[offsets[0] : offsets[0] + 8] = bytes(8)
    members["model.weights.h5"] = bytes(weights)
    with zipfile.ZipFile(tmp_path / "bad.keras", "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    out = _load_in_subprocess(tmp_path / "bad.keras")
    assert out.startswith("ValueError:") and "bad.keras" in out, out


def test_intact_files_pass_the_check(tmp_path):
    """No false alarms: every HDF5 file in tests/data (written by Keras 2, Keras 3 and minikeras)
    passes, and a fresh save loads with the same predictions."""
    files = glob.glob(os.path.join(DATA, "**", "*.h5"), recursive=True)
    files.remove(HANG)
    assert len(files) > 10
    for path in files:
        hdf5_heap.check_file(path, path)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="d")])
    model.save(tmp_path / "m.h5")
    x = np.ones((3, 4), "float32")
    np.testing.assert_allclose(
        keras.models.load_model(tmp_path / "m.h5").predict(x, verbose=0),
        model.predict(x, verbose=0),
    )
