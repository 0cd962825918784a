"""The pickle-free reader of numpy object arrays, and load_npz.

Streams come from numpy's own writer (np.save) and, for the older protocols other tools
produced, from `pickle.dumps`: the tests write pickles, minikeras never loads them with pickle.
"""

import io
import os
import pickle

import numpy as np
import pytest

from minikeras.datasets._common import load_npz, read_npy
from minikeras.datasets._object_arrays import read_object_array


def npy_bytes(array):
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=True)
    return buf.getvalue()


def ragged(*seqs):
    out = np.empty(len(seqs), dtype=object)
    for i, s in enumerate(seqs):
        out[i] = s
    return out


SEQS = [[1, 2, 3], [], [255, 256, 65535, 65536, -1, -(2**31), 2**31, 2**40, -(2**70)], [7] * 3000]


def test_numpy_written_int_lists():
    got = read_npy(npy_bytes(ragged(*SEQS)))
    assert got.dtype == object and got.shape == (4,)
    assert [list(s) for s in got] == SEQS and all(type(s) is list for s in got)


@pytest.mark.parametrize("protocol", [2, 3, 4])
def test_other_protocols(protocol):
    array = ragged(
        [1, 2],
        [3],
        np.arange(4, dtype=">i4"),
        np.eye(2, dtype="float32"),
        "text",
        b"raw",
        None,
        1.5,
        True,
        (1, "a"),
    )
    got = read_object_array(pickle.dumps(array, protocol=protocol))
    assert got[:2].tolist() == [[1, 2], [3]]
    np.testing.assert_array_equal(got[2], np.arange(4))
    assert got[2].dtype == np.dtype(">i4")
    np.testing.assert_array_equal(got[3], np.eye(2))
    assert got[3].dtype == np.float32
    assert got[4:].tolist() == ["text", b"raw", None, 1.5, True, (1, "a")]


def test_shapes_and_fortran_order():
    array = np.empty((2, 3), dtype=object)
    for i in range(6):
        array.flat[i] = [i] * i
    for a in (array, np.asfortranarray(array)):
        got = read_npy(npy_bytes(a))
        assert got.shape == (2, 3)
        assert [got[i, j] for i in range(2) for j in range(3)] == [[i] * i for i in range(6)]


# A Python 2 era stream (protocol 2, GLOBAL by name, str as SHORT_BINSTRING), written by hand
# for [[1, 300], [70000]]: how IMDB-like files from that time are encoded.
PY2_STREAM = (
    b"\x80\x02cnumpy.core.multiarray\n_reconstruct\nq\x00cnumpy\nndarray\nq\x01K\x00\x85q\x02"
    b"U\x01bq\x03\x87q\x04Rq\x05(K\x01K\x02\x85q\x06cnumpy\ndtype\nq\x07U\x02O8K\x00K\x01\x87q\x08"
    b"Rq\x09(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK?tq\x0ab"
    b"\x89]q\x0b(]q\x0c(K\x01M,\x01e]q\x0dJp\x11\x01\x00aetq\x0eb."
)


def test_python2_stream():
    got = read_object_array(PY2_STREAM)
    assert got.shape == (2,) and got.tolist() == [[1, 300], [70000]]


def test_code_in_a_stream_is_refused_not_run(tmp_path):
    marker = tmp_path / "pwned"
    for module, name in [(b"os", b"system"), (b"builtins", b"eval"), (b"posix", b"system")]:
        payload = f"touch {marker}" if name == b"system" else f"open({str(marker)!r}, 'w')"
        stream = (
            b"\x80\x02c"
            + module
            + b"\n"
            + name
            + b"\nX"
            + len(payload).to_bytes(4, "little")
            + payload.encode()
            + b"\x85R."
        )
        with pytest.raises(ValueError, match="refusing the name"):
            read_object_array(stream)
    assert not os.path.exists(marker)


@pytest.mark.parametrize(
    "stream, message",
    [
        (PY2_STREAM[:-20], "truncated"),
        (b"\x80\x04}.", "unsupported opcode"),  # EMPTY_DICT
        (b"\x80\x04K\x01.", "single array"),
        (PY2_STREAM.replace(b"U\x02O8", b"U\x02U8"), "unsupported dtype"),
        (PY2_STREAM.replace(b"K\x02\x85", b"K\x03\x85"), "needs 3 items"),
        (b"\x80\x04K\x01K\x02R.", "REDUCE"),
    ],
)
def test_malformed_streams(stream, message):
    with pytest.raises(ValueError, match=message):
        read_object_array(stream)


def test_load_npz_mixes_numeric_and_object_arrays(tmp_path):
    path = tmp_path / "d.npz"
    labels = np.array([0, 1, 1], dtype="int64")
    np.savez_compressed(path, x=ragged([1], [2, 3], [4, 5, 6]), y=labels)
    got = load_npz(path)
    assert sorted(got) == ["x", "y"]
    np.testing.assert_array_equal(got["y"], labels)
    assert got["y"].dtype == np.int64
    assert got["x"].tolist() == [[1], [2, 3], [4, 5, 6]]


def test_header_shape_must_match_data():
    data = npy_bytes(ragged([1], [2]))
    bad = data.replace(b"(2,)", b"(3,)", 1)
    with pytest.raises(ValueError, match="shape"):
        read_npy(bad)
