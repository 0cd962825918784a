"""Smoke runs of every script in examples/: each must finish with exit code 0 at a tiny size.

Each script runs as a subprocess (as a user would run it) from a temporary working directory,
on generated data. The `--mnist`/`--imdb` branches run in-process with `load_data` replaced by
random arrays of the real layout: nothing is ever downloaded here.
"""

import ast
import glob
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPTS = sorted(glob.glob(os.path.join(ROOT, "examples", "*.py")))

# the tiny-size arguments of each script; every other script takes `--smoke`
SMOKE_ARGS = {
    "mlp_classifier.py": ["--epochs", "2"],
    "video_qa.py": ["--epochs", "1", "--train", "64"],
}
# extra runs of scripts with a second mode worth covering
EXTRA_RUNS = [
    ("timeseries_forecasting.py", ["--smoke", "--cell", "lstm"]),
    ("transfer_learning.py", ["--smoke", "--mobilenet"]),
]
SLOW = {"video_qa.py", "transfer_learning.py --smoke --mobilenet"}
# lines a run must print: the claims the scripts make, checked
EXPECTED = {
    "save_load_resume.py": [
        "resumed from .keras: largest weight difference to uninterrupted training 0.0e+00",
        "resumed from .h5: largest weight difference to uninterrupted training 0.0e+00",
        "weights-only reload matches: True",
        "Keras-written mlp_k3.keras",
    ],
    "custom_layer_and_model.py": [
        "RBFClassifier reloaded from .keras, same predictions: True",
        "reloaded from .h5, same predictions: True",
    ],
    "transfer_learning.py": ["backbone unchanged while frozen: True"],
}
TIMEOUT = 300  # seconds: generous, for a cold numba cache on a busy machine


def _run(name, args, cwd):
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])),
        MPLBACKEND="Agg",
    )
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", name), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        cwd=cwd,
    )
    tail = f"\n--- stdout (end) ---\n{proc.stdout[-3000:]}\n--- stderr ---\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, f"{name} {' '.join(args)} exited {proc.returncode}{tail}"
    for line in EXPECTED.get(name, []):
        assert line in proc.stdout, f"{name} did not print {line!r}{tail}"
    return proc


def _cases():
    runs = [
        (os.path.basename(p), SMOKE_ARGS.get(os.path.basename(p), ["--smoke"])) for p in SCRIPTS
    ] + EXTRA_RUNS
    for name, args in runs:
        label = " ".join([name, *args]) if (name, args) in EXTRA_RUNS else name
        marks = [pytest.mark.slow] if label in SLOW else []
        yield pytest.param(name, args, id=label, marks=marks)


def test_the_examples_are_all_there():
    names = {os.path.basename(p) for p in SCRIPTS}
    assert {
        "convnet.py",
        "text_classification.py",
        "timeseries_forecasting.py",
        "transfer_learning.py",
        "custom_layer_and_model.py",
        "custom_training_loop.py",
        "multi_input_output.py",
        "save_load_resume.py",
        "video_qa.py",
        "mlp_classifier.py",
    } <= names


@pytest.mark.parametrize("path", SCRIPTS, ids=os.path.basename)
def test_example_is_short_and_documented(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    doc = ast.get_docstring(ast.parse(source))
    assert doc and "python examples/" in doc, f"{path}: the docstring must say how to run it"
    assert any(unit in doc for unit in (" s ", "seconds", "minute")), (
        f"{path}: the docstring must say how long it takes"
    )
    if os.path.basename(path) != "video_qa.py":  # the flagship demo, allowed a little longer
        assert len(source.splitlines()) < 100, f"{path} has grown past 100 lines"


@pytest.mark.parametrize("name,args", list(_cases()))
def test_example_runs(name, args, tmp_path):
    _run(name, args, tmp_path)


def _fake_mnist(num_words=None):
    """Random arrays with MNIST's layout: uint8 (n, 28, 28) images, uint8 labels 0-9."""
    rng = np.random.default_rng(0)
    return tuple(
        (rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8))
        for n in (96, 32)
    )


def _fake_imdb(num_words=None):
    """Random data with IMDB's layout: object arrays of word-id lists, int labels 0/1."""
    rng = np.random.default_rng(0)
    splits = []
    for n in (64, 32):
        reviews = np.empty(n, dtype=object)
        reviews[:] = [
            list(rng.integers(1, num_words or 10000, rng.integers(5, 250))) for _ in range(n)
        ]
        splits.append((reviews, rng.integers(0, 2, n)))
    return tuple(splits)


@pytest.mark.parametrize(
    "name,args,dataset,fake",
    [
        ("convnet.py", ["--mnist", "--epochs", "1"], "mnist", _fake_mnist),
        ("mlp_classifier.py", ["--mnist", "--epochs", "1"], "mnist", _fake_mnist),
        ("text_classification.py", ["--imdb", "--epochs", "1"], "imdb", _fake_imdb),
    ],
)
def test_real_dataset_flag_runs_on_a_stand_in(name, args, dataset, fake, monkeypatch, capsys):
    """The `--mnist`/`--imdb` branch, with `load_data` replaced by arrays of the real layout
    (no download)."""
    import minikeras as keras

    module = getattr(keras.datasets, dataset)
    monkeypatch.setattr(module, "load_data", lambda *a, **k: fake(k.get("num_words")))
    spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(ROOT, "examples", name))
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(sys, "argv", [name, *args])
    script.main()
    assert "test accuracy" in capsys.readouterr().out
