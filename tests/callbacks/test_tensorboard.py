"""TensorBoard event files (written through tensorboardX): read back with a decoder written here
(TFRecord framing, CRC-32C computed bit by bit, protobuf wire format) and, when TensorFlow is
importable, with `tf.compat.v1.train.summary_iterator`. Tags, directories and steps follow Keras 3's
`keras/src/callbacks/tensorboard.py` (epoch_<metric> at step epoch in train/ and validation/,
batch_<metric> at the global batch, <weight path>/histogram, evaluation_<m>_vs_iterations)."""

import glob
import os
import struct

import numpy as np
import pytest

import minikeras as keras


def _crc32c_bitwise(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def _masked(data):
    crc = _crc32c_bitwise(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _records(path):
    data = open(path, "rb").read()
    pos, out = 0, []
    while pos < len(data):
        header = data[pos : pos + 8]
        (length,) = struct.unpack("<Q", header)
        assert struct.unpack("<I", data[pos + 8 : pos + 12])[0] == _masked(header)
        body = data[pos + 12 : pos + 12 + length]
        assert struct.unpack("<I", data[pos + 12 + length : pos + 16 + length])[0] == _masked(body)
        out.append(body)
        pos += 16 + length
    return out


def _fields(buf):
    """Protobuf wire format -> list of (field number, value): varints as ints, fixed64 and
    fixed32 as raw 8/4 bytes, length-delimited as bytes."""
    pos, out = 0, []

    def varint():
        nonlocal pos
        shift = result = 0
        while True:
            b = buf[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    while pos < len(buf):
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            out.append((field, varint()))
        elif wire == 1:
            out.append((field, buf[pos : pos + 8]))
            pos += 8
        elif wire == 5:
            out.append((field, buf[pos : pos + 4]))
            pos += 4
        elif wire == 2:
            n = varint()
            out.append((field, buf[pos : pos + n]))
            pos += n
        else:
            raise AssertionError(f"unexpected wire type {wire}")
    return out


def _events(path):
    """[(step, file_version, [(tag, kind, value)])] of an event file."""
    out = []
    for body in _records(path):
        step, version, values = 0, None, []
        for field, v in _fields(body):
            if field == 2:
                step = v
            elif field == 3:
                version = v.decode()
            elif field == 5:
                for _, value in _fields(v):
                    f = dict(_fields(value))
                    tag = f[1].decode()
                    if 2 in f:
                        values.append((tag, "scalar", struct.unpack("<f", f[2])[0]))
                    else:
                        histo = _fields(f[5])
                        doubles = {k: struct.unpack("<d", x)[0] for k, x in histo if k <= 5}
                        counts = [x for k, x in histo if k == 7][0]
                        counts = struct.unpack(f"<{len(counts) // 8}d", counts)
                        limits = [x for k, x in histo if k == 6][0]
                        limits = struct.unpack(f"<{len(limits) // 8}d", limits)
                        values.append((tag, "histo", (doubles, counts, limits)))
        out.append((step, version, values))
    return out


def _scalars(log_dir, sub):
    (path,) = glob.glob(os.path.join(log_dir, sub, "events.out.tfevents.*"))
    events = _events(path)
    assert events[0][1] == "brain.Event:2"
    return [
        (step, tag, v)
        for step, _, values in events[1:]
        for tag, kind, v in values
        if kind == "scalar"
    ]


def _fit(log_dir, epochs=2, **kwargs):
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(3, name="hidden"), keras.layers.Dense(1, name="out")]
    )
    model.compile(keras.optimizers.SGD(0.05), "mse", metrics=["mae"])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 2)).astype("float32")
    y = rng.standard_normal((8, 1)).astype("float32")
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=2,
        validation_data=(x[:4], y[:4]),
        shuffle=False,
        verbose=0,
        callbacks=[keras.callbacks.TensorBoard(log_dir, **kwargs)],
    )
    return model, history.history


def test_epoch_scalars_in_train_and_validation(tmp_path):
    log_dir = str(tmp_path / "logs")
    _, hist = _fit(log_dir)
    train = _scalars(log_dir, "train")
    assert [(s, t) for s, t, _ in train] == [
        (0, "epoch_loss"),
        (0, "epoch_mae"),
        (0, "epoch_learning_rate"),
        (1, "epoch_loss"),
        (1, "epoch_mae"),
        (1, "epoch_learning_rate"),
    ]
    got = {(s, t): v for s, t, v in train}
    for epoch in (0, 1):
        assert got[epoch, "epoch_loss"] == pytest.approx(hist["loss"][epoch], rel=1e-6)
        assert got[epoch, "epoch_learning_rate"] == pytest.approx(0.05)
    val = _scalars(log_dir, "validation")
    got = {(s, t): v for s, t, v in val}
    for epoch in (0, 1):
        assert got[epoch, "epoch_loss"] == pytest.approx(hist["val_loss"][epoch], rel=1e-6)
        assert got[epoch, "epoch_mae"] == pytest.approx(hist["val_mae"][epoch], rel=1e-6)
    # at each evaluation's end, at the optimizer's iteration count (4 batches an epoch)
    assert got[4, "evaluation_loss_vs_iterations"] == pytest.approx(hist["val_loss"][0], rel=1e-6)
    assert got[8, "evaluation_loss_vs_iterations"] == pytest.approx(hist["val_loss"][1], rel=1e-6)


@pytest.mark.parametrize("update_freq,steps", [("batch", list(range(1, 9))), (3, [3, 6])])
def test_batch_scalars(tmp_path, update_freq, steps):
    log_dir = str(tmp_path / "logs")
    _fit(log_dir, update_freq=update_freq)
    train = _scalars(log_dir, "train")
    assert [s for s, t, _ in train if t == "batch_loss"] == steps
    assert [s for s, t, _ in train if t == "batch_mae"] == steps


def test_histograms(tmp_path):
    log_dir = str(tmp_path / "logs")
    model, _ = _fit(log_dir, epochs=3, histogram_freq=2)
    (path,) = glob.glob(os.path.join(log_dir, "train", "events.out.tfevents.*"))
    histos = [
        (step, tag, v)
        for step, _, values in _events(path)
        for tag, kind, v in values
        if kind == "histo"
    ]
    assert [(s, t) for s, t, _ in histos] == [
        (e, f"sequential/{w}/histogram")
        for e in (0, 2)
        for w in ("hidden/kernel", "hidden/bias", "out/kernel", "out/bias")
    ]
    doubles, counts, limits = histos[-4][2]  # the last epoch's hidden kernel: the final weights
    kernel = model.layers[0].kernel.numpy().astype("float64")
    assert doubles[3] == kernel.size and sum(counts) == kernel.size
    assert doubles[1] == pytest.approx(kernel.min()) and doubles[2] == pytest.approx(kernel.max())
    assert doubles[4] == pytest.approx(kernel.sum())
    assert doubles[5] == pytest.approx((kernel**2).sum())
    # bucket i holds the values in (limit[i-1], limit[i]] (TensorFlow's histogram convention)
    assert len(counts) == len(limits) >= 2
    edges = np.concatenate([[-np.inf], limits])
    flat = kernel.ravel()
    expected = [np.sum((flat > lo) & (flat <= hi)) for lo, hi in zip(edges[:-1], edges[1:])]
    assert list(counts) == expected


def test_arguments_without_meaning_here():
    for kwargs in ({"profile_batch": 2}, {"embeddings_freq": 1}, {"write_images": True}):
        with pytest.raises(NotImplementedError, match=list(kwargs)[0]):
            keras.callbacks.TensorBoard(**kwargs)
    with pytest.raises(ValueError, match="update_freq"):
        keras.callbacks.TensorBoard(update_freq="sometimes")
    keras.callbacks.TensorBoard(write_graph=False, embeddings_metadata="meta.tsv")


def test_crc32c_check_value():
    # the reader's CRC-32C against the standard check value (RFC 3720, B.4)
    assert _crc32c_bitwise(b"123456789") == 0xE3069283


def test_missing_writer_library_says_what_to_install(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    with pytest.raises(ImportError, match=r"minikeras\[tensorboard\]"):
        _fit(str(tmp_path / "logs"))
    assert not os.path.exists(tmp_path / "logs" / "train")


def test_tensorflow_reads_the_files(tmp_path):
    """Optional: TensorFlow's own reader (run by hand with /work/tfenv/bin/python)."""
    tf = pytest.importorskip("tensorflow")
    log_dir = str(tmp_path / "logs")
    _, hist = _fit(log_dir, histogram_freq=1)
    (path,) = glob.glob(os.path.join(log_dir, "train", "events.out.tfevents.*"))
    seen = {}
    for event in tf.compat.v1.train.summary_iterator(path):
        for value in event.summary.value:
            seen[event.step, value.tag] = value
    assert seen[1, "epoch_loss"].simple_value == pytest.approx(hist["loss"][1], rel=1e-6)
    assert seen[1, "sequential/hidden/kernel/histogram"].histo.num == 6
