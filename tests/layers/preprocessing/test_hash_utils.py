"""FarmHash Fingerprint64 and SipHash-2-4 against TensorFlow's values (to_hash_bucket_fast /
_strong with 2**63 - 1 buckets, strings of every length class, in lookup_k3.json)."""

from lookup_fixtures import FIXTURES

from minikeras.layers.preprocessing.hash_utils import fingerprint64, siphash64

BIG = 2**63 - 1


def test_fingerprint64_matches_tensorflow():
    bad = [s for s, v in FIXTURES["farmhash"].items() if fingerprint64(s.encode()) % BIG != v]
    assert not bad and len(FIXTURES["farmhash"]) > 140


def test_siphash64_matches_tensorflow():
    bad = [(k, s) for k, s, v in FIXTURES["siphash"] if siphash64(s.encode(), k) % BIG != v]
    assert not bad
