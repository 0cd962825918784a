"""String hashes that Keras's hashing layers get from TensorFlow, written out in plain Python.

- `fingerprint64(b)`: FarmHash's `Fingerprint64` (the `farmhashna::Hash64` function), which
  `tf.strings.to_hash_bucket_fast` reduces modulo the bucket count (`Hashing`, OOV buckets of
  `StringLookup`).
- `siphash64(b, key)`: SipHash-2-4 with a 128-bit key given as two 64-bit ints, which
  `tf.strings.to_hash_bucket_strong` uses (`Hashing(salt=...)`).
- `fingerprint_cat64(a, b)`: TensorFlow's combination of two fingerprints, which
  `tf.sparse.cross_hashed` folds over the crossed features (`HashedCrossing`).

All work on Python ints kept to 64 bits with `& M64`; the published algorithms are the
reference, and `tests/layers/preprocessing/test_hash_utils.py` holds them to values TensorFlow
computed. `hash_buckets` hashes each distinct string of an array once.
"""

import numpy as np

from .string_arrays import unique_inverse

M64 = (1 << 64) - 1
K0 = 0xC3A5C85C97CB3127
K1 = 0xB492B66FBE98F273
K2 = 0x9AE16A3B2F90404F
K_MUL = 0x9DDFEA08EB382D69  # Hash128to64's multiplier
CAT_MUL = 0xC6A4A7935BD1E995  # FingerprintCat64's multiplier


def _fetch64(b, i):
    return int.from_bytes(b[i : i + 8], "little")


def _fetch32(b, i):
    return int.from_bytes(b[i : i + 4], "little")


def _rot(v, s):
    return v if s == 0 else ((v >> s) | (v << (64 - s))) & M64


def _shift_mix(v):
    return v ^ (v >> 47)


def _hash_len16(u, v, mul=K_MUL):
    a = ((u ^ v) * mul) & M64
    a ^= a >> 47
    b = ((v ^ a) * mul) & M64
    b ^= b >> 47
    return (b * mul) & M64


def _len0to16(b, n):
    if n >= 8:
        mul = K2 + n * 2
        a = (_fetch64(b, 0) + K2) & M64
        c = _fetch64(b, n - 8)
        d = (_rot(c, 37) * mul + a) & M64
        e = ((_rot(a, 25) + c) * mul) & M64
        return _hash_len16(d, e, mul)
    if n >= 4:
        mul = K2 + n * 2
        a = _fetch32(b, 0)
        return _hash_len16((n + (a << 3)) & M64, _fetch32(b, n - 4), mul)
    if n > 0:
        y = b[0] + (b[n >> 1] << 8)
        z = n + (b[n - 1] << 2)
        return (_shift_mix(((y * K2) ^ (z * K0)) & M64) * K2) & M64
    return K2


def _len17to32(b, n):
    mul = K2 + n * 2
    a = (_fetch64(b, 0) * K1) & M64
    c = _fetch64(b, 8)
    d = (_fetch64(b, n - 8) * mul) & M64
    e = (_fetch64(b, n - 16) * K2) & M64
    return _hash_len16(
        (_rot((a + c) & M64, 43) + _rot(d, 30) + e) & M64,
        (a + _rot((c + K2) & M64, 18) + d) & M64,
        mul,
    )


def _len33to64(b, n):
    mul = K2 + n * 2
    a = (_fetch64(b, 0) * K2) & M64
    c = _fetch64(b, 8)
    d = (_fetch64(b, n - 8) * mul) & M64
    e = (_fetch64(b, n - 16) * K2) & M64
    y = (_rot((a + c) & M64, 43) + _rot(d, 30) + e) & M64
    z = _hash_len16(y, (a + _rot((c + K2) & M64, 18) + d) & M64, mul)
    f = (_fetch64(b, 16) * mul) & M64
    g = _fetch64(b, 24)
    h = ((y + _fetch64(b, n - 32)) * mul) & M64
    i = ((z + _fetch64(b, n - 24)) * mul) & M64
    return _hash_len16(
        (_rot((f + g) & M64, 43) + _rot(h, 30) + i) & M64,
        (f + _rot((g + a) & M64, 18) + h) & M64,
        mul,
    )


def _weak32(b, i, a, c):
    """Two 64-bit words from the 32 bytes at `i` and two seeds (WeakHashLen32WithSeeds)."""
    w, x, y, z = (_fetch64(b, i + 8 * k) for k in range(4))
    a = (a + w) & M64
    c = _rot((c + a + z) & M64, 21)
    keep = a
    a = (a + x + y) & M64
    c = (c + _rot(a, 44)) & M64
    return (a + z) & M64, (c + keep) & M64


def fingerprint64(b):
    """FarmHash Fingerprint64 of the bytes `b`, as an unsigned Python int."""
    n = len(b)
    if n <= 16:
        return _len0to16(b, n)
    if n <= 32:
        return _len17to32(b, n)
    if n <= 64:
        return _len33to64(b, n)
    seed = 81
    x = seed
    y = (seed * K1 + 113) & M64
    z = (_shift_mix((y * K2 + 113) & M64) * K2) & M64
    v0 = v1 = w0 = w1 = 0
    x = (x * K2 + _fetch64(b, 0)) & M64
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    s = 0
    while True:  # 64 bytes at a time, leaving 1 to 64 for the tail
        x = (_rot((x + y + v0 + _fetch64(b, s + 8)) & M64, 37) * K1) & M64
        y = (_rot((y + v1 + _fetch64(b, s + 48)) & M64, 42) * K1) & M64
        x ^= w1
        y = (y + v0 + _fetch64(b, s + 40)) & M64
        z = (_rot((z + w0) & M64, 33) * K1) & M64
        v0, v1 = _weak32(b, s, (v1 * K1) & M64, (x + w0) & M64)
        w0, w1 = _weak32(b, s + 32, (z + w1) & M64, (y + _fetch64(b, s + 16)) & M64)
        z, x = x, z
        s += 64
        if s == end:
            break
    mul = K1 + ((z & 0xFF) << 1)
    s = last64
    w0 = (w0 + ((n - 1) & 63)) & M64
    v0 = (v0 + w0) & M64
    w0 = (w0 + v0) & M64
    x = (_rot((x + y + v0 + _fetch64(b, s + 8)) & M64, 37) * mul) & M64
    y = (_rot((y + v1 + _fetch64(b, s + 48)) & M64, 42) * mul) & M64
    x ^= (w1 * 9) & M64
    y = (y + v0 * 9 + _fetch64(b, s + 40)) & M64
    z = (_rot((z + w0) & M64, 33) * mul) & M64
    v0, v1 = _weak32(b, s, (v1 * mul) & M64, (x + w0) & M64)
    w0, w1 = _weak32(b, s + 32, (z + w1) & M64, (y + _fetch64(b, s + 16)) & M64)
    z, x = x, z
    return _hash_len16(
        (_hash_len16(v0, w0, mul) + _shift_mix(y) * K0 + z) & M64,
        (_hash_len16(v1, w1, mul) + x) & M64,
        mul,
    )


def _sip_round(v0, v1, v2, v3):
    v0 = (v0 + v1) & M64
    v1 = _rot(v1, 64 - 13) ^ v0
    v0 = _rot(v0, 64 - 32)
    v2 = (v2 + v3) & M64
    v3 = _rot(v3, 64 - 16) ^ v2
    v0 = (v0 + v3) & M64
    v3 = _rot(v3, 64 - 21) ^ v0
    v2 = (v2 + v1) & M64
    v1 = _rot(v1, 64 - 17) ^ v2
    v2 = _rot(v2, 64 - 32)
    return v0, v1, v2, v3


def siphash64(b, key):
    """SipHash-2-4 of the bytes `b` with `key = (k0, k1)`, as an unsigned Python int."""
    k0, k1 = (int(k) & M64 for k in key)
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    n = len(b)
    tail = n - n % 8
    for i in range(0, tail, 8):
        m = _fetch64(b, i)
        v3 ^= m
        v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
        v0 ^= m
    m = ((n & 0xFF) << 56) | int.from_bytes(b[tail:], "little")
    v3 ^= m
    v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
    v0 ^= m
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def fingerprint_cat64(fp1, fp2):
    """TensorFlow's `FingerprintCat64`: combines two 64-bit fingerprints into one."""
    result = fp1 ^ CAT_MUL
    result ^= (_shift_mix((fp2 * CAT_MUL) & M64) * CAT_MUL) & M64
    result = (result * CAT_MUL) & M64
    result = (_shift_mix(result) * CAT_MUL) & M64
    return _shift_mix(result)


def as_bytes(value, encoding="utf-8"):
    """The bytes TensorFlow hashes for one element: strings encoded, numbers in decimal."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode(encoding)
    return str(int(value)).encode()


def salt_pair(salt, owner, size_words="2"):
    """The `salt` argument as the `[k0, k1]` SipHash key: a pair stays, an int is doubled, None
    stays None; anything else is a ValueError naming `owner` (the layer class)."""
    if salt is None:
        return None
    if isinstance(salt, (tuple, list)) and len(salt) == 2:
        return list(salt)
    if isinstance(salt, int):
        return [salt, salt]
    raise ValueError(
        f"The `salt` argument for `{owner}` can only be a tuple of {size_words} "
        f"integers, or a single integer. Received: salt={salt}."
    )


def hash_buckets(values, num_buckets, salt=None, encoding="utf-8"):
    """`hash(value) % num_buckets` for every element of `values` (int64 array, same shape),
    FarmHash64 without a `salt`, SipHash64 keyed by the 2-int `salt` otherwise."""
    values = np.asarray(values)
    if values.size == 0:
        return np.zeros(values.shape, "int64")
    uniques, inverse = unique_inverse(values.reshape(-1))
    if salt is None:
        hashed = [fingerprint64(as_bytes(u, encoding)) % num_buckets for u in uniques.tolist()]
    else:
        hashed = [siphash64(as_bytes(u, encoding), salt) % num_buckets for u in uniques.tolist()]
    return np.asarray(hashed, "int64")[inverse].reshape(values.shape)
