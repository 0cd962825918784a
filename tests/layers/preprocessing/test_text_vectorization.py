"""TextVectorization against Keras 3: docstring examples of keras/layers/preprocessing/
text_vectorization.py (restated) and real Keras 3.15.1 runs (standardization of non-ASCII text
and every ASCII punctuation mark, splits, n-grams, output modes: tests/data/keras/lookup_k3.json)."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from lookup_fixtures import FIXTURES, case_id, cases, check_case

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras")


@pytest.mark.parametrize("case", cases("TextVectorization"), ids=case_id)
def test_matches_keras_run(case):
    check_case(case)


def test_docstring_examples():
    layer = keras.layers.TextVectorization(max_tokens=5000, output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    assert layer([["foo qux bar"], ["qux baz"]]).numpy().tolist() == [[4, 1, 3, 0], [1, 2, 0, 0]]
    layer = keras.layers.TextVectorization(vocabulary=["earth", "wind", "and", "fire"])
    assert layer.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]


def test_callables_get_numpy_strings():
    """On non-TensorFlow backends Keras hands a custom `standardize` a numpy array of str."""
    seen = []

    def standardize(x):
        seen.append(x.dtype.kind)
        return np.char.upper(x)

    layer = keras.layers.TextVectorization(
        standardize=standardize, split=lambda x: [s.split("-") for s in x]
    )
    layer.adapt(["a-b-b"])
    assert layer.get_vocabulary() == ["", "[UNK]", "B", "A"]
    assert layer(["b-a-q"]).numpy().tolist() == [[2, 3, 1]]
    assert set(seen) == {"U"}


def test_adapt_on_a_generator_of_batches():
    layer = keras.layers.TextVectorization()
    layer.adapt(np.array(b) for b in (["a b b"], ["c c c"]))
    assert layer.get_vocabulary() == ["", "[UNK]", "c", "b", "a"]


def test_ragged_and_sparse_raise():
    with pytest.raises(ValueError, match="ragged"):
        keras.layers.TextVectorization(ragged=True)


def test_end_to_end_model_and_keras_archive(tmp_path):
    """text_classification_from_scratch's end-to-end model: string Input -> TextVectorization;
    a .keras file written by Keras (vocabulary in assets/) loads and predicts as Keras did."""
    model = keras.models.load_model(os.path.join(DATA, "text_vectorization_k3.keras"))
    xs = [np.array(v) for v in FIXTURES["model"]["x"]]
    for got, want in zip(model(xs), FIXTURES["model"]["y"]):
        np.testing.assert_allclose(got.numpy(), np.array(want), atol=1e-6)
    model.save(tmp_path / "again.keras")
    again = keras.models.load_model(tmp_path / "again.keras")
    assert again.get_layer("tv").get_vocabulary() == model.get_layer("tv").get_vocabulary()
    np.testing.assert_allclose(again.predict(xs, verbose=0)[0], model(xs)[0].numpy())
    assert json.loads(json.dumps(again.get_layer("tv").get_config()))["vocabulary"] is None
