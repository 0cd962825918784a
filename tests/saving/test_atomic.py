"""Saving is atomic: a reader (or a crash) sees the old file or the new one, never a mix."""

import os
import random
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest

import minikeras as keras
from minikeras.saving import keras_zip
from minikeras.utils import atomic

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CHILD = r"""
import sys
sys.path.insert(0, {repo!r})
import numpy as np
import minikeras as keras

path, kind, expected = sys.argv[1], sys.argv[2], sys.argv[3]
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(512, name="a"),
                          keras.layers.Dense(256, name="b"), keras.layers.Dense(4, name="c")])
np.save(expected, model.predict(np.ones((2, 64), "float32"), verbose=0))
first = True
while True:
    if kind == "weights":
        model.save_weights(path)
    else:
        model.save(path)
    if first:  # one complete save done: kills from now on hit later saves at random moments
        print("ready", flush=True)
        first = False
"""


def _small():
    return keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(512, name="a"),
            keras.layers.Dense(256, name="b"),
            keras.layers.Dense(4, name="c"),
        ]
    )


def _outputs(path, kind):
    if kind == "weights":
        model = _small()
        model.load_weights(path)
    else:
        model = keras.models.load_model(path)
    return model.predict(np.ones((2, 64), "float32"), verbose=0)


@pytest.mark.slow
@pytest.mark.parametrize(
    "fname,kind", [("m.keras", "model"), ("m.h5", "model"), ("w.weights.h5", "weights")]
)
def test_killed_save_leaves_old_or_new_file(tmp_path, fname, kind):
    work, aux = tmp_path / "work", tmp_path / "aux"
    work.mkdir()
    aux.mkdir()
    target = work / fname
    keras.utils.set_random_seed(0)
    old = _small()
    old.save_weights(target) if kind == "weights" else old.save(target)
    old_y = old.predict(np.ones((2, 64), "float32"), verbose=0)
    script = aux / "child.py"
    script.write_text(CHILD.format(repo=REPO))
    rng = random.Random(0)
    seen_new = False
    for trial in range(5):
        expected = aux / f"new_{trial}.npy"
        proc = subprocess.Popen(
            [sys.executable, str(script), str(target), kind, str(expected)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.25))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
        y = _outputs(target, kind)  # loads cleanly: either the old or the new model
        new_y = np.load(expected)
        is_old, is_new = np.array_equal(y, old_y), np.array_equal(y, new_y)
        assert is_old or is_new, f"trial {trial}: the file is neither the old nor the new model"
        seen_new |= is_new
    assert seen_new  # the child did replace the file at least once
    old.save_weights(target) if kind == "weights" else old.save(target)
    assert os.listdir(work) == [fname]  # temp files of killed savers are cleaned up


def test_failed_save_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    model = _small()
    model.save(tmp_path / "m.keras")
    before = (tmp_path / "m.keras").read_bytes()

    def broken(path, config, weights):
        with open(path, "wb") as f:
            f.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(keras_zip, "write", broken)
    with pytest.raises(OSError, match="disk full"):
        model.save(tmp_path / "m.keras")
    assert (tmp_path / "m.keras").read_bytes() == before
    assert os.listdir(tmp_path) == ["m.keras"]


def test_stale_temps_of_live_processes_are_kept(tmp_path):
    live = tmp_path / f".m.keras.{os.getppid()}.abc.tmp"
    dead = tmp_path / ".m.keras.999999999.abc.tmp"
    live.write_bytes(b"x")
    dead.write_bytes(b"x")
    _small().save(tmp_path / "m.keras")
    assert sorted(os.listdir(tmp_path)) == sorted(["m.keras", live.name])


def test_file_mode_follows_umask_and_existing_file(tmp_path):
    path = tmp_path / "m.keras"
    _small().save(path)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~umask
    os.chmod(path, 0o640)
    _small().save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_atomic_write_needs_an_existing_directory(tmp_path):
    with (
        pytest.raises(FileNotFoundError, match="does not exist"),
        atomic.atomic_write(tmp_path / "missing" / "m.h5"),
    ):
        pass


@pytest.mark.parametrize("length", [240, 255])
def test_long_legal_file_name_saves(tmp_path, length):
    """A name the file system accepts (up to NAME_MAX, 255 here) must save: the temp name
    `.<name>.<pid>.<random>.tmp` added 20+ characters and failed with "File name too long"
    for names over ~233 characters. The temp stem is now shortened (with a hash of the full
    name), and stale temps of dead processes under it are still cleaned up."""
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    length = min(length, limit)
    name = "w" * (length - len(".weights.h5")) + ".weights.h5"
    model = _small()
    model.save_weights(tmp_path / name)
    model.save_weights(tmp_path / name)  # overwrite too
    assert os.listdir(tmp_path) == [name]
    stem = atomic._temp_stem(str(tmp_path), name)
    assert len(stem) < len(name)
    dead = tmp_path / f"{stem}9999999.abcdefgh.tmp"  # above Linux's largest pid
    dead.write_bytes(b"x")  # as a process killed mid-save would leave it
    model.save_weights(tmp_path / name)
    assert os.listdir(tmp_path) == [name]


def test_shortened_temp_stems_differ_for_different_names(tmp_path):
    a, b = "a" * 250 + "1.h5", "a" * 250 + "2.h5"
    assert atomic._temp_stem(str(tmp_path), a) != atomic._temp_stem(str(tmp_path), b)
    assert atomic._temp_stem(str(tmp_path), "m.keras") == ".m.keras."
