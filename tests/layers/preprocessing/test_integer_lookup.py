"""IntegerLookup against Keras 3: docstring examples of keras/layers/preprocessing/
integer_lookup.py (restated) and real Keras 3.15.1 runs (tests/data/keras/lookup_k3.json)."""

import numpy as np
import pytest

import minikeras as keras
from lookup_fixtures import case_id, cases, check_case


@pytest.mark.parametrize("case", cases("IntegerLookup"), ids=case_id)
def test_matches_keras_run(case):
    check_case(case)


def test_docstring_forward_and_inverse_pair():
    vocab = [12, 36, 1138, 42]
    data = np.array([[12, 1138, 42], [42, 1000, 36]])
    layer = keras.layers.IntegerLookup(vocabulary=vocab)
    inverse = keras.layers.IntegerLookup(vocabulary=layer.get_vocabulary(), invert=True)
    assert inverse(layer(data)).numpy().tolist() == [[12, 1138, 42], [42, -1, 36]]


def test_floormod_oov_buckets():
    """Keras's default oov_method: OOV token t goes to slot t % num_oov_indices."""
    layer = keras.layers.IntegerLookup(vocabulary=[7], num_oov_indices=3)
    assert layer(np.array([9, 10, 11, 7])).numpy().tolist() == [0, 1, 2, 3]


def test_rejects_non_integers_and_salt_without_farmhash():
    with pytest.raises(TypeError, match="expects integers"):
        keras.layers.IntegerLookup(vocabulary=[1])(np.array([1.5]))
    with pytest.raises(ValueError, match="oov_method='farmhash'"):
        keras.layers.IntegerLookup(salt=3)


@pytest.mark.parametrize("vocab_span", ["compact", "sparse"])
def test_integer_inputs_are_looked_up_without_a_python_loop(vocab_span):
    """1M integer ids take one vectorised pass (a direct table for a compact vocabulary, a
    binary search for a sparse one): ids as Keras assigns them (mask 0, OOV 1, then the
    vocabulary in order), unknown and out-of-range values OOV, masked values 0."""
    rng = np.random.default_rng(0)
    if vocab_span == "compact":
        vocab = rng.permutation(np.arange(1, 3000))[:2000]
    else:
        vocab = rng.choice(np.arange(1, 10**12, 7919), 2000, replace=False)
    layer = keras.layers.IntegerLookup(vocabulary=vocab.tolist(), mask_token=0)
    x = np.concatenate([rng.choice(vocab, 10**6 - 5), [0, -3, 10**13, 2**40 + 1, vocab[0]]])
    expected_table = {int(v): i + 2 for i, v in enumerate(vocab)}
    expected = np.array([0 if v == 0 else expected_table.get(int(v), 1) for v in x[-2000:]])
    got = np.asarray(layer(x))
    np.testing.assert_array_equal(got[-2000:], expected)
    assert got.shape == x.shape and got.dtype == np.int64
    assert (got[:-5] >= 2).all()
