"""Legacy `.h5` files that tf.keras 2 (the tf-keras package) and Keras 3 both load.

What tf.keras 2 needs was observed with tf-keras 2.21 on TensorFlow 2.21 (its `load_model`
rebuilds layers with constructors that refuse unknown arguments, reads `dtype` as a string,
reads only `[[layer, node, tensor, kwargs]]` nodes, and counts a nested model's own input node
first); what Keras 3 needs from its legacy loader (`keras/src/legacy/saving`, `Functional`'s
`deserialize_node`). The structural tests below run everywhere and each names the tf.keras 2
(or Keras 3) behaviour it protects; `test_tf_keras_loads_and_predicts_the_same` runs only where
tf_keras is importable. The `tfk_*_k2` files were written by real tf.keras 2
(tests/data/keras/make_tf_keras_fixtures.py).
"""

import json
import os
import warnings

import h5py
import numpy as np
import pytest

import minikeras as keras

L = keras.layers
DATA = os.path.join(os.path.dirname(__file__), "..", "data", "keras")


def _x(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _config(path):
    with h5py.File(path, "r") as f:
        return json.loads(f.attrs["model_config"])


def _training_config(path):
    with h5py.File(path, "r") as f:
        return json.loads(f.attrs["training_config"])


def _entries(tree):
    """Every `{"class_name", "config"}` dict in a config tree, outermost first."""
    out, stack = [], [tree]
    while stack:
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if isinstance(node.get("class_name"), str) and isinstance(node.get("config"), dict):
                out.append(node)
            stack.extend(node.values())
    return out


def _by_class(tree, class_name):
    return [e["config"] for e in _entries(tree) if e["class_name"] == class_name]


def _save(model, tmp_path, name="m.h5", **kwargs):
    path = str(tmp_path / name)
    model.save(path, **kwargs)
    return path


def _same_predictions(model, path, x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = keras.models.load_model(path)
    want, got = model.predict(x, verbose=0), loaded.predict(x, verbose=0)
    for a, b in zip(
        want if isinstance(want, list) else [want], got if isinstance(got, list) else [got]
    ):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-6)


def _mlp():
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((6,), name="x"),
            L.Dense(4, activation="relu"),
            L.BatchNormalization(),
            L.LayerNormalization(),
            L.Dense(2),
        ]
    )


def _mha(seed=0):
    keras.utils.set_random_seed(seed)
    q, v = keras.Input((5, 8), name="q"), keras.Input((3, 8), name="v")
    return keras.Model([q, v], L.MultiHeadAttention(2, 4, name="mha")(q, v), name="mha_model")


def _nested_functional():
    keras.utils.set_random_seed(0)
    xi = keras.Input((6,))
    inner = keras.Model(xi, L.Dense(3, name="inner_d")(xi), name="inner_f")
    x = keras.Input((6,), name="x")
    return keras.Model(x, L.Add(name="add")([inner(x), L.Dense(3, name="side")(x)]))


# ---- structure tf.keras 2 needs (checked without TensorFlow) --------------------------------


def test_input_layer_has_batch_input_shape_because_tf_keras_inputlayer_refuses_batch_shape(
    tmp_path,
):
    config = _config(_save(_mlp(), tmp_path))
    (inp,) = _by_class(config, "InputLayer")
    assert inp["batch_input_shape"] == [None, 6]
    assert "batch_shape" not in inp
    assert "optional" not in inp  # tf.keras before 2.16 has no `optional` argument


def test_dtypes_are_plain_strings_because_tf_keras_has_no_dtype_policy_class(tmp_path):
    config = _config(_save(_mlp(), tmp_path))
    dtypes = [e["config"]["dtype"] for e in _entries(config) if "dtype" in e["config"]]
    assert dtypes and all(d == "float32" for d in dtypes)
    assert not _by_class(config, "DTypePolicy")


def test_keras3_only_arguments_at_their_default_are_left_out_because_tf_keras_refuses_them(
    tmp_path,
):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((4, 3)), L.LSTM(3, return_sequences=True), L.LayerNormalization(), L.Dense(2)]
    )
    config = _config(_save(model, tmp_path))
    (dense,) = _by_class(config, "Dense")
    (lstm,) = _by_class(config, "LSTM")
    (norm,) = _by_class(config, "LayerNormalization")
    assert "quantization_config" not in dense
    assert "seed" not in lstm and "zero_output_for_mask" not in lstm
    assert "rms_scaling" not in norm
    glorot = _by_class(config, "GlorotUniform")
    assert glorot and all("input_axes" not in g and "output_axes" not in g for g in glorot)
    # ...and Keras-2-only arguments are not written either: Keras 3 refuses `time_major`
    assert "time_major" not in lstm and "implementation" not in lstm


def test_a_non_default_keras3_only_argument_is_kept_for_keras3(tmp_path):
    """tf.keras 2 cannot build such a layer; Keras 3 and minikeras still must."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4, 3)), L.LayerNormalization(rms_scaling=True)])
    path = _save(model, tmp_path)
    assert _by_class(_config(path), "LayerNormalization")[0]["rms_scaling"] is True
    _same_predictions(model, path, _x((2, 4, 3)))


def test_leaky_relu_slope_is_written_as_alpha_because_tf_keras_knows_no_negative_slope(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), L.Dense(3), L.LeakyReLU(0.25)])
    path = _save(model, tmp_path)
    (leaky,) = _by_class(_config(path), "LeakyReLU")
    assert leaky["alpha"] == 0.25 and "negative_slope" not in leaky
    _same_predictions(model, path, _x((4, 3)))


def test_attention_default_score_mode_left_out_because_keras3_legacy_loader_breaks_on_dot(
    tmp_path,
):
    """Keras 3's legacy loader resolves the string "dot" to keras.ops.dot, then Attention refuses
    it (observed with Keras 3.15.1 on its own `.h5` files); "dot" is both Kerases' default."""
    q, v = keras.Input((4, 3)), keras.Input((2, 3))
    model = keras.Model([q, v], L.Attention()([q, v]))
    (att,) = _by_class(_config(_save(model, tmp_path)), "Attention")
    assert "score_mode" not in att


def test_functional_nodes_use_keras2_lists_because_tf_keras_reads_no_args_kwargs_nodes(tmp_path):
    keras.utils.set_random_seed(0)
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    d = L.Dense(3, name="shared")
    model = keras.Model([a, b], L.Concatenate(name="cat")([d(a), d(b)]), name="two")
    path = _save(model, tmp_path)
    config = _config(path)["config"]
    layers = {e["name"]: e for e in config["layers"]}
    assert layers["shared"]["inbound_nodes"] == [[["a", 0, 0, {}]], [["b", 0, 0, {}]]]
    assert layers["cat"]["inbound_nodes"] == [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]]
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert config["output_layers"] == [["cat", 0, 0]]
    assert all("module" not in e for e in config["layers"])  # top-level entries: Keras 2's form
    _same_predictions(model, path, [_x((2, 4), 1), _x((2, 4), 2)])


def test_nested_sequential_has_no_input_layer_because_tf_keras_counts_its_input_node_first(
    tmp_path,
):
    """With an InputLayer tf.keras 2 numbers the nested model's calls from 1 and Keras 3 from 0;
    without one both number them from 0."""
    keras.utils.set_random_seed(0)
    inner = keras.Sequential([keras.Input((6,)), L.Dense(4), L.Dense(3)], name="inner")
    x = keras.Input((6,), name="x")
    model = keras.Model(x, L.Dense(2, name="out")(inner(x)))
    path = _save(model, tmp_path)
    layers = {e["name"]: e for e in _config(path)["config"]["layers"]}
    assert [e["class_name"] for e in layers["inner"]["config"]["layers"]] == ["Dense", "Dense"]
    assert layers["out"]["inbound_nodes"] == [[["inner", 0, 0, {}]]]
    _same_predictions(model, path, _x((3, 6)))


def test_training_config_optimizer_has_no_keras3_only_arguments_at_their_default(tmp_path):
    """tf.keras 2 compiles a loaded `.h5` with its legacy optimizers, which refuse
    `weight_decay`, `use_ema`, `loss_scale_factor`, ... (compile=True crashed before)."""
    model = _mlp()
    model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9), loss="mse", metrics=["mae"])
    opt = _training_config(_save(model, tmp_path))["optimizer_config"]
    assert opt["class_name"] == "SGD"
    assert set(opt["config"]) >= {"learning_rate", "momentum", "nesterov"}
    for key in (
        "weight_decay",
        "use_ema",
        "ema_momentum",
        "ema_overwrite_frequency",
        "loss_scale_factor",
        "gradient_accumulation_steps",
    ):
        assert key not in opt["config"]
    loaded = keras.models.load_model(str(tmp_path / "m.h5"))
    assert loaded.optimizer.momentum == pytest.approx(0.9)


def test_multi_head_attention_graph_stays_keras3_by_default_because_keras2_nodes_lose_value(
    tmp_path,
):
    """Keras 3 passes a Keras 2 node's kwargs on unresolved (`value=["v", 0, 0]`) and refuses
    tf.keras 2's `query_shape`, so the default file keeps Keras 3's nodes: Keras 3 loads it."""
    model = _mha()
    path = _save(model, tmp_path)
    layers = {e["name"]: e for e in _config(path)["config"]["layers"]}
    assert isinstance(layers["mha"]["inbound_nodes"][0], dict)
    assert "query_shape" not in layers["mha"]["config"]
    assert layers["q"]["config"]["batch_input_shape"] == [None, 5, 8]  # layers: Keras 2 spelling
    _same_predictions(model, path, [_x((2, 5, 8), 1), _x((2, 3, 8), 2)])


def test_for_tf_keras_writes_tf_keras_graph_for_multi_head_attention(tmp_path):
    model = _mha()
    path = _save(model, tmp_path, for_tf_keras=True)
    mha = {e["name"]: e for e in _config(path)["config"]["layers"]}["mha"]
    assert mha["inbound_nodes"] == [[["q", 0, 0, {"value": ["v", 0, 0]}]]]
    assert mha["config"]["query_shape"] == [None, 5, 8]
    assert mha["config"]["value_shape"] == mha["config"]["key_shape"] == [None, 3, 8]
    _same_predictions(model, path, [_x((2, 5, 8), 1), _x((2, 3, 8), 2)])


def test_nested_functional_model_numbering_follows_the_reader_asked_for(tmp_path):
    """tf.keras 2 counts a nested functional model's own node first, Keras 3's legacy loader
    does not: the default file keeps Keras 3's nodes, `for_tf_keras=True` writes node 1."""
    model = _nested_functional()
    x = _x((3, 6))
    default = _save(model, tmp_path, "default.h5")
    add = {e["name"]: e for e in _config(default)["config"]["layers"]}["add"]
    assert isinstance(add["inbound_nodes"][0], dict)
    _same_predictions(model, default, x)
    strict = _save(model, tmp_path, "strict.h5", for_tf_keras=True)
    add = {e["name"]: e for e in _config(strict)["config"]["layers"]}["add"]
    assert add["inbound_nodes"] == [[["inner_f", 1, 0, {}], ["side", 0, 0, {}]]]
    _same_predictions(model, strict, x)


def test_for_tf_keras_refuses_keras_ops_nodes_naming_the_op(tmp_path):
    x = keras.Input((3,), name="x")
    model = keras.Model(x, L.Dense(2, name="d")(x) * 2.0)
    with pytest.raises(ValueError, match=r"tf.keras 2: '.*' is a Keras 3 operation \(multiply\)"):
        _save(model, tmp_path, for_tf_keras=True)
    _same_predictions(model, _save(model, tmp_path), _x((2, 3)))  # default: Keras 3's form


def test_for_tf_keras_applies_to_h5_only(tmp_path):
    with pytest.raises(ValueError, match="legacy .h5 files only"):
        _mlp().save(str(tmp_path / "m.keras"), for_tf_keras=True)


def test_weights_only_h5_has_keras2_layout(tmp_path):
    """tf.keras 2's load_weights pairs `layer_names` groups with layers by position and reads
    each group's `weight_names` datasets in order."""
    model = _mlp()
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["layer_names"]]
        assert names == [layer.name for layer in model.layers]
        bn = f[model.layers[1].name]
        wnames = [n.decode() if isinstance(n, bytes) else n for n in bn.attrs["weight_names"]]
        assert len(wnames) == 4  # gamma, beta, moving_mean, moving_variance
        np.testing.assert_array_equal(bn[wnames[2]][()], model.layers[1].moving_mean.numpy())


# ---- files written by real tf.keras 2 ---------------------------------------------------------


@pytest.mark.parametrize("stem", ["tfk_vision", "tfk_attention", "tfk_nested"])
def test_tf_keras_written_files_load_and_predict_the_same(stem):
    """tf.keras 2 writes `groups: 1` for transposed/depthwise/separable convolutions,
    `noise_shape`, `rng_type`, MultiHeadAttention's `query_shape`/`softmax_robust_masking`,
    and numbers nested models' calls from 1; minikeras refused the first four before."""
    npz = np.load(os.path.join(DATA, f"{stem}_k2.npz"))
    xs = [npz[k] for k in sorted(npz.files) if k.startswith("x")]
    x = xs if len(xs) > 1 else xs[0]
    model = keras.models.load_model(os.path.join(DATA, f"{stem}_k2.h5"))
    np.testing.assert_allclose(model.predict(x, verbose=0), npz["y"], rtol=0, atol=1e-5)
    model.set_weights([np.zeros_like(w) for w in model.get_weights()])
    model.load_weights(os.path.join(DATA, f"{stem}_k2_weights.h5"))
    np.testing.assert_allclose(model.predict(x, verbose=0), npz["y"], rtol=0, atol=1e-5)


# ---- with tf.keras 2 itself (only where tf_keras is installed) --------------------------------


def _tf_cases():
    keras.utils.set_random_seed(0)
    cnn = keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            L.Conv2D(4, 3, activation="relu"),
            L.MaxPooling2D(),
            L.DepthwiseConv2D(2),
            L.BatchNormalization(),
            L.Flatten(),
            L.Dropout(0.2),
            L.Dense(3, activation="softmax"),
        ]
    )
    ids = keras.Input((6,), dtype="int32", name="ids")
    h = L.Embedding(20, 4, mask_zero=True, name="emb")(ids)
    h = L.Bidirectional(L.LSTM(3, return_sequences=True), name="bi")(h)
    text = keras.Model(ids, L.GRU(2, name="gru")(h), name="text")
    tok = np.random.default_rng(0).integers(1, 20, (3, 6)).astype("int32")
    tok[:, -2:] = 0
    inner = keras.Sequential([keras.Input((6,)), L.Dense(4, activation="tanh")], name="inner")
    x = keras.Input((6,), name="x")
    nested = keras.Model(x, L.Dense(2, name="out")(inner(x)), name="nested")
    return [
        (cnn, _x((2, 8, 8, 3)), {}),
        (text, tok, {}),
        (nested, _x((3, 6)), {}),
        (_mha(), [_x((2, 5, 8), 1), _x((2, 3, 8), 2)], {"for_tf_keras": True}),
        (_nested_functional(), _x((3, 6)), {"for_tf_keras": True}),
    ]


def test_tf_keras_loads_and_predicts_the_same(tmp_path):
    tf_keras = pytest.importorskip("tf_keras")
    for i, (model, x, kwargs) in enumerate(_tf_cases()):
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        path, wpath = str(tmp_path / f"m{i}.h5"), str(tmp_path / f"w{i}.h5")
        model.save(path, **kwargs)
        model.save_weights(wpath)
        want = model.predict(x, verbose=0)
        loaded = tf_keras.models.load_model(path)  # compile=True: training_config must load
        np.testing.assert_allclose(loaded.predict(x, verbose=0), want, rtol=0, atol=1e-5)
        loaded.set_weights([np.zeros_like(w) for w in loaded.get_weights()])
        loaded.load_weights(wpath)
        np.testing.assert_allclose(loaded.predict(x, verbose=0), want, rtol=0, atol=1e-5)
