"""The numpy forms of Keras's tf.data idioms that docs/keras-compatibility.md#tf-data lists."""

import numpy as np

import minikeras as keras


def _texts(tmp_path):
    for label, texts in {"neg": ["Bad film", "Awful plot"], "pos": ["Great film", "Nice"]}.items():
        (tmp_path / label).mkdir()
        for i, t in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(t)
    return keras.utils.text_dataset_from_directory(
        str(tmp_path), batch_size=3, shuffle=False, verbose=False
    )


def test_directory_dataset_indexes_iterates_and_adapts(tmp_path):
    ds = _texts(tmp_path)
    x, y = ds[0]  # the `take(1)` idiom
    assert isinstance(x, np.ndarray) and x.tolist() == ["Bad film", "Awful plot", "Great film"]
    assert y.tolist() == [0, 0, 1] and ds.class_names == ["neg", "pos"]
    assert [len(b[0]) for b in ds] == [3, 1]  # iteration gives every batch
    a = keras.layers.TextVectorization()
    a.adapt(x for x, _ in ds)  # the `ds.map(lambda x, y: x)` idiom
    b = keras.layers.TextVectorization()
    b.adapt(np.concatenate([batch[0] for batch in ds]))
    assert a.get_vocabulary() == b.get_vocabulary()
    assert {"film", "bad", "nice"} <= set(a.get_vocabulary())


def test_standardize_callable_gets_numpy_strings():
    seen = []

    def lower(texts):
        seen.append(type(texts))
        return np.char.lower(np.asarray(texts, dtype=str))

    layer = keras.layers.TextVectorization(standardize=lower)
    layer.adapt(np.array(["AB cd", "Cd"]))
    assert seen and all(t is np.ndarray for t in seen)
    assert set(layer.get_vocabulary()) == {"", "[UNK]", "ab", "cd"}


def test_dict_inputs_and_split_dataset():
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(10, 2)).astype("float32"), rng.normal(size=(10, 3)).astype("float32")
    y = rng.normal(size=(10, 1)).astype("float32")
    a, b = keras.Input((2,), name="a"), keras.Input((3,), name="b")
    model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
    model.compile("sgd", "mse")
    history = model.fit({"a": xa, "b": xb}, y, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    (left_x, left_y), (right_x, right_y) = keras.utils.split_dataset((xa, y), left_size=0.8)
    assert left_x.shape == (8, 2) and right_x.shape == (2, 2)
    np.testing.assert_array_equal(right_y, y[8:])
