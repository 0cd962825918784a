"""StringLookup against Keras 3: the docstring examples of keras/layers/preprocessing/
string_lookup.py (restated), and the real Keras 3.15.1 runs in tests/data/keras/lookup_k3.json."""

import numpy as np
import pytest

import minikeras as keras
from lookup_fixtures import case_id, cases, check_case

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]


@pytest.mark.parametrize("case", cases("StringLookup"), ids=case_id)
def test_matches_keras_run(case):
    check_case(case)


def test_docstring_examples():
    """Keras's documented outputs: known vocabulary, adapt order, two OOV buckets."""
    layer = keras.layers.StringLookup(vocabulary=VOCAB)
    assert layer(DATA).numpy().tolist() == [[1, 3, 4], [4, 0, 2]]
    layer = keras.layers.StringLookup()
    layer.adapt(DATA)
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    assert layer(DATA).numpy().tolist() == [[5, 3, 1], [1, 2, 4]]
    layer = keras.layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2)
    assert layer([["a", "c", "d"], ["m", "z", "b"]]).numpy().tolist() == [[2, 4, 5], [0, 1, 3]]
    inv = keras.layers.StringLookup(vocabulary=VOCAB, invert=True)
    assert inv(layer(DATA).numpy() - 1).tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]


def test_input_kinds_give_the_same_ids():
    layer = keras.layers.StringLookup(vocabulary=VOCAB)
    for x in (DATA, np.array(DATA), np.array(DATA, dtype=object), np.char.encode(DATA)):
        out = layer(x)
        assert out.dtype == np.int64 and out.numpy().tolist() == [[1, 3, 4], [4, 0, 2]]


def test_vocabulary_file_and_special_tokens(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("[UNK]\na\nb\n", encoding="utf-8")
    layer = keras.layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", "a", "b"]
    assert layer.get_config()["vocabulary"] is None  # Keras keeps file vocabularies as assets
    assert layer.vocabulary_size() == 3
    assert layer.get_vocabulary(include_special_tokens=False) == ["a", "b"]


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="sparse"):
        keras.layers.StringLookup(output_mode="multi_hot", sparse=True)
    with pytest.raises(ValueError, match="repeated"):
        keras.layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        keras.layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)(["q"])
    with pytest.raises(ValueError, match="Cannot adapt"):
        keras.layers.StringLookup(vocabulary=VOCAB).adapt(["a"])
    with pytest.raises(RuntimeError, match="vocabulary before calling"):
        keras.layers.StringLookup(output_mode="multi_hot")(["a"])


def test_symbolic_string_input_in_models():
    """As the keras.io structured-data examples: a string Input feeding StringLookup."""
    inp = keras.Input(shape=(1,), dtype="string")
    assert inp.dtype == "string"
    out = keras.layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")(inp)
    assert out.shape == (None, 5) and out.dtype == "int64"
    model = keras.Model(inp, keras.layers.Dense(2)(out))
    assert model.predict(np.array([["a"], ["z"]]), verbose=0).shape == (2, 2)
    seq = keras.Sequential(
        [keras.layers.StringLookup(vocabulary=VOCAB), keras.layers.Embedding(5, 2)]
    )
    assert seq(np.array(["a", "q"])).shape == (2, 2)


def test_string_input_traces_through_sequential_and_functional():
    """keras.io memory_efficient_embeddings: a string Input fed to a Sequential starting with
    StringLookup (`num_oov_indices=0`: no placeholder text is in its vocabulary). Shapes and
    dtypes as Keras 3.15.1 (TensorFlow backend) gives them: (None, 4) float32, a functional
    sub-model on a new string Input too, and (None, 5, 3) after TextVectorization."""
    inp = keras.Input(shape=(), dtype="string")
    encoder = keras.Sequential(
        [
            keras.layers.StringLookup(vocabulary=["a", "b"], mask_token=None, num_oov_indices=0),
            keras.layers.Embedding(2, 4),
        ]
    )
    out = encoder(inp)
    assert out.shape == (None, 4) and out.dtype == "float32"
    model = keras.Model(inp, out)
    table = encoder.layers[1].get_weights()[0]
    predicted = model.predict(np.array(["a", "b", "a"]), verbose=0)
    np.testing.assert_allclose(predicted, table[[0, 1, 0]])

    sub_in = keras.Input(shape=(2,), dtype="string")
    ids = keras.layers.StringLookup(vocabulary=["a", "b"])(sub_in)
    sub = keras.Model(sub_in, keras.layers.Embedding(3, 4)(ids))
    outer_in = keras.Input(shape=(2,), dtype="string")
    traced = sub(outer_in)
    assert traced.shape == (None, 2, 4) and traced.dtype == "float32"
    outer = keras.Model(outer_in, traced)
    assert outer.predict(np.array([["a", "z"]]), verbose=0).shape == (1, 2, 4)

    tv = keras.layers.TextVectorization(max_tokens=10, output_sequence_length=5)
    tv.adapt(["a b c", "b c d"])
    seq_out = keras.Sequential([tv, keras.layers.Embedding(10, 3)])(inp)
    assert seq_out.shape == (None, 5, 3)
    text_model = keras.Model(inp, seq_out)
    assert text_model.predict(np.array(["a b", "c d e"]), verbose=0).shape == (2, 5, 3)


@pytest.mark.parametrize("ext", ["keras", "h5"])
def test_save_load_given_vocabulary(tmp_path, ext):
    inp = keras.Input(shape=(3,), dtype="string")
    model = keras.Model(inp, keras.layers.StringLookup(vocabulary=VOCAB, mask_token="")(inp))
    model.save(tmp_path / f"m.{ext}")
    loaded = keras.models.load_model(tmp_path / f"m.{ext}")
    assert loaded(np.array([["a", "", "z"]])).numpy().tolist() == [[2, 0, 1]]


def test_keras_archive_keeps_adapted_vocabulary_and_idf(tmp_path):
    """An adapted vocabulary goes to assets/<path>/vocabulary.txt, idf weights to the weights."""
    inp = keras.Input(shape=(3,), dtype="string")
    layer = keras.layers.StringLookup(output_mode="tf_idf")
    layer.adapt([["x", "y", "y"], ["z", "x", "x"]])
    model = keras.Model(inp, layer(inp))
    x = np.array([["x", "q", "z"]])
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.layers[1].get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy())


def test_a_lookup_without_vocabulary_refuses_to_run():
    """Keras's table is uninitialised until adapt / set_vocabulary, and calling fails; an
    all-OOV answer would hide a vocabulary lost in a legacy .h5 file."""
    for layer, x in (
        (keras.layers.StringLookup(), np.array([["a"]])),
        (keras.layers.IntegerLookup(), np.array([[3]])),
        (keras.layers.TextVectorization(), np.array(["a b"])),
    ):
        with pytest.raises(RuntimeError, match="has no vocabulary"):
            layer(x)
    inp = keras.Input((1,), dtype="string")  # building a model before adapting still works
    lookup = keras.layers.StringLookup()
    model = keras.Model(inp, lookup(inp))
    lookup.adapt(np.array([["a"], ["b"]]))
    assert model.predict(np.array([["b"]]), verbose=0).shape == (1, 1)
