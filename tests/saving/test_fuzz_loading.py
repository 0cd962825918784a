"""Seeded fuzzing of model/weights loading (the driver is tests/saving/fuzz_loading.py).

The contract is minikeras's (README, "Security"), stricter than Keras 3's observed behaviour:
a mutated file either loads (and predicts / holds the file's weights) or raises a ValueError /
OSError naming the file; never a crash, a hang, a MemoryError or another exception type, and
a failed `load_weights` leaves the weights unchanged. Each run mutates a few hundred files
with a fixed seed, in two worker processes under a 10 s per-file watchdog and a 3 GB
address-space limit. Longer runs: `python -m tests.saving.fuzz_loading --minutes 25`.
"""

import sys

import pytest

from tests.saving import fuzz_loading

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses RLIMIT_AS and select()")


def test_mutated_files_fail_cleanly_or_load():
    counts, findings = fuzz_loading.run(
        cases=240, seed=1234, workers=2, case_seconds=10.0, log=lambda s: None
    )
    assert sum(counts.values()) == 240
    assert counts["clean"] > 0 and counts["ok"] > 0  # both outcomes are exercised
    report = "\n".join(
        f"{f['outcome']}: {f['src']} {f['mutation']}: {f['detail']}" for f in findings
    )
    assert not findings, report
