"""What minikeras writes matches Keras's layouts (spec sections 1-6), and the readers accept
every spelling Keras uses (str/bytes/numpy.bytes_ names, split NAME0/NAME1 lists, empty float64
name arrays)."""

import json

import h5py
import numpy as np
import pytest

import minikeras as keras
from minikeras.saving import hdf5_legacy


def _walk(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(
            lambda name, obj: out.__setitem__(
                name, obj.shape if isinstance(obj, h5py.Dataset) else dict(obj.attrs)
            )
        )
    return out


def nested_bn_model():
    """A nested functional model whose BatchNormalization precedes another Dense (spec 2.3)."""
    inner_in = keras.Input((4,), name="inner_in")
    x = keras.layers.Dense(3, name="f1")(inner_in)
    x = keras.layers.BatchNormalization(name="fbn")(x)
    inner = keras.Model(inner_in, keras.layers.Dense(2, name="f2")(x), name="inner")
    x = keras.Input((5, 4), name="seq")
    y = keras.layers.TimeDistributed(inner, name="td")(x)
    y = keras.layers.Flatten(name="flat")(y)
    return keras.Model(x, keras.layers.Dense(1, name="out")(y), name="outer")


def test_keras3_weights_layout(tmp_path):
    model = nested_bn_model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((2, 5, 4), "float32"), np.ones((2, 1), "float32"), verbose=0)
    model.save_weights(tmp_path / "w.weights.h5")
    tree = _walk(tmp_path / "w.weights.h5")
    assert tree["vars"] == {"name": "outer"}
    assert tree["layers/input_layer/vars"] == {"name": "seq"}
    assert tree["layers/time_distributed/vars"] == {"name": "td"}
    assert tree["layers/time_distributed/layer/vars"] == {"name": "inner"}
    # the nested model's counters restart; its InputLayer is listed (functional)
    assert tree["layers/time_distributed/layer/layers/input_layer/vars"] == {"name": "inner_in"}
    assert tree["layers/time_distributed/layer/layers/dense/vars/0"] == (4, 3)
    assert tree["layers/time_distributed/layer/layers/batch_normalization/vars/3"] == (3,)
    assert tree["layers/time_distributed/layer/layers/dense_1/vars/0"] == (3, 2)
    assert tree["layers/flatten/vars"] == {"name": "flat"}
    assert tree["layers/dense/vars/0"] == (10, 1)
    assert tree["optimizer/vars"] == {"name": model.optimizer.name}
    n_slots = 2 * len(model.trainable_weights)
    assert tree["optimizer/vars/0"] == () and f"optimizer/vars/{n_slots + 1}" in tree


def test_sequential_weights_layout_has_no_input_layer(tmp_path):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, name="a"), keras.layers.Dense(2, name="b")],
        name="s",
    )
    model.save_weights(tmp_path / "w.weights.h5")
    tree = _walk(tmp_path / "w.weights.h5")
    assert sorted(k for k in tree if k.count("/") == 2 and k.endswith("vars")) == [
        "layers/dense/vars",
        "layers/dense_1/vars",
    ]


def test_legacy_h5_layout_trainable_first(tmp_path):
    model = nested_bn_model()
    model.get_layer("out").trainable = True
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert f.attrs["keras_version"].startswith("3.")
        mw = f["model_weights"]
        assert list(mw.attrs["layer_names"]) == [
            "seq",
            "td",
            "flat",
            "out",
        ]  # functional: inputs too
        names = [n.split("/")[-1] for n in mw["td"].attrs["weight_names"]]
        # trainable first: f1, fbn gamma/beta, f2, then the moving statistics (spec 2.3 table)
        assert names == [
            "kernel",
            "bias",
            "gamma",
            "beta",
            "kernel",
            "bias",
            "moving_mean",
            "moving_variance",
        ]
        assert mw["seq"].attrs["weight_names"].dtype == np.float64  # empty list, as Keras
        assert list(mw["top_level_model_weights"].attrs["weight_names"]) == []
        config = json.loads(f.attrs["model_config"])
    assert config["class_name"] == "Functional"
    assert all("module" not in e for e in config["config"]["layers"])
    td = next(e for e in config["config"]["layers"] if e["name"] == "td")
    assert td["config"]["layer"]["class_name"] == "Functional"  # nested objects keep their form
    # get_weights is creation order: moving statistics right after gamma/beta
    td_weights = model.get_layer("td").weights
    assert [w.name for w in td_weights][:6] == [
        "kernel",
        "bias",
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
    ]


def test_frozen_layer_weights_go_last_in_its_group(tmp_path):
    model = nested_bn_model()
    inner = model.get_layer("td").layer
    inner.get_layer("f1").trainable = False
    model.save_weights(tmp_path / "w.h5")
    with h5py.File(tmp_path / "w.h5", "r") as f:
        names = list(f["td"].attrs["weight_names"])
    # trainable ones first; the frozen kernel/bias join the moving statistics at the end
    assert [n.split("/", 2)[2] for n in names] == [
        "fbn/gamma",
        "fbn/beta",
        "f2/kernel",
        "f2/bias",
        "f1/kernel",
        "f1/bias",
        "fbn/moving_mean",
        "fbn/moving_variance",
    ]
    other = nested_bn_model()
    other.get_layer("td").layer.get_layer("f1").trainable = False
    _randomize(model)
    model.save_weights(tmp_path / "w.h5")
    other.load_weights(tmp_path / "w.h5")
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)


def _randomize(model, seed=0):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.uniform(0.5, 1.5, w.shape).astype(w.dtype) for w in model.get_weights()])


def test_sequential_legacy_layout_and_training_config(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="a")], name="s")
    model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9), loss="mse", metrics=["mae"])
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert list(f["model_weights"].attrs["layer_names"]) == ["a"]  # Sequential: no InputLayer
        training = json.loads(f.attrs["training_config"])
        opt_names = list(f["optimizer_weights"].attrs["weight_names"])
        assert f[f"optimizer_weights/{opt_names[0]}"].dtype == np.int32
    assert training["loss"] == "mean_squared_error"  # full name: Keras 3 rejects "mse" here
    assert training["metrics"] == ["mae"]
    assert training["optimizer_config"]["class_name"] == "SGD"
    assert training["optimizer_config"]["config"]["momentum"] == 0.9
    assert len(opt_names) == 2 + 2 and opt_names[0].endswith("iteration")


def test_split_name_attributes_are_written_and_read(tmp_path):
    names = [f"layer_{i:04d}_" + "x" * 300 for i in range(400)]  # > 64512 bytes when fixed-length
    with h5py.File(tmp_path / "a.h5", "w") as f:
        hdf5_legacy._write_names(f, "layer_names", names)
        assert (
            "layer_names" not in f.attrs and "layer_names0" in f.attrs and "layer_names1" in f.attrs
        )
        assert all(f.attrs[k].nbytes <= 64512 for k in f.attrs)
    with hdf5_legacy.SafeH5(str(tmp_path / "a.h5")) as h5:
        assert h5.names(h5.file, "layer_names") == names


def test_reader_accepts_str_bytes_and_numpy_bytes(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="a")], name="s")
    _randomize(model)
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r+") as f:  # rewrite as old Keras / h5py 2 did
        f.attrs["model_config"] = np.bytes_(f.attrs["model_config"].encode())
        f.attrs["keras_version"] = b"2.2.4"
        f.attrs["backend"] = np.bytes_(b"tensorflow")
        mw = f["model_weights"]
        mw.attrs["layer_names"] = np.array([b"a"])
        mw["a"].attrs["weight_names"] = np.array(
            [n.encode() for n in mw["a"].attrs["weight_names"]]
        )
    loaded = keras.models.load_model(tmp_path / "m.h5")
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_keras2_hard_sigmoid_means_keras2_formula(tmp_path):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(3, activation="hard_sigmoid", name="a")]
    )
    model.layers[0].set_weights([np.eye(3, dtype="float32"), np.zeros(3, "float32")])
    model.save(tmp_path / "k3.h5")
    model.save(tmp_path / "k2.h5")
    with h5py.File(tmp_path / "k2.h5", "r+") as f:
        f.attrs["keras_version"] = "2.21.0"
    x = np.array([[-3.0, 1.0, 2.0]], "float32")
    k2 = keras.models.load_model(tmp_path / "k2.h5").predict(x, verbose=0)
    k3 = keras.models.load_model(tmp_path / "k3.h5").predict(x, verbose=0)
    np.testing.assert_allclose(k2, np.clip(0.2 * x + 0.5, 0, 1), rtol=1e-6)
    np.testing.assert_allclose(k3, np.clip(x / 6 + 0.5, 0, 1), rtol=1e-6)


def test_keras2_config_translation_and_node_offsets():
    """A hand-written Keras 2 functional config: batch_input_shape, dtype strings, BN axis list,
    a nested Sequential referenced with node index + 1 (spec 6.3)."""
    dense = lambda name, units: {
        "class_name": "Dense",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "units": units,
            "activation": "linear",
            "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        },
    }
    head = {
        "class_name": "Sequential",
        "config": {
            "name": "head",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {
                        "batch_input_shape": [None, 4],
                        "dtype": "float32",
                        "sparse": False,
                        "ragged": False,
                        "name": "head_in",
                    },
                },
                dense("h1", 3),
            ],
        },
    }
    config = {
        "class_name": "Functional",
        "keras_version": "2.15.0",
        "backend": "tensorflow",
        "config": {
            "name": "k2",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "name": "x",
                    "inbound_nodes": [],
                    "config": {
                        "batch_input_shape": [None, 4],
                        "dtype": "float32",
                        "sparse": False,
                        "ragged": False,
                        "name": "x",
                    },
                },
                {**dense("d", 4), "name": "d", "inbound_nodes": [[["x", 0, 0, {}]]]},
                {
                    "class_name": "BatchNormalization",
                    "name": "bn",
                    "inbound_nodes": [[["d", 0, 0, {"training": False}]]],
                    "config": {
                        "name": "bn",
                        "axis": [1],
                        "dtype": "float32",
                        "momentum": 0.99,
                        "epsilon": 0.001,
                        "center": True,
                        "scale": True,
                    },
                },
                {**head, "name": "head", "inbound_nodes": [[["bn", 0, 0, {}]]]},
                {**dense("out", 2), "name": "out", "inbound_nodes": [[["head", 1, 0, {}]]]},
            ],
            "input_layers": [["x", 0, 0]],
            "output_layers": [["out", 0, 0]],
        },
    }
    model = keras.models.model_from_json(json.dumps(config))
    assert [l.name for l in model.layers] == ["x", "d", "bn", "head", "out"]
    assert model.get_layer("bn").axis in (1, -1, [1], [-1])
    assert model.output_shape == (None, 2)


def test_operation_nodes_for_masks_are_tolerated():
    """A Keras 3 config with a NotEqual node whose output is only a `mask` argument."""
    tensor = lambda layer, shape, dtype="float32": {
        "class_name": "__keras_tensor__",
        "config": {"shape": shape, "dtype": dtype, "keras_history": [layer, 0, 0]},
    }
    config = {
        "class_name": "Functional",
        "config": {
            "name": "m",
            "trainable": True,
            "layers": [
                {
                    "class_name": "InputLayer",
                    "name": "x",
                    "inbound_nodes": [],
                    "config": {"batch_shape": [None, 3], "dtype": "float32", "name": "x"},
                },
                {
                    "class_name": "NotEqual",
                    "name": "not_equal",
                    "config": {"name": "not_equal"},
                    "inbound_nodes": [{"args": [tensor("x", [None, 3]), 0], "kwargs": {}}],
                },
                {
                    "class_name": "Dense",
                    "name": "d",
                    "config": {"name": "d", "units": 2},
                    "inbound_nodes": [
                        {
                            "args": [tensor("x", [None, 3])],
                            "kwargs": {
                                "mask": tensor("not_equal", [None, 3], "bool"),
                                "training": False,
                            },
                        }
                    ],
                },
            ],
            "input_layers": ["x", 0, 0],
            "output_layers": ["d", 0, 0],
        },
    }
    model = keras.models.model_from_json(json.dumps(config))
    assert [l.name for l in model.layers] == ["x", "d"]
    assert model.predict(np.ones((2, 3), "float32"), verbose=0).shape == (2, 2)


@pytest.mark.parametrize("fname", ["m.keras", "m.h5"])
def test_keras2_tf_module_strings_are_ignored(tmp_path, fname):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="a")], name="s")
    config = json.loads(model.to_json())
    config["module"] = "tf_keras.src.engine.sequential"
    for entry in config["config"]["layers"]:
        entry["module"] = "tf_keras.src.layers.core.dense"
    rebuilt = keras.models.model_from_json(json.dumps(config))
    assert [l.name for l in rebuilt.layers] == ["a"]


def test_keras2_bidirectional_layer_only_config(tmp_path):
    """Keras 2 writes Bidirectional with `layer` only (named like the original) and RNN keys
    `time_major`/`implementation`; weights load by position (forward, then backward)."""
    x = keras.Input((4, 3), name="x")
    model = keras.Model(x, keras.layers.Bidirectional(keras.layers.LSTM(2), name="bi")(x), name="m")
    _randomize(model)
    model.save_weights(tmp_path / "w.h5")
    config = json.loads(model.to_json())
    bi = config["config"]["layers"][1]["config"]
    del bi["backward_layer"]
    bi["layer"] = {
        "class_name": "LSTM",
        "config": {
            **bi["layer"]["config"],
            "name": "lstm",
            "dtype": "float32",
            "time_major": False,
            "implementation": 2,
        },
    }
    config["keras_version"] = "2.21.0"
    rebuilt = keras.models.model_from_json(json.dumps(config))
    rebuilt.load_weights(tmp_path / "w.h5")
    data = np.random.default_rng(0).standard_normal((2, 4, 3)).astype("float32")
    np.testing.assert_allclose(
        rebuilt.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6
    )


def test_public_saving_api(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="a")])
    keras.saving.save_model(model, tmp_path / "m.keras")
    keras.saving.save_weights(model, tmp_path / "w.weights.h5")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    keras.saving.load_weights(loaded, tmp_path / "w.weights.h5")
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    for name in (
        "register_keras_serializable",
        "get_custom_objects",
        "custom_object_scope",
        "serialize_keras_object",
        "deserialize_keras_object",
        "get_registered_name",
        "get_registered_object",
    ):
        assert callable(getattr(keras.saving, name))
