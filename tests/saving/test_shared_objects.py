"""`.keras` files keep one object referenced from several places of a config one object.

Keras 3 (`serialization_lib.ObjectSharingScope`, opened around `.keras` saving and loading)
writes such an object's full config at every place, each tagged with the same
`shared_object_id`, and loads every tagged entry after the first as that first object. The
fixtures in tests/data/keras were written by Keras 3.15.1 (`make_shared_object_fixtures.py`).
"""

import json
import os
import zipfile

import numpy as np
import pytest

import minikeras as keras

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "keras")


def _fixture(name):
    model = keras.saving.load_model(os.path.join(DATA, f"{name}_k3.keras"))
    npz = np.load(os.path.join(DATA, f"{name}_k3.npz"))
    inputs = npz["x"] if "x" in npz else [npz["x0"], npz["x1"]]
    return model, npz, inputs


def _config(path):
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("config.json"))


def _entries_with_ids(tree, out=None):
    """`(class_name, name, shared_object_id)` of every tagged entry, in file order."""
    out = [] if out is None else out
    if isinstance(tree, list):
        for item in tree:
            _entries_with_ids(item, out)
    elif isinstance(tree, dict):
        if "shared_object_id" in tree:
            inner = tree.get("config")
            name = inner.get("name") if isinstance(inner, dict) else None
            out.append((tree.get("class_name"), name, tree["shared_object_id"]))
        for value in tree.values():
            _entries_with_ids(value, out)
    return out


@pytest.mark.parametrize(
    "name,direct,wrapper",
    [("shared_timedistributed", "shared_dense", "td"), ("shared_submodel", "encoder", "td")],
)
def test_keras_file_with_shared_object_ids_loads_tied(name, direct, wrapper):
    """A Dense (or a functional sub-model) used directly and inside TimeDistributed: Keras 3
    writes it twice with one shared_object_id and one set of variables; it loads as one object
    with Keras's predictions."""
    model, npz, inputs = _fixture(name)
    assert model.get_layer(direct) is model.get_layer(wrapper).layer
    assert len(model.weights) == int(npz["n_weights"]) == 2
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_array_equal(w, npz[f"w{i:03d}"])
    for i, y in enumerate(model.predict(inputs, verbose=0)):
        np.testing.assert_allclose(y, npz[f"y{i}"], atol=1e-5)


def test_keras_fixture_weights_stay_tied_when_trained():
    """Training the directly-called layer changes the wrapped one: they are one variable."""
    model, _, inputs = _fixture("shared_timedistributed")
    model.compile(optimizer="sgd", loss=["mse", None])
    before = model.predict(inputs, verbose=0)[1]
    target = np.ones((2, 5, 3), "float32")
    model.fit(inputs, [target, target], epochs=1, verbose=0)  # the wrapped output has no loss
    assert not np.allclose(model.predict(inputs, verbose=0)[1], before)


def shared_embedding_model():
    """One Embedding inside two Sequential sub-models of a functional model (3 weights)."""
    emb = keras.layers.Embedding(10, 4, name="shared_embedding")
    s1 = keras.Sequential([emb, keras.layers.GlobalAveragePooling1D()], name="s1")
    s2 = keras.Sequential(
        [emb, keras.layers.Flatten(), keras.layers.Dense(2, name="head")], name="s2"
    )
    a = keras.Input((6,), dtype="int32", name="a")
    b = keras.Input((6,), dtype="int32", name="b")
    return keras.Model([a, b], [s1(a), s2(b)], name="two_towers")


def _tokens():
    rng = np.random.default_rng(0)
    return [rng.integers(0, 10, (3, 6)).astype("int32") for _ in range(2)]


def test_embedding_shared_by_two_submodels_round_trips_tied(tmp_path):
    model = shared_embedding_model()
    path = str(tmp_path / "towers.keras")
    model.save(path)
    tagged = _entries_with_ids(_config(path))
    # both occurrences (the first one too) carry the layer's full config and one id
    # the layer and its initializer object, as Keras tags them; nothing met once is tagged
    pair = [("Embedding", "shared_embedding"), ("RandomUniform", None)]
    assert [e[:2] for e in tagged] == pair * 2
    assert tagged[0][2] == tagged[2][2] and tagged[1][2] == tagged[3][2] != tagged[0][2]

    loaded = keras.saving.load_model(path)
    assert loaded.get_layer("s1").layers[0] is loaded.get_layer("s2").layers[0]
    assert len(loaded.weights) == len(model.weights) == 3
    for got, want in zip(loaded.predict(_tokens(), verbose=0), model.predict(_tokens(), verbose=0)):
        np.testing.assert_allclose(got, want, atol=1e-6)
    # one variable: changing it through one tower changes the other
    emb = loaded.get_layer("s1").layers[0]
    emb.embeddings.assign(np.zeros((10, 4), "float32"))
    assert not loaded.get_layer("s2").layers[0].embeddings.numpy().any()


def test_one_initializer_instance_loads_as_one_object(tmp_path):
    """Keras 3 tags an initializer object given to two layers (observed in 3.15.1)."""
    init = keras.initializers.GlorotUniform()
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4, kernel_initializer=init),
            keras.layers.Dense(2, kernel_initializer=init),
        ]
    )
    path = str(tmp_path / "init.keras")
    model.save(path)
    tagged = _entries_with_ids(_config(path))
    assert [e[0] for e in tagged] == ["GlorotUniform", "GlorotUniform"]
    loaded = keras.saving.load_model(path)
    first, second = loaded.layers
    assert first.kernel_initializer is second.kernel_initializer


def test_get_config_outside_saving_has_no_shared_ids():
    """Keras opens the sharing scope only around `.keras` saving; get_config never tags."""
    model = shared_embedding_model()
    config = model.get_config()
    assert _entries_with_ids(config) == []
    rebuilt = type(model).from_config(config)
    assert rebuilt.get_layer("s1").layers[0] is not rebuilt.get_layer("s2").layers[0]


def test_real_keras_loads_minikeras_shared_layers_tied(tmp_path):
    try:
        import keras as real_keras
    except Exception as e:  # noqa: BLE001 - any failure to import means "not available"
        pytest.skip(f"real Keras is not importable here ({type(e).__name__})")
    if not real_keras.__version__.startswith("3."):
        pytest.skip(f"needs Keras 3, found {real_keras.__version__}")
    model = shared_embedding_model()
    path = str(tmp_path / "towers.keras")
    model.save(path)
    loaded = real_keras.saving.load_model(path)
    assert loaded.get_layer("s1").layers[0] is loaded.get_layer("s2").layers[0]
    assert len(loaded.weights) == 3
    want = model.predict(_tokens(), verbose=0)
    for got, y in zip(loaded.predict(_tokens(), verbose=0), want):
        np.testing.assert_allclose(np.asarray(got), y, atol=1e-5)
