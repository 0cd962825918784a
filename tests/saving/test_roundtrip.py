"""Round trips through every format, for Sequential, functional, nested and shared-layer models,
plus to_json / model_from_json and clone_model."""

import json
import os

import numpy as np
import pytest
from helpers_saving import _predict

import minikeras as keras

FORMATS = ["m.keras", "m.h5"]
WEIGHT_FORMATS = ["w.weights.h5", "w.h5"]


def _x(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _perturb(model, seed=1):
    rng = np.random.default_rng(seed)
    model.set_weights(
        [w + rng.uniform(0, 0.5, w.shape).astype(w.dtype) for w in model.get_weights()]
    )


def mlp():
    return keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(5, activation="relu", name="h"),
            keras.layers.BatchNormalization(name="bn"),
            keras.layers.Dense(3, name="o"),
        ],
        name="mlp",
    )


def multi_io():
    a, b = keras.Input((6,), name="a"), keras.Input((4,), name="b")
    shared = keras.layers.Dense(5, name="shared")
    h = keras.layers.Concatenate(name="cat")([shared(a), keras.layers.Dense(5, name="db")(b)])
    h2 = shared(keras.layers.Dense(6, name="back")(h))  # the shared layer's second call
    out1 = keras.layers.Dense(2, name="y1")(h)
    out2 = keras.layers.Dense(1, name="y2")(h2)
    return keras.Model([a, b], [out1, out2], name="multi")


def nested():
    inner_in = keras.Input((6,), name="inner_in")
    x = keras.layers.Dense(5, name="f1")(inner_in)
    x = keras.layers.BatchNormalization(name="fbn")(x)
    inner = keras.Model(inner_in, keras.layers.Dense(4, name="f2")(x), name="inner")
    head = keras.Sequential(
        [keras.layers.Dense(3, name="s1"), keras.layers.Dense(2, name="s2")], name="head"
    )
    seq_in = keras.Input((5, 6), name="seq")
    td = keras.layers.TimeDistributed(inner, name="td")(seq_in)
    flat = keras.layers.Flatten(name="flat")(td)
    return keras.Model(seq_in, head(flat), name="outer")


MODELS = {
    "mlp": (mlp, lambda: _x(4, 6)),
    "multi_io": (multi_io, lambda: [_x(3, 6), _x(3, 4, seed=1)]),
    "nested": (nested, lambda: _x(2, 5, 6)),
}


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("fname", FORMATS)
def test_model_round_trip(tmp_path, name, fname):
    build, data = MODELS[name]
    model, x = build(), data()
    _perturb(model)
    path = tmp_path / fname
    model.save(path)
    loaded = keras.models.load_model(path)
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers]
    for e, g in zip(
        _predict(model, x if isinstance(x, list) else [x]),
        _predict(loaded, x if isinstance(x, list) else [x]),
    ):
        np.testing.assert_array_equal(g, e)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("fname", WEIGHT_FORMATS)
def test_weights_round_trip(tmp_path, name, fname):
    build, _ = MODELS[name]
    model = build()
    _perturb(model)
    model.save_weights(tmp_path / fname)
    other = build()
    other.load_weights(tmp_path / fname)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_weights_from_any_format_into_a_model(tmp_path):
    model = mlp()
    _perturb(model)
    model.save(tmp_path / "m.keras")
    model.save(tmp_path / "m.h5")
    for fname in ("m.keras", "m.h5"):  # load_weights reads full-model files too
        other = mlp()
        other.load_weights(tmp_path / fname)
        for a, b in zip(model.get_weights(), other.get_weights()):
            np.testing.assert_array_equal(a, b)


def test_by_name_and_skip_mismatch(tmp_path):
    model = mlp()
    _perturb(model)
    model.save_weights(tmp_path / "w.h5")
    renamed = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(5, name="h"),
            keras.layers.Dense(3, name="unrelated"),
            keras.layers.Dense(2, name="o"),
        ]
    )
    before = renamed.get_weights()
    with pytest.raises(ValueError, match="Shape mismatch.*'o'.*\\(3, 2\\).*\\(5, 3\\)"):
        renamed.load_weights(tmp_path / "w.h5", by_name=True)
    for a, b in zip(before, renamed.get_weights()):  # nothing assigned
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="Skipping"):
        renamed.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    np.testing.assert_array_equal(
        renamed.get_layer("h").get_weights()[0], model.get_layer("h").get_weights()[0]
    )
    np.testing.assert_array_equal(renamed.get_layer("o").get_weights()[0], before[4])
    # positional loading with skip_mismatch: the mismatching layer keeps its weights
    other = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(5),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(4),
        ]
    )
    kept = other.layers[2].get_weights()
    with pytest.warns(UserWarning, match="Skipping"):
        other.load_weights(tmp_path / "w.h5", skip_mismatch=True)
    np.testing.assert_array_equal(
        other.layers[0].get_weights()[0], model.get_layer("h").get_weights()[0]
    )
    np.testing.assert_array_equal(other.layers[2].get_weights()[0], kept[0])
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.warns(UserWarning, match="Skipping"):
        other.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(
        other.layers[1].get_weights()[2], model.get_layer("bn").get_weights()[2]
    )


def test_op_nodes_round_trip(tmp_path):
    x = keras.Input((3,), name="x")
    y = keras.layers.Dense(2, name="d")(x * 2.0 + 1.0)
    model = keras.Model(x, keras.ops.tanh(y), name="ops")
    config = model.get_config()
    names = [e["class_name"] for e in config["layers"]]
    assert "Multiply" in names and "Add" in names and "Tanh" in names
    data = _x(4, 3)
    for fname in FORMATS:
        model.save(tmp_path / fname)
        loaded = keras.models.load_model(tmp_path / fname)
        np.testing.assert_allclose(
            _predict(loaded, [data])[0], _predict(model, [data])[0], rtol=1e-6
        )


def test_to_json_and_model_from_json():
    model = multi_io()
    text = model.to_json()
    config = json.loads(text)
    assert config["class_name"] == "Functional" and config["config"]["name"] == "multi"
    shared = next(e for e in config["config"]["layers"] if e["name"] == "shared")
    assert len(shared["inbound_nodes"]) == 2
    assert shared["inbound_nodes"][1]["args"][0]["config"]["keras_history"] == ["back", 0, 0]
    rebuilt = keras.models.model_from_json(text)
    rebuilt.set_weights(model.get_weights())
    x = [_x(3, 6), _x(3, 4, seed=1)]
    for e, g in zip(_predict(model, x), _predict(rebuilt, x)):
        np.testing.assert_array_equal(g, e)
    seq = keras.models.model_from_json(mlp().to_json())
    assert isinstance(seq, keras.Sequential) and [l.name for l in seq.layers] == ["h", "bn", "o"]


def test_clone_model():
    model = multi_io()
    clone = keras.models.clone_model(model)
    assert clone is not model and [l.name for l in clone.layers] == [l.name for l in model.layers]
    assert all(a is not b for a, b in zip(clone.layers, model.layers))
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in model.get_weights()]
    seen = []

    def fn(layer):
        seen.append(layer.name)
        config = layer.get_config()
        if isinstance(layer, keras.layers.Dense):
            config["activation"] = "relu"
        return layer.__class__.from_config(config)

    a, b = keras.Input((6,), name="new_a"), keras.Input((4,), name="new_b")
    clone = keras.models.clone_model(model, input_tensors=[a, b], clone_function=fn)
    assert clone.inputs[0] is a and clone.inputs[1] is b
    assert sorted(seen) == sorted(
        l.name for l in model.layers if not isinstance(l, keras.layers.InputLayer)
    )
    assert clone.get_layer("y1").activation is keras.activations.relu
    seq = keras.models.clone_model(mlp())
    assert isinstance(seq, keras.Sequential) and seq.output_shape == (None, 3)


def test_keras_file_layout(tmp_path):
    import zipfile

    model = mlp()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["metadata.json", "config.json", "model.weights.h5"]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        meta = json.loads(zf.read("metadata.json"))
        config = json.loads(zf.read("config.json"))
    assert meta["keras_version"].startswith("3.") and "date_saved" in meta
    assert config["class_name"] == "Sequential" and config["module"] == "keras"
    assert config["config"]["layers"][0]["class_name"] == "InputLayer"
    assert config["build_config"] == {"input_shape": [None, 6]}
    cc = config["compile_config"]
    assert cc["loss"] == "mean_squared_error" and cc["metrics"] == ["mae"]
    assert cc["optimizer"]["class_name"] == "Adam"


def test_unbuilt_sequential_round_trip(tmp_path):
    model = keras.Sequential([keras.layers.Dense(3, name="a"), keras.layers.Dense(2, name="b")])
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert not loaded.built and [l.name for l in loaded.layers] == ["a", "b"]
    model(np.ones((1, 4), "float32"))
    _perturb(model)
    for fname in FORMATS:
        model.save(tmp_path / fname)
        loaded = keras.models.load_model(tmp_path / fname)
        np.testing.assert_array_equal(
            _predict(loaded, [_x(2, 4)])[0], _predict(model, [_x(2, 4)])[0]
        )


def test_frozen_model_round_trip(tmp_path):
    model = mlp()
    model.get_layer("h").trainable = False
    _perturb(model)
    for fname in FORMATS:
        model.save(tmp_path / fname)
        loaded = keras.models.load_model(tmp_path / fname)
        assert not loaded.get_layer("h").trainable and loaded.get_layer("o").trainable
        for a, b in zip(model.get_weights(), loaded.get_weights()):
            np.testing.assert_array_equal(a, b)


def test_save_extension_errors(tmp_path):
    model = mlp()
    with pytest.raises(ValueError, match="extension"):
        model.save(tmp_path / "m.txt")
    with pytest.raises(ValueError, match=".weights.h5"):
        model.save_weights(tmp_path / "w.bin")
    with pytest.raises(FileExistsError, match="overwrite"):
        model.save(tmp_path / "m.keras")
        model.save(tmp_path / "m.keras", overwrite=False)
    assert os.listdir(tmp_path) == ["m.keras"]
