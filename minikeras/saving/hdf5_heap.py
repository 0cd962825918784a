"""A check of an HDF5 file's global heap collections, run before libhdf5 reads the file.

Variable-length strings (the `model_config`, `keras_version` and name-list attributes of Keras
files) live in *global heap collections*: a block starting `GCOL`, version 1, three reserved
bytes, the block's size (8 bytes), then objects, each a 16-byte header (index: 2 bytes,
reference count: 2, reserved: 4, size: 8) followed by its data padded to 8 bytes. Index 0 is
the free space, whose size field counts its header too.

libhdf5 (1.x and 2.0, as bundled with h5py 3.16) walks a collection object by object, and
advances by the free-space object's size field alone; a free-space entry of size 0 (a few
zeroed bytes) stalls the walk forever, and the process hangs in the first attribute read, in
Keras too. Walking every collection here the same way first turns that into a ValueError.
Valid files never hold such an entry, nor an object running past its collection's end, which
is refused as well. The file is searched for the signature and version (through `mmap`, about
0.5 s per 500 MB); a block with another version is refused by libhdf5 itself.
"""

import contextlib
import mmap

SIGNATURE = b"GCOL\x01\x00\x00\x00"  # with version 1: a longer needle searches faster
_COLLECTION_HEADER = 16
_OBJECT_HEADER = 16


def _u(buf, at, n):
    return int.from_bytes(buf[at : at + n], "little")


def collection_problem(buf, start):
    """Why the collection at `start` (its signature and version already matched) would stall
    or overrun libhdf5's walk, or None."""
    size = _u(buf, start + 8, 8)
    if size < _COLLECTION_HEADER:
        return None  # libhdf5 refuses a collection smaller than its header
    end = min(start + size, len(buf))
    p = start + _COLLECTION_HEADER
    while p + _OBJECT_HEADER <= end:  # a shorter tail is free space for libhdf5 too
        index, obj_size = _u(buf, p, 2), _u(buf, p + 8, 8)
        step = _OBJECT_HEADER + (obj_size + 7) // 8 * 8 if index else obj_size
        if step == 0:
            return f"its free-space entry at byte {p} has size 0 (libhdf5 would loop forever)"
        if p + step > end:
            return (
                f"object {index} at byte {p} declares {obj_size} bytes, past the collection's "
                f"end at byte {end}"
            )
        p += step
    return None


def check(buf, label):
    """Raises ValueError naming `label` if any global heap collection in `buf` is damaged.

    Args:
        buf: the file's bytes (`bytes`, or an `mmap` of the file).
        label: how the message names the file.
    """
    start = buf.find(SIGNATURE)
    while start != -1:
        problem = collection_problem(buf, start)
        if problem:
            raise ValueError(
                f"Cannot read '{label}': the file is corrupted: the HDF5 global heap (which "
                f"holds its string attributes, such as model_config) at byte {start} is "
                f"damaged: {problem}."
            )
        start = buf.find(SIGNATURE, start + 1)


def check_file(path, label):
    """`check` for the file at `path`, read through `mmap` (nothing is loaded into memory)."""
    with open(path, "rb") as f:
        try:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty, or a file that cannot be mapped: read it
            check(f.read(), label)
            return
        with contextlib.closing(mapped):
            check(mapped, label)
