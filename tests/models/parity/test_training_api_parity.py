"""minikeras's training API against Keras 3.15.1 (torch backend), scenario by scenario: each
`s_<name>` of `api_scenarios.py` / `callback_scenarios.py` runs here on minikeras and its data
(History contents and keys, weights after SGD, evaluate/predict outputs, hook sequences with
their logs, callback files, `keras.utils` results, exception types) must equal what
`make_fixtures.py` recorded from Keras in `api_k3.json` (floats to float32 precision)."""

import json
import pathlib
import warnings

import api_scenarios
import callback_scenarios
import extra_scenarios
import more_scenarios
import numpy as np
import pytest

import minikeras as keras

HERE = pathlib.Path(__file__).resolve().parent
CASES = json.loads((HERE / "api_k3.json").read_text())["cases"]
FNS = {
    name[2:]: getattr(mod, name)
    for mod in (api_scenarios, callback_scenarios, extra_scenarios, more_scenarios)
    for name in dir(mod)
    if name.startswith("s_")
}


def compare(got, want, path="", out=None):
    """Lists the differences between `got` and `want` (JSON data) as `path: got != want`."""
    out = [] if out is None else out
    if isinstance(want, dict):
        if not isinstance(got, dict) or sorted(got) != sorted(want):
            keys = sorted(got) if isinstance(got, dict) else type(got).__name__
            out.append(f"{path}: keys {keys} != {sorted(want)}")
        else:
            for k in want:
                compare(got[k], want[k], f"{path}/{k}", out)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            out.append(f"{path}: {str(got)[:200]} != {str(want)[:200]}")
        else:
            for i, (g, w) in enumerate(zip(got, want)):
                compare(g, w, f"{path}[{i}]", out)
    elif isinstance(want, float) and not isinstance(got, bool) and isinstance(got, (int, float)):
        if not np.isclose(got, want, rtol=2e-5, atol=2e-6, equal_nan=True):
            out.append(f"{path}: {got!r} != {want!r}")
    elif type(got) is not type(want) or got != want:
        out.append(f"{path}: {got!r} != {want!r}")
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_scenario(name, tmp_path):
    want = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both libraries warn (unused outputs, shuffled generators)
        try:
            got = {"ok": json.loads(json.dumps(FNS[name](keras, str(tmp_path))))}
        except Exception as e:  # noqa: BLE001
            got = {"raised": type(e).__name__, "message": str(e)}
    if "raised" in want:
        assert got.get("raised") == want["raised"], (got, want["message"])
        return
    assert "ok" in got, got
    diffs = compare(got["ok"], want["ok"])
    assert not diffs, "\n".join(diffs[:40])
