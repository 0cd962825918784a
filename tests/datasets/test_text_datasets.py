"""imdb and reuters: Keras's word-id rules on tiny generated datasets (hand-computed results)."""

import io
import json

import numpy as np
import pytest

from minikeras.datasets import imdb, reuters


def ragged(*seqs):
    out = np.empty(len(seqs), dtype=object)
    for i, s in enumerate(seqs):
        out[i] = list(s)
    return out


def npz_bytes(**arrays):
    # numpy writes object arrays with its pickler; minikeras reads them back without pickle
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


@pytest.fixture
def one_each(publish):
    """One train review [1, 2, 3, 4, 5] (positive), one test review [2, 9] (negative)."""
    publish(
        imdb,
        "imdb.npz",
        npz_bytes(
            x_train=ragged([1, 2, 3, 4, 5]),
            y_train=np.array([1]),
            x_test=ragged([2, 9]),
            y_test=np.array([0]),
        ),
    )


def lists(x):
    return [list(s) for s in x]


def test_imdb_num_words_skip_top_index_from(one_each):
    # ids + 3 -> train [1, 4, 5, 6, 7, 8], test [1, 5, 12]; kept if 2 <= id < 7, else 2 (oov),
    # including the start char 1 (below skip_top) as in Keras
    (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=7, skip_top=2)
    assert lists(x_train) == [[2, 4, 5, 6, 2, 2]] and lists(x_test) == [[2, 5, 2]]
    assert y_train.tolist() == [1] and y_test.tolist() == [0]
    assert x_train.dtype == object and x_train.shape == (1,)


def test_imdb_defaults_keep_all_but_the_largest_id(one_each):
    # without num_words the bound is the largest id (12), which Keras itself excludes
    (x_train, _), (x_test, _) = imdb.load_data()
    assert lists(x_train) == [[1, 4, 5, 6, 7, 8]] and lists(x_test) == [[1, 5, 2]]


def test_imdb_oov_none_start_none_index_from_zero(one_each):
    (x_train, _), (x_test, _) = imdb.load_data(
        num_words=5, oov_char=None, start_char=None, index_from=0
    )
    assert lists(x_train) == [[1, 2, 3, 4]] and lists(x_test) == [[2]]


def test_imdb_maxlen_drops_long_reviews(publish):
    publish(
        imdb,
        "imdb.npz",
        npz_bytes(
            x_train=ragged([5], [5, 6, 7], [6, 6]),
            y_train=np.array([0, 1, 0]),
            x_test=ragged([7], [8, 8, 8, 8]),
            y_test=np.array([1, 0]),
        ),
    )
    # with the start char, lengths are 2, 4, 3 and 2, 5: maxlen=4 keeps lengths < 4
    (x_train, y_train), (x_test, y_test) = imdb.load_data(maxlen=4, num_words=100)
    assert sorted(lists(x_train)) == [[1, 8], [1, 9, 9]] and len(y_train) == 2
    assert lists(x_test) == [[1, 10]] and y_test.tolist() == [1]
    with pytest.raises(ValueError, match="maxlen"):
        imdb.load_data(maxlen=2)


def test_imdb_shuffle_follows_randomstate(publish):
    train = [[i] * (i + 1) for i in range(6)]  # distinct lengths identify the samples
    test = [[10 + i] for i in range(4)]
    publish(
        imdb,
        "imdb.npz",
        npz_bytes(
            x_train=ragged(*train), y_train=np.arange(6), x_test=ragged(*test), y_test=np.arange(4)
        ),
    )
    (x_train, y_train), (x_test, y_test) = imdb.load_data(seed=7, num_words=1000)
    rng = np.random.RandomState(7)  # one generator shuffles train, then test
    train_order, test_order = np.arange(6), np.arange(4)
    rng.shuffle(train_order)
    rng.shuffle(test_order)
    assert y_train.tolist() == train_order.tolist() and y_test.tolist() == test_order.tolist()
    assert [len(s) for s in x_train] == [i + 2 for i in train_order]
    assert [s[1] for s in x_test] == [13 + i for i in test_order]
    # equal-length sequences stay a 1-D object array of lists
    assert x_test.shape == (4,) and isinstance(x_test[0], list)


def test_imdb_word_index(server, publish):
    index = {"the": 1, "and": 2, "film": 19}
    publish(imdb, "imdb_word_index.json", json.dumps(index).encode(), attr="WORD_INDEX_HASH")
    assert imdb.get_word_index() == index


def test_reuters_split_and_labels(publish):
    xs = ragged(*[[i + 1] * (i + 1) for i in range(10)])
    publish(reuters, "reuters.npz", npz_bytes(x=xs, y=np.arange(10) % 46))
    (x_train, y_train), (x_test, y_test) = reuters.load_data(test_split=0.3, seed=3, num_words=100)
    order = np.arange(10)
    np.random.RandomState(3).shuffle(order)
    assert y_train.tolist() == order[:7].tolist() and y_test.tolist() == order[7:].tolist()
    assert lists(x_train)[0] == [1] + [order[0] + 4] * (order[0] + 1)
    assert x_train.shape == (7,) and x_test.dtype == object
    (x_train, y_train), _ = reuters.load_data(
        test_split=0.3, seed=3, maxlen=4, skip_top=5, num_words=100
    )
    # lengths with the start char are i + 2: maxlen=4 keeps samples 0 and 1 (ids 4 and 5)
    kept = [i for i in order if i + 2 < 4]
    assert y_train.tolist() == kept[: int(len(kept) * 0.7)]
    # skip_top=5: the start char 1 and id 4 become 2, id 5 stays
    assert lists(x_train) == [[2] + [2 if i + 4 < 5 else i + 4] * (i + 1) for i in y_train]


def test_reuters_word_index_and_label_names(publish):
    publish(reuters, "reuters_word_index.json", b'{"said": 3}', attr="WORD_INDEX_HASH")
    assert reuters.get_word_index() == {"said": 3}
    names = reuters.get_label_names()
    assert len(names) == 46 and names[:4] == ("cocoa", "grain", "veg-oil", "earn")
    assert names[-1] == "lead"
