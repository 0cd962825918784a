"""Lists of rows of different lengths (minikeras's stand-in for `tf.ragged.constant`) in the
lookup layers, as keras.io multi_label_classification uses them: adapt counts every row's
tokens, and multi_hot / count / tf_idf encode each row to one vector."""

import numpy as np
import pytest

import minikeras as keras

TERMS = [["cs.LG", "cs.CV"], ["cs.LG"], ["stat.ML", "cs.LG", "cs.AI"]]


def test_adapt_and_multi_hot_on_ragged_rows():
    lookup = keras.layers.StringLookup(output_mode="multi_hot")
    lookup.adapt(TERMS)
    # by frequency (cs.LG 3 times), ties by token descending, after the OOV token
    assert lookup.get_vocabulary() == ["[UNK]", "cs.LG", "stat.ML", "cs.CV", "cs.AI"]
    out = np.asarray(lookup(TERMS + [["nope", "cs.AI"]]))
    np.testing.assert_array_equal(
        out,
        [[0, 1, 0, 1, 0], [0, 1, 0, 0, 0], [0, 1, 1, 0, 1], [1, 0, 0, 0, 1]],
    )


def test_ragged_count_and_tf_idf_match_row_by_row():
    counts = keras.layers.IntegerLookup(output_mode="count", vocabulary=[1, 2, 3])
    rows = [[1, 1, 2], [3]]
    np.testing.assert_array_equal(np.asarray(counts(rows)), [[0, 2, 1, 0], [0, 0, 0, 1]])
    tf_idf = keras.layers.StringLookup(output_mode="tf_idf")
    tf_idf.adapt(TERMS)
    # three documents: idf = log(1 + 3 / (1 + document count))
    idf = dict(zip(tf_idf.get_vocabulary()[1:], np.log(1 + 3 / (1 + np.array([3, 1, 1, 1])))))
    got = np.asarray(tf_idf([["cs.LG", "cs.LG"], ["cs.AI"]]))
    np.testing.assert_allclose(got[0, 1], 2 * idf["cs.LG"], rtol=1e-6)
    np.testing.assert_allclose(got[1, 4], idf["cs.AI"], rtol=1e-6)


def test_ragged_rows_with_int_output_raise():
    lookup = keras.layers.StringLookup(vocabulary=["a", "b"])
    with pytest.raises(ValueError, match="output_mode 'multi_hot'"):
        lookup([["a"], ["a", "b"]])
