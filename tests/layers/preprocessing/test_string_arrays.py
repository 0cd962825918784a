"""The hashed grouping of string arrays behind the lookup and hashing layers: same answers as
`np.unique` / a dict, whatever the widths, with hash collisions falling back correctly."""

import numpy as np

import minikeras as keras
from minikeras.core import string_index
from minikeras.kernels import hash_table
from minikeras.layers.preprocessing import string_arrays


def _strings(n, vocab=300, seed=0):
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" * (1 + i % 3) for i in range(vocab)] + ["é", "日本", ""])
    return words[rng.integers(0, len(words), n)]


def test_row_hash_ignores_the_array_width():
    a = np.array(["ab", "c", ""])
    wide = a.astype("<U9")
    np.testing.assert_array_equal(string_index.row_hash(a), string_index.row_hash(wide))
    assert string_index.row_hash(np.array(["ab"]))[0] != string_index.row_hash(np.array(["ba"]))[0]


def test_unique_inverse_maps_back_to_the_input():
    flat = _strings(5000)
    uniques, inverse = string_arrays.unique_inverse(flat)
    np.testing.assert_array_equal(uniques[inverse], flat)
    assert sorted(uniques.tolist()) == np.unique(flat).tolist()


def test_collisions_fall_back_to_exact_answers(monkeypatch):
    flat = _strings(5000)
    monkeypatch.setattr(hash_table, "row_hash", lambda units: np.zeros(len(units), np.uint64))
    uniques, inverse = string_arrays.unique_inverse(flat)
    np.testing.assert_array_equal(uniques[inverse], flat)
    table = string_arrays.StringTable({"a": 1, "b": 2})
    assert not table.usable  # the layer then looks up through np.unique and the dict
    layer = keras.layers.StringLookup(vocabulary=["w1", "w2w2"])
    expected = [{"w1": 1, "w2w2": 2}.get(s, 0) for s in flat.tolist()]  # 0: OOV
    np.testing.assert_array_equal(layer(flat).numpy(), expected)


def test_string_table_lookup_matches_a_dict():
    flat = _strings(4000, seed=1)
    vocab = sorted(set(flat.tolist()))[::2]
    table = {w: i + 7 for i, w in enumerate(vocab)}
    got = string_arrays.StringTable(table).lookup(flat.astype("<U12"), -1)
    np.testing.assert_array_equal(got, [table.get(s, -1) for s in flat.tolist()])


def test_string_lookup_on_large_inputs_matches_small_ones():
    # the vectorised path (>= 1024 strings) against the per-element path, OOV and mask included
    flat = _strings(3000, seed=2)
    vocab = sorted(set(flat.tolist()) - {"", "é"})[:100]
    layer = keras.layers.StringLookup(vocabulary=vocab, mask_token="", num_oov_indices=2)
    big = layer(flat.reshape(100, 30)).numpy().reshape(-1)
    small = np.concatenate([layer(flat[i : i + 10]).numpy() for i in range(0, 3000, 10)])
    np.testing.assert_array_equal(big, small)
    expected = [0 if s == "" else (vocab.index(s) + 3 if s in vocab else -1) for s in flat]
    known = np.array(expected) >= 0
    np.testing.assert_array_equal(big[known], np.array(expected)[known])
    assert set(big[~known].tolist()) <= {1, 2}


def test_hashing_large_inputs_matches_small_ones():
    flat = _strings(3000, seed=3)
    layer = keras.layers.Hashing(num_bins=64)
    big = layer(flat).numpy().reshape(-1)
    small = np.concatenate(
        [layer(flat[i : i + 10]).numpy().reshape(-1) for i in range(0, 3000, 10)]
    )
    np.testing.assert_array_equal(big, small)


def test_value_counts_matches_a_counter():
    import collections

    for flat in (
        _strings(5000, seed=4),
        np.random.default_rng(5).integers(-50, 50, 5000),
        np.random.default_rng(6).integers(0, 2**40, 3000),
    ):
        values, counts = string_arrays.value_counts(flat)
        assert dict(zip(values.tolist(), counts.tolist())) == collections.Counter(flat.tolist())


def test_adapt_on_large_batches_matches_small_batches():
    flat = _strings(6000, seed=7)
    big = keras.layers.StringLookup()
    big.adapt(flat)
    small = keras.layers.StringLookup()
    small.adapt(iter([flat[i : i + 500] for i in range(0, 6000, 500)]))  # batches < 1024
    assert big.get_vocabulary() == small.get_vocabulary()
    ints = np.random.default_rng(8).integers(0, 40, 6000)
    a, b = keras.layers.IntegerLookup(), keras.layers.IntegerLookup()
    a.adapt(ints)
    b.adapt(iter([ints[i : i + 500] for i in range(0, 6000, 500)]))
    assert a.get_vocabulary() == b.get_vocabulary()


def test_an_empty_vocabulary_is_refused_as_keras():
    # Keras 3.15.1 (TensorFlow backend): ValueError "Cannot set an empty vocabulary."
    import pytest

    for layer in (keras.layers.StringLookup(), keras.layers.IntegerLookup()):
        with pytest.raises(ValueError, match="Cannot set an empty vocabulary"):
            layer.set_vocabulary([])
