"""The loading contract for hostile configs (minikeras/saving/config_checks.py).

Keras 3 (observed, 3.15.1) raises assorted exception types for such files; minikeras's
documented contract (README, "Security") is stricter: whatever a file causes is a ValueError
(or OSError for I/O) naming the file and, where known, the layer and key, raised before
anything large is allocated.
"""

import json
import os
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest

import minikeras as keras
from minikeras.serialization import config_checks

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "data", "keras")


def _rewrite_keras(src, dst, edit, member="config.json"):
    with zipfile.ZipFile(os.path.join(FIXTURES, src)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    doc = json.loads(members[member])
    edit(doc)
    members[member] = json.dumps(doc).encode()
    with zipfile.ZipFile(dst, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    return str(dst)


def _layer(config, name):
    return next(e for e in config["config"]["layers"] if e.get("name") == name)


def _first_of(config, class_name):
    return next(e for e in config["config"]["layers"] if e["class_name"] == class_name)


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("units", "16", "positive int"),
        ("units", 0, "positive int"),
        ("return_sequences", "yes", "bool"),
        ("activation", 3, "function name"),
        ("dropout", 7.0, "between 0 and 1"),
        ("unroll", [1], "bool"),
    ],
)
def test_wrong_config_type_names_file_layer_key(tmp_path, key, value, expected):
    """A mistyped LSTM argument (before: numba TypingError / TypeError) is a ValueError naming
    the file, the layer, the key, what was expected and what was received."""

    def edit(c):
        _first_of(c, "LSTM")["config"][key] = value

    path = _rewrite_keras("lstm_text_k3.keras", tmp_path / "bad.keras", edit)
    with pytest.raises(ValueError) as info:
        keras.models.load_model(path)
    msg = str(info.value)
    assert "bad.keras" in msg and f"'{key}'" in msg and expected in msg and repr(value) in msg
    assert "LSTM" in msg


def test_huge_units_refused_before_allocating(tmp_path):
    """`units: 10**8` in a 30 KB config: refused from the file's weight sizes, not after
    allocating gigabytes (checked under a 1.5 GB address-space limit in a subprocess)."""

    def edit(c):
        _first_of(c, "Dense")["config"]["units"] = 10**8

    path = _rewrite_keras("mlp_k3.keras", tmp_path / "huge.keras", edit)
    code = (
        "import resource, sys\n"
        "import minikeras as keras\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))\n"
        f"try:\n    keras.models.load_model({path!r})\n"
        "except ValueError as e:\n    print('VALUEERROR', e)\n"
    )
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "VALUEERROR" in out.stdout, out.stdout + out.stderr
    assert "huge.keras" in out.stdout and "more than all the weights" in out.stdout
    assert time.monotonic() - start < 60


def test_budget_counts_only_inside_loading():
    """Outside a load, layers allocate freely; inside, past the budget they are refused."""
    keras.layers.Dense(4).build((None, 3))
    with config_checks.weight_budget(12 - config_checks.SLACK, "f.keras"):
        keras.layers.Dense(4, use_bias=False).build((None, 3))  # exactly 12 elements
        with pytest.raises(ValueError, match="f.keras.*'dense.*'kernel'"):
            keras.layers.Dense(1).build((None, 1))


def test_unknown_call_kwarg_from_file_is_refused(tmp_path):
    """Node kwargs are passed to `call` only if `call` takes them (before: TypeError)."""

    def edit(c):
        _layer(c, "emb")["inbound_nodes"][0]["kwargs"] = {"evil": 1}

    path = _rewrite_keras("lstm_text_k3.keras", tmp_path / "kw.keras", edit)
    with pytest.raises(ValueError, match=r"kw\.keras.*'emb'.*\['evil'\]"):
        keras.models.load_model(path)


def test_layer_error_is_not_rebuilt_as_an_op(tmp_path):
    """An entry naming a layer class whose config fails is an error, not silently an ops call
    (before: a broken `Concatenate` layer was rebuilt as keras.ops.concatenate)."""

    def edit(c):
        _first_of(c, "Concatenate")["config"]["trainable"] = "maybe"

    path = _rewrite_keras("two_input_k3.keras", tmp_path / "cat.keras", edit)
    with pytest.raises(ValueError, match=r"cat\.keras.*'trainable'"):
        keras.models.load_model(path)


def test_non_string_keras_version_names_file(tmp_path):
    """metadata.json with `keras_version: [3]` (before: AttributeError)."""

    def edit(m):
        m["keras_version"] = [3]

    path = _rewrite_keras("mlp_k3.keras", tmp_path / "meta.keras", edit, "metadata.json")
    with pytest.raises(ValueError, match="meta.keras"):
        keras.models.load_model(path)


def test_corrupted_legacy_config_names_file(tmp_path):
    """Invalid UTF-8 in a legacy `.h5` model_config (before: UnicodeDecodeError without the
    file's name)."""
    h5py = pytest.importorskip("h5py")
    path = str(tmp_path / "text.h5")
    with open(os.path.join(FIXTURES, "mlp_k3.h5"), "rb") as f, open(path, "wb") as g:
        g.write(f.read())
    with h5py.File(path, "r+") as h5:
        h5.attrs["model_config"] = np.bytes_(b'{"class_name": "\xf2\xff"}')
    with pytest.raises(ValueError, match="text.h5"):
        keras.models.load_model(path)


def test_corrupt_deflate_member_names_file(tmp_path):
    """A deflated config.json whose stream is damaged (before: zlib.error escaped)."""
    with zipfile.ZipFile(os.path.join(FIXTURES, "mlp_k3.keras")) as z:
        members = {n: z.read(n) for n in z.namelist()}
    path = str(tmp_path / "zlib.keras")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            z.writestr(n, data)
    raw = bytearray(open(path, "rb").read())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("config.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start : start + 8] = b"\xff" * 8  # the deflate stream's first bytes
    open(path, "wb").write(bytes(raw))
    with pytest.raises(ValueError, match="zlib.keras"):
        keras.models.load_model(path)


def test_input_layer_shape_types_checked(tmp_path):
    """An InputLayer `batch_shape` of `[true, 6]` (before: loaded with a batch of 1, so
    predict on the model's two inputs failed later)."""

    def edit(c):
        _first_of(c, "InputLayer")["config"]["batch_shape"][0] = True

    path = _rewrite_keras("two_input_k3.keras", tmp_path / "in.keras", edit)
    with pytest.raises(ValueError, match=r"in\.keras.*InputLayer.*'batch_shape'.*\[True, 6\]"):
        keras.models.load_model(path)


def test_huge_input_shape_refused_before_tracing(tmp_path):
    """`batch_shape: [null, 10**8]` on a signal model: building traced STFT/FFT ops on a
    100M-element sample for minutes; refused at once (Keras 3 traces symbolically)."""

    def edit(c):
        _first_of(c, "InputLayer")["config"]["batch_shape"] = [None, 10**8]

    path = _rewrite_keras("op_signal_k3.keras", tmp_path / "sig.keras", edit)
    start = time.monotonic()
    with pytest.raises(ValueError, match=r"sig\.keras.*100000000 elements per sample"):
        keras.models.load_model(path)
    assert time.monotonic() - start < 30  # a hang guard: the old code ran for minutes


def test_missing_vocabulary_asset_is_an_error(tmp_path):
    """A .keras archive whose adapted TextVectorization lost its `vocabulary.txt` asset: Keras
    3.15.1 fails the load (its load_assets opens the file); minikeras loaded an unadapted layer
    whose predict then failed. Now a ValueError naming the archive and the layer path."""
    with zipfile.ZipFile(os.path.join(FIXTURES, "text_vectorization_k3.keras")) as z:
        members = {n: z.read(n) for n in z.namelist() if not n.startswith("assets/")}
    path = str(tmp_path / "noasset.keras")
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    with pytest.raises(ValueError, match=r"noasset\.keras.*assets of 'layers/"):
        keras.models.load_model(path)


def test_reshape_target_shape_may_infer_one_axis(tmp_path):
    """Keras 3's Reshape takes one -1 in target_shape (the inferred size), and its files load;
    two -1s are refused as a wrong value, naming the key."""
    import numpy as np

    import minikeras as keras

    model = keras.Sequential([keras.Input((4, 2)), keras.layers.Reshape((-1, 2, 2))])
    path = str(tmp_path / "m.keras")
    model.save(path)
    x = np.arange(16, dtype="float32").reshape(2, 4, 2)
    np.testing.assert_array_equal(
        keras.models.load_model(path).predict(x, verbose=0), x.reshape(2, -1, 2, 2)
    )
    from minikeras.serialization import config_checks

    with pytest.raises(ValueError, match="target_shape"):
        config_checks.check_layer_config(
            keras.layers.Reshape, {"name": "r", "target_shape": [-1, -1, 2]}
        )


def test_lookup_oov_count_is_bounded(tmp_path):
    """Found by the fuzzer: StringLookup num_oov_indices 2**63 loaded an unadapted layer whose
    predict failed; the count must be a non-negative int (Keras requires >= 0), bounded here."""

    def edit(c):
        _first_of(c, "StringLookup")["config"]["num_oov_indices"] = 2**63

    path = _rewrite_keras("text_vectorization_k3.keras", tmp_path / "tv.keras", edit)
    with pytest.raises(ValueError, match=r"tv\.keras.*num_oov_indices.*non-negative int"):
        keras.models.load_model(path)
