"""Models whose graph calls `keras.ops` on symbolic tensors: saved as Keras 3 saves its operation
nodes (`{"module": "keras.src.ops.image", "class_name": "Resize", "config": {constructor
arguments}}`, the node holding the tensors only; observed with Keras 3.15.1), in `.keras` and
`.h5`; files written by real Keras 3 and by earlier minikeras load."""

import json
import os
import zipfile

import numpy as np
import pytest
from helpers_saving import _predict

import minikeras as keras
from minikeras import ops

HERE = os.path.dirname(__file__)
KERAS_DATA = os.path.join(HERE, "..", "data", "keras")
MK_DATA = os.path.join(HERE, "..", "data", "minikeras")
FORMATS = ["m.keras", "m.h5"]


def _entries(model):
    return {e["name"]: e for e in model.get_config()["layers"]}


def _round_trip(model, inputs, tmp_path):
    expected = _predict(model, inputs)
    for fname in FORMATS:
        model.save(tmp_path / fname)
        loaded = keras.models.load_model(tmp_path / fname)
        for got, want in zip(_predict(loaded, inputs), expected):
            np.testing.assert_allclose(got, want, atol=1e-6, err_msg=fname)
        assert _entries(loaded).keys() == _entries(model).keys()


def _tensor_args(node):
    return [
        a for a in node["args"] if isinstance(a, dict) and a["class_name"] == "__keras_tensor__"
    ]


def image_model():
    img = keras.Input((10, 12, 3), name="img")
    transform = keras.Input((8,), name="transform")
    x = ops.image.resize(img, (8, 8))
    x = keras.layers.Conv2D(4, 3, padding="same", name="conv")(x)
    patches = ops.image.extract_patches(x, 2)
    crop = ops.image.crop_images(img, 1, 2, target_height=6, target_width=7)
    pad = ops.image.pad_images(crop, 2, 1, target_height=11, target_width=10)
    grey = ops.image.rgb_to_grayscale(pad)
    hsv = ops.image.hsv_to_rgb(ops.image.rgb_to_hsv(img))
    warped = ops.image.affine_transform(img, transform, interpolation="nearest")
    return keras.Model([img, transform], [patches, grey, hsv, warped])


def test_image_ops_save_with_keras_names(tmp_path):
    """Keras 3 writes `ops.image.resize(x, (8, 8))` as class `Resize` of `keras.src.ops.image`
    with the size and every other constructor argument in the config and only the image in the
    node (before: class 'Image.resize', which no loader knew)."""
    model = image_model()
    entries = _entries(model)
    resize = entries["resize"]
    assert (resize["module"], resize["class_name"], resize["registered_name"]) == (
        "keras.src.ops.image",
        "Resize",
        "Resize",
    )
    assert resize["config"] == {
        "name": "resize",
        "size": [8, 8],
        "interpolation": "bilinear",
        "antialias": False,
        "crop_to_aspect_ratio": False,
        "pad_to_aspect_ratio": False,
        "fill_mode": "constant",
        "fill_value": 0.0,
        "data_format": None,
    }
    (node,) = resize["inbound_nodes"]
    assert len(node["args"]) == 1 and node["kwargs"] == {}
    assert node["args"][0]["config"]["keras_history"] == ["img", 0, 0]
    classes = {e["class_name"] for e in entries.values() if "ops" in e["module"]}
    assert classes == {
        "Resize",
        "ExtractPatches",
        "CropImages",
        "PadImages",
        "RGBToGrayscale",
        "RGBToHSV",
        "HSVToRGB",
        "AffineTransform",
    }
    assert entries["extract_patches"]["config"]["size"] == 2
    crop = entries["crop_images"]["config"]
    assert (crop["top_cropping"], crop["left_cropping"], crop["target_height"]) == (1, 2, 6)
    affine = entries["affine_transform"]
    assert affine["config"]["interpolation"] == "nearest"
    assert len(_tensor_args(affine["inbound_nodes"][0])) == 2  # call(images, transform)
    rng = np.random.default_rng(0)
    transform = np.array([[1.1, 0.1, -1.0, -0.1, 0.9, 0.5, 0, 0]] * 2, "float32")
    _round_trip(model, [rng.uniform(0, 1, (2, 10, 12, 3)).astype("float32"), transform], tmp_path)


def test_signal_ops_save_with_keras_names(tmp_path):
    """Keras 3 spells its signal ops `FFT`, `FFT2`, `IFFT2`, `RFFT`, `IRFFT`, `STFT`, `ISTFT`
    (module `keras.src.ops.math`), not "Fft2"/"Rfft"; `fft_length` and the STFT framing are
    constructor arguments."""
    sig = keras.Input((32,), name="sig")
    real, imag = ops.stft(sig, 8, 4, 8)
    dense = keras.layers.Dense(3, name="dense")(ops.sqrt(real * real + imag * imag))
    back, _ = ops.ifft2(ops.fft2((real, imag)))
    rre, rim = ops.rfft(sig, fft_length=16)
    model = keras.Model(
        sig,
        [
            dense,
            back,
            ops.irfft((rre, rim), fft_length=16),
            ops.fft((rre, rim))[0],
            ops.istft((real, imag), 8, 4, 8),
        ],
    )
    entries = _entries(model)
    spelled = {e["class_name"]: e for e in entries.values() if e["module"] == "keras.src.ops.math"}
    assert set(spelled) == {"STFT", "FFT2", "IFFT2", "RFFT", "IRFFT", "FFT", "ISTFT"}
    stft = {k: v for k, v in spelled["STFT"]["config"].items() if k != "name"}
    assert stft == {
        "sequence_length": 8,
        "sequence_stride": 4,
        "fft_length": 8,
        "window": "hann",
        "center": True,
    }
    assert spelled["RFFT"]["config"]["fft_length"] == 16
    # fft2 takes the (real, imag) pair as its one call argument
    (arg,) = spelled["FFT2"]["inbound_nodes"][0]["args"]
    assert [t["config"]["keras_history"][0] for t in arg] == ["stft", "stft"]
    data = np.random.default_rng(1).uniform(-1, 1, (2, 32)).astype("float32")
    _round_trip(model, [data], tmp_path)


def numpy_model():
    a = keras.Input((5, 6), name="a")
    b = keras.Input((6, 3), name="b")
    h = keras.layers.Dense(4, name="dense")(a)
    both = ops.concatenate([h, a[:, :, :2]], axis=-1)
    first = ops.expand_dims(both[:, 0], 1)
    centred = both - ops.mean(both, axis=1, keepdims=True)
    scores = ops.softmax(ops.matmul(centred, ops.transpose(first, (0, 2, 1))), axis=1)
    gated = ops.where(scores > 0.2, scores, 0.0)
    mixed = ops.matmul(a, b) + ops.ones((3,))
    return keras.Model([a, b], [gated, mixed, a[..., 1:4:2]])


def test_numpy_ops_save_with_keras_names(tmp_path):
    """Keras 3 gives `axis`/`keepdims` to `Mean`, `Concatenate`, `Softmax`, `ExpandDims`
    (`keras.src.ops.numpy` / `keras.src.ops.nn`) and keeps the key of `x[:, 0]` in `GetItem`'s node;
    a constant tensor in a node is a `__tensor__` entry (before: `mean`'s axis was a node
    kwarg, which Keras's `Mean.call(x)` refuses, and constant tensors could not be saved)."""
    model = numpy_model()
    entries = _entries(model)
    mean = entries["mean"]
    assert mean["module"] == "keras.src.ops.numpy" and mean["class_name"] == "Mean"
    assert mean["config"] == {"name": "mean", "axis": 1, "keepdims": True}
    assert mean["inbound_nodes"][0]["kwargs"] == {}
    assert entries["concatenate"]["config"] == {"name": "concatenate", "axis": -1}
    assert entries["expand_dims"]["config"] == {"name": "expand_dims", "axis": 1}
    assert entries["softmax"]["module"] == "keras.src.ops.nn"
    assert entries["softmax"]["config"] == {"name": "softmax", "axis": 1}
    assert entries["where"]["config"] == {"name": "where"}
    assert entries["where"]["inbound_nodes"][0]["args"][2] == 0.0
    getitem = next(e for e in entries.values() if e["class_name"] == "GetItem")
    assert getitem["config"]["name"].startswith("get_item")  # Keras's name for the op
    slice_all = {"class_name": "__slice__", "config": {"start": None, "stop": None, "step": None}}
    key = getitem["inbound_nodes"][0]["args"][1]
    assert key == [
        slice_all,
        slice_all,
        {"class_name": "__slice__", "config": {"start": None, "stop": 2, "step": None}},
    ]
    constant = [
        a
        for e in entries.values()
        if e["class_name"] == "Add"
        for a in e["inbound_nodes"][0]["args"]
        if isinstance(a, dict) and a.get("class_name") == "__tensor__"
    ]
    assert constant == [
        {"class_name": "__tensor__", "config": {"value": [1.0, 1.0, 1.0], "dtype": "float32"}}
    ]
    rng = np.random.default_rng(2)
    _round_trip(
        model,
        [
            rng.standard_normal((3, 5, 6)).astype("float32"),
            rng.standard_normal((3, 6, 3)).astype("float32"),
        ],
        tmp_path,
    )


@pytest.mark.parametrize("stem", ["op_image_k3", "op_signal_k3", "op_numpy_k3"])
@pytest.mark.parametrize("ext", ["keras", "h5"])
def test_files_written_by_keras_load(stem, ext):
    """`op_*_k3` were written by Keras 3.15.1 (jax) with `make_op_node_fixtures.py`; the npz
    holds Keras's predictions. (Keras 3 itself cannot read op nodes back from `.h5`.)"""
    data = np.load(os.path.join(KERAS_DATA, stem + ".npz"))
    inputs = [data[f"x{i}"] for i in range(len([k for k in data if k.startswith("x")]))]
    model = keras.models.load_model(os.path.join(KERAS_DATA, f"{stem}.{ext}"))
    outputs = _predict(model, inputs)
    assert len(outputs) == len([k for k in data if k.startswith("y")])
    for i, got in enumerate(outputs):
        np.testing.assert_allclose(got, data[f"y{i}"], atol=1e-5, err_msg=f"output {i}")


def test_keras_files_save_again_in_keras_form(tmp_path):
    """A Keras-written op graph re-saved by minikeras keeps Keras's entries (class, module,
    config, node arguments), so the file goes back to Keras unchanged in meaning (before: the
    constructor arguments moved nowhere, but `Resize` was unknown)."""
    with zipfile.ZipFile(os.path.join(KERAS_DATA, "op_image_k3.keras")) as z:
        written = json.loads(z.read("config.json"))["config"]["layers"]
    model = keras.models.load_model(os.path.join(KERAS_DATA, "op_image_k3.keras"))
    again = _entries(model)
    for entry in written:
        if "ops" not in entry["module"]:
            continue
        mine = again[entry["name"]]
        assert (mine["module"], mine["class_name"]) == (entry["module"], entry["class_name"])
        # Keras's ExtractPatches.get_config leaves out its name; its constructor takes one
        named = {"name": entry["name"]}
        assert {**mine["config"], **named} == {**entry["config"], **named}
        assert mine["inbound_nodes"] == entry["inbound_nodes"]


@pytest.mark.parametrize("ext", ["keras", "h5"])
def test_files_written_by_earlier_minikeras_load(ext, tmp_path):
    """`op_nodes_681a26b.*` were saved by minikeras at commit 681a26b, before it used Keras's
    names: classes `Image.resize`, `Fft2`, `BatchNormalization`, all arguments in the nodes
    (`ops.batch_normalization(b, 0.5, 2.0, -1, None, 3.0)`, `concatenate([...], 1)`). They load,
    and save again in Keras's form."""
    data = np.load(os.path.join(MK_DATA, "op_nodes_681a26b.npz"))
    model = keras.models.load_model(os.path.join(MK_DATA, f"op_nodes_681a26b.{ext}"))
    np.testing.assert_allclose(_predict(model, [data["x"]])[0], data["y"], atol=1e-6)
    entries = {e["class_name"]: e for e in model.get_config()["layers"]}
    assert entries["Resize"]["config"]["size"] == [6, 8]
    assert entries["BatchNorm"]["config"] == {
        "name": "batch_normalization",
        "axis": -1,
        "epsilon": 0.001,
    }
    assert entries["Concatenate"]["config"]["axis"] == 1 and "FFT2" in entries
    model.save(tmp_path / "again.keras")
    again = keras.models.load_model(tmp_path / "again.keras")
    np.testing.assert_allclose(_predict(again, [data["x"]])[0], data["y"], atol=1e-6)


def test_unknown_keras_operation_is_named():
    """A Keras 3 op minikeras lacks fails naming the op, not 'Unknown layer'. Every keras.ops name
    of Keras 3.15.1 exists in minikeras now (this test used `Rot90`, then `Angle`), so the op here
    is a made-up `Frobnicate`, as a later Keras's new op would be."""
    x = keras.Input((3, 3), name="x")
    config = keras.Model(x, ops.abs(x)).get_config()
    entry = next(e for e in config["layers"] if e["class_name"] == "Absolute")
    entry["class_name"] = entry["registered_name"] = "Frobnicate"
    with pytest.raises(ValueError, match=r"keras\.src\.ops\.numpy\.Frobnicate.*does not implement"):
        keras.Model.from_config(config)


def test_complex_ops_save_with_keras_names(tmp_path):
    """Complex ops in a functional graph are saved as Keras 3's classes (Polar in
    keras.src.ops.nn, ViewAsComplex/ViewAsReal in keras.src.ops.math, Eig in
    keras.src.ops.linalg, conj as numpy.Conjugate) and round-trip; Keras 3.15.1 on jax loaded
    such a .keras file and predicted the same numbers (checked by hand)."""
    x = keras.Input((3, 2), name="x")
    z = ops.polar(ops.abs(x), x)
    y = ops.view_as_real(ops.conj(ops.view_as_complex(x)) + ops.imag(z)[..., 0])
    model = keras.Model(x, [y, ops.angle(z), ops.real(ops.eig(x[:, :2, :])[0])])
    classes = {(e["module"], e["class_name"]) for e in model.get_config()["layers"]}
    assert {
        ("keras.src.ops.nn", "Polar"),
        ("keras.src.ops.math", "ViewAsComplex"),
        ("keras.src.ops.math", "ViewAsReal"),
        ("keras.src.ops.numpy", "Conjugate"),
        ("keras.src.ops.numpy", "Imag"),
        ("keras.src.ops.numpy", "Angle"),
        ("keras.src.ops.numpy", "Real"),
        ("keras.src.ops.linalg", "Eig"),
    } <= classes
    _round_trip(
        model, [np.random.default_rng(0).normal(size=(2, 3, 2)).astype("float32")], tmp_path
    )


def test_old_op_names_come_from_the_ops_namespace(monkeypatch):
    """Old minikeras op-node class names (`Take`, `Image.resize`) are read from the names that
    `keras.ops` / `keras.ops.image` bind, not from the family modules' `__all__` (a split left a
    family module without one, and the listing failed)."""
    from minikeras.core.ops import indexing
    from minikeras.models import functional_config

    monkeypatch.delattr(indexing, "__all__")
    functional_config._legacy_op_names.cache_clear()
    try:
        names = functional_config._legacy_op_names()
    finally:
        functional_config._legacy_op_names.cache_clear()
    assert names["Take"] == "take" and names["Image.resize"] == "image.resize"
    assert names["Rot90"] == "rot90"  # ops bound later (keras.ops.rot90) are listed too


def test_real_keras_loads_minikeras_op_files(tmp_path):
    """Real Keras 3 rebuilds minikeras's `.keras` files with op nodes and predicts the same
    (Keras 3 reads op nodes from `.keras` only: its legacy `.h5` loader knows no op classes)."""
    real = pytest.importorskip("keras")
    if not real.__version__.startswith("3."):
        pytest.skip(f"needs Keras 3, found {real.__version__}")
    rng = np.random.default_rng(3)
    cases = [
        (
            image_model(),
            [
                rng.uniform(0, 1, (2, 10, 12, 3)).astype("float32"),
                np.array([[1.1, 0.1, -1.0, -0.1, 0.9, 0.5, 0, 0]] * 2, "float32"),
            ],
        ),
        (
            numpy_model(),
            [
                rng.standard_normal((3, 5, 6)).astype("float32"),
                rng.standard_normal((3, 6, 3)).astype("float32"),
            ],
        ),
    ]
    for i, (model, inputs) in enumerate(cases):
        path = str(tmp_path / f"m{i}.keras")
        model.save(path)
        loaded = real.models.load_model(path)
        got = loaded.predict(inputs, verbose=0)
        for g, want in zip(got, _predict(model, inputs)):
            np.testing.assert_allclose(np.asarray(g), want, atol=1e-5)
