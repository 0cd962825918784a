"""Keras-written files of every catalogue model load in minikeras and predict what Keras
predicted (float32, within 1e-5), and minikeras-written files predict what real Keras predicted
on them.

data/k3: Keras 3.15.1 (`make_fixtures.py`, torch backend; TensorFlow backend for the string
models); data/k2: tf.keras 2.21 (`.h5` and Keras 2 weights-only `_weights.h5`); data/mk: files
minikeras wrote (`make_minikeras_files.py`) with Keras's predictions on them
(`check_in_keras.py`, run by hand with real Keras). A `.weights.h5` file is loaded into the model
built by the same catalogue code in minikeras, so its variable paths and order must match.

Regenerating the data (each script's docstring has its command): the three `make_fixtures.py`
runs (Keras 3 torch, Keras 3 TensorFlow, tf.keras 2), then `make_minikeras_files.py`, then the
three `check_in_keras.py` runs. Tests never import keras, torch or tensorflow.
"""

import json
import os
import warnings
import zipfile

import catalogue
import h5py
import io_utils
import numpy as np
import pytest

import minikeras

ATOL = 1e-5
# the Lambda's function, registered as a user would before loading
catalogue.register_twice(minikeras)
# tf.keras 2 stores a Lambda's function as bytecode, which minikeras never loads (docs/saving.md)
REFUSED = {("k2", "lambda_layer", "h5"), ("k2", "lambda_layer", "json")}


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
        minikeras.utils.set_random_seed(0)
        model, _ = catalogue.BUILDERS[name](minikeras)
        suffix = ".weights.h5" if fmt == "weights.h5" else "_weights.h5"
        model.load_weights(os.path.join(folder, name + suffix))
        return model
    if fmt == "json":  # model_from_json, then the weights file written beside it
        with open(os.path.join(folder, f"{name}.json")) as f:
            model = minikeras.models.model_from_json(f.read())
        weights = f"{name}_weights.h5" if kind == "k2" else f"{name}.weights.h5"
        model.load_weights(os.path.join(folder, weights))
        return model
    filename = f"{name}_tf.h5" if fmt == "h5_tf" else f"{name}.{fmt}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return minikeras.models.load_model(os.path.join(folder, filename))


def _assert_outputs(got, expected, what):
    assert len(got) == len(expected), f"{what}: {len(got)} outputs, Keras had {len(expected)}"
    for g, e in zip(got, expected):
        assert g.shape == e.shape, f"{what}: shape {g.shape}, Keras {e.shape}"
        np.testing.assert_allclose(g, e, rtol=ATOL, atol=ATOL, err_msg=what)


@pytest.mark.parametrize(
    "kind,name,fmt", _cases("k3", io_utils.FORMATS) + _cases("k2", ("h5", "weights_k2", "json"))
)
def test_keras_file_predicts_as_keras(kind, name, fmt):
    """Also files Keras writes but cannot use again itself (`keras_cannot_reload`: `.h5` with
    op nodes, a 2-axis LayerNormalization, a string `score_mode`): minikeras predicts what the
    model predicted before saving. Only a vocabulary the file does not hold (an adapted lookup
    in `.h5`) cannot come back: the call raises, as in Keras."""
    npz = os.path.join(io_utils.DATA, kind, f"{name}.npz")
    inputs = io_utils.load_arrays(npz, "x_")
    if (kind, name, fmt) in REFUSED:
        with pytest.raises(ValueError, match="bytecode"):
            _load(kind, name, fmt)
        return
    model = _load(kind, name, fmt)
    manifest = io_utils.read_json(os.path.join(io_utils.DATA, kind, "manifest.json"))
    why = manifest[name].get("keras_cannot_reload", {}).get(fmt, "")
    if why.startswith("FailedPreconditionError"):  # Keras: "Table not initialized"
        with pytest.raises(RuntimeError, match="has no vocabulary"):
            _predict(model, name, inputs)
        return
    _assert_outputs(_predict(model, name, inputs), io_utils.load_arrays(npz), f"{name}.{fmt}")


# What real Keras could not do with minikeras's files (check_in_keras.py), and why; every other
# file loaded and predicted what minikeras predicts. A change either way fails
# test_keras_results_are_the_known_ones.
KNOWN = {
    ("k3", "integer_lookup", "h5"): "legacy .h5 holds no vocabulary; Keras's own .h5 fails alike",
    ("k3", "string_lookup", "h5"): "legacy .h5 holds no vocabulary; Keras's own .h5 fails alike",
    ("k3", "integer_lookup", "json"): "to_json holds no vocabulary; Keras's own fails alike",
    ("k3", "string_lookup", "json"): "to_json holds no vocabulary; Keras's own fails alike",
    ("k3", "normalizations", "h5"): "Keras's .h5 loader wants a 1-D beta for a 2-axis "
    "LayerNormalization; its own .h5 fails alike",
    ("k2", "attention", "h5"): "mha(q, v) needs save(..., for_tf_keras=True) (docs/saving.md)",
    ("k2", "nested", "h5"): "a nested functional model needs for_tf_keras=True (docs/saving.md)",
    ("k2", "rnn_states", "h5"): "rnn(x, initial_state=s) needs for_tf_keras=True",
    ("k2", "lambda_layer", "h5"): "tf.keras 2 needs a Lambda's function_type, which Keras 3 "
    "refuses (docs/saving.md)",
    ("k3", "dtypes", "h5"): "bfloat16 in legacy .h5: Keras 3 cannot read its own either",
    ("k3", "dtypes", "weights_k2"): "bfloat16 in legacy .h5: Keras 3 cannot read its own either",
    ("k2", "dtypes", "h5"): "bfloat16 in legacy .h5: tf.keras 2 has no cast for it",
    ("k2", "dtypes", "weights_k2"): "bfloat16 in legacy .h5: tf.keras 2 has no cast for it",
    ("k2", "integer_lookup", "h5"): "tf.keras 2 cannot keep lookup layers in .h5 (its own fail)",
    ("k2", "integer_lookup", "weights_k2"): "tf.keras 2 cannot keep lookup layers in .h5",
    ("k2", "string_lookup", "h5"): "tf.keras 2 cannot keep lookup layers in .h5",
    ("k2", "string_lookup", "weights_k2"): "tf.keras 2 cannot keep lookup layers in .h5",
    ("k2", "numeric_preprocessing", "weights_k2"): "tf.keras 2's adapted Discretization has a "
    "'summary' weight, which Keras 3 and minikeras do not keep",
}


def _keras_results():
    return io_utils.read_json(os.path.join(io_utils.DATA, "mk", "keras_results.json"))


def _mk_cases():
    return [
        pytest.param(runner, name, fmt, id=f"{runner}-{name}-{fmt}")
        for runner, models in sorted(_keras_results().items())
        for name, entry in sorted(models.items())
        for fmt, status in sorted(entry.items())
        if status == "ok"
    ]


def test_keras_results_are_the_known_ones():
    results = _keras_results()
    assert set(results) == {"k2", "k3"}
    assert set(results["k3"]) == set(catalogue.BUILDERS)
    failed = {
        (runner, name, fmt)
        for runner, models in results.items()
        for name, entry in models.items()
        for fmt, status in entry.items()
        if fmt != "keras_version" and status != "ok"
    }
    assert failed == set(KNOWN), {k: results[k[0]][k[1]][k[2]] for k in failed - set(KNOWN)}


@pytest.mark.parametrize("runner,name,fmt", _mk_cases())
def test_minikeras_file_predicts_what_keras_predicted_on_it(runner, name, fmt):
    folder = os.path.join(io_utils.DATA, "mk")
    inputs = io_utils.load_arrays(os.path.join(folder, f"{name}.npz"), "x_")
    expected = io_utils.load_arrays(os.path.join(folder, f"{runner}_{name}.npz"), f"{fmt}__")
    assert expected, f"no outputs of Keras recorded for {name}.{fmt}"
    model = _load("mk", name, fmt)
    _assert_outputs(_predict(model, name, inputs), expected, f"{runner} on {name}.{fmt}")


def _configs(path):
    """The model config of a `.keras` archive or legacy `.h5` file, as JSON data."""
    if path.endswith(".keras"):
        with zipfile.ZipFile(path) as z:
            return json.loads(z.read("config.json"))
    with h5py.File(path, "r") as f:
        return json.loads(f.attrs["model_config"])


@pytest.mark.parametrize("name", sorted(catalogue.BUILDERS))
def test_minikeras_still_writes_the_configs_keras_loaded(name, tmp_path):
    """The kept files are what the current code writes, so Keras's verdicts on them
    (keras_results.json) hold for today's files: same configs in `.keras` and `.h5`."""
    minikeras.utils.set_random_seed(0)
    model, _ = catalogue.BUILDERS[name](minikeras)
    for suffix in (".keras", ".h5"):
        path = str(tmp_path / f"{name}{suffix}")
        model.save(path)
        kept = os.path.join(io_utils.DATA, "mk", f"{name}{suffix}")
        assert _configs(path) == _configs(kept), (
            f"{name}{suffix}: config differs from the kept file"
        )
