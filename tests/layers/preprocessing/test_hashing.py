"""Hashing against Keras 3 (docstring examples and Keras 3.15.1 runs: FarmHash64 and SipHash64
bins, ints, floats, masks, encodings)."""

import pytest

import minikeras as keras
from lookup_fixtures import case_id, cases, check_case


@pytest.mark.parametrize("case", cases("Hashing"), ids=case_id)
def test_matches_keras_run(case):
    check_case(case)


def test_int_mode_needs_an_integer_dtype():
    with pytest.raises(ValueError, match="integer type"):
        keras.layers.Hashing(3, dtype="float32")
