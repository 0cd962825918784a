"""TensorBoard event files without TensorFlow: TFRecord framing around `Event` protobufs.

A record is `length` (uint64 little-endian), `masked_crc32c(length)` (uint32), the data, then
`masked_crc32c(data)`. The data is a serialized `tensorflow.Event`; only the fields TensorBoard
needs for scalars and histograms are written (field numbers from TensorFlow's `event.proto`,
`summary.proto` and `histogram.proto`):

    Event:          wall_time 1 (double), step 2 (int64), file_version 3 (string), summary 5
    Summary:        value 1 (repeated Value)
    Summary.Value:  tag 1 (string), simple_value 2 (float), histo 5 (HistogramProto)
    HistogramProto: min 1, max 2, num 3, sum 4, sum_squares 5 (double),
                    bucket_limit 6, bucket 7 (packed repeated double)
"""

import os
import socket
import struct
import time

import numpy as np

# -- CRC32C (Castagnoli), as TFRecord uses -----------------------------------------------------


def _crc_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1  # reflected polynomial 0x1EDC6F41
        table.append(c)
    return table


_TABLE = _crc_table()


def crc32c(data):
    """CRC-32C of `data` (bytes). `crc32c(b"123456789") == 0xE3069283`."""
    crc = 0xFFFFFFFF
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    """TFRecord's masked CRC: rotate right by 15 bits and add a constant (mod 2**32)."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def frame_record(data):
    """One TFRecord: length, masked CRC of the length, data, masked CRC of the data."""
    length = struct.pack("<Q", len(data))
    return (
        length
        + struct.pack("<I", masked_crc32c(length))
        + data
        + struct.pack("<I", masked_crc32c(data))
    )


# -- protobuf wire format ------------------------------------------------------------------------


def _varint(n):
    n &= (1 << 64) - 1  # negative int64 values take ten bytes, as protobuf encodes them
    out = bytearray()
    while True:
        bits = n & 0x7F
        n >>= 7
        if n:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _key(field, wire_type):
    return _varint((field << 3) | wire_type)


def _double(field, value):
    return _key(field, 1) + struct.pack("<d", float(value))


def _float(field, value):
    return _key(field, 5) + struct.pack("<f", float(value))


def _int(field, value):
    return _key(field, 0) + _varint(int(value))


def _bytes(field, value):
    value = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return _key(field, 2) + _varint(len(value)) + value


def _packed_doubles(field, values):
    return _bytes(field, struct.pack(f"<{len(values)}d", *values))


def histogram_proto(values, buckets=30):
    """A serialized `HistogramProto` of `values` with `buckets` equal-width buckets (the bucket
    count of `tf.summary.histogram`); `bucket_limit` holds each bucket's right edge."""
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0:
        return _double(3, 0)
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:  # one bucket around a constant, as TensorBoard draws it
        counts, edges = np.array([x.size], np.float64), np.array([lo - 0.5, hi + 0.5])
    else:
        counts, edges = np.histogram(x, bins=buckets, range=(lo, hi))
    return (
        _double(1, lo)
        + _double(2, hi)
        + _double(3, x.size)
        + _double(4, x.sum())
        + _double(5, np.square(x).sum())
        + _packed_doubles(6, edges[1:].tolist())
        + _packed_doubles(7, np.asarray(counts, np.float64).tolist())
    )


def scalar_value(tag, value):
    """A serialized `Summary.Value` holding a scalar as `simple_value`."""
    return _bytes(1, tag) + _float(2, value)


def histogram_value(tag, values):
    """A serialized `Summary.Value` holding a histogram of `values`."""
    return _bytes(1, tag) + _bytes(5, histogram_proto(values))


def event(step, values=(), wall_time=None, file_version=None):
    """A serialized `Event` at `step` whose summary holds the serialized `values`."""
    out = _double(1, time.time() if wall_time is None else wall_time) + _int(2, step)
    if file_version is not None:
        out += _bytes(3, file_version)
    if values:
        out += _bytes(5, b"".join(_bytes(1, v) for v in values))
    return out


class EventFileWriter:
    """Appends events to `<logdir>/events.out.tfevents.<time>.<host>.<pid>.<n>.v2`.

    The file (and `logdir`) is created at the first write; its first record is the
    `brain.Event:2` file-version event, as TensorFlow's writer starts its files.
    """

    _count = 0

    def __init__(self, logdir):
        self.logdir = logdir
        self.path = None
        self._file = None

    def _open(self):
        os.makedirs(self.logdir, exist_ok=True)
        EventFileWriter._count += 1
        name = (
            f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}."
            f"{os.getpid()}.{EventFileWriter._count}.v2"
        )
        self.path = os.path.join(self.logdir, name)
        self._file = open(self.path, "wb")  # noqa: SIM115 (kept open between writes)
        self._file.write(frame_record(event(0, file_version="brain.Event:2")))

    def write(self, step, values):
        """Writes one event at `step` holding the serialized summary `values`."""
        if self._file is None:
            self._open()
        self._file.write(frame_record(event(step, values)))

    def scalar(self, tag, value, step):
        self.write(step, [scalar_value(tag, value)])

    def histogram(self, tag, values, step):
        self.write(step, [histogram_value(tag, values)])

    def flush(self):
        if self._file is not None:
            self._file.flush()

    def close(self):
        """Closes the file; a later write starts a new one."""
        if self._file is not None:
            self._file.close()
            self._file = None
