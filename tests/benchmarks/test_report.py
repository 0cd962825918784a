"""The benchmark harness's report code: medians across reps, ratios and the markdown tables.

Fed hand-made run records (no timing is measured here); expected values are worked out by hand.
"""

import importlib.util
import os

import pytest

RUN_PY = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "run.py")


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("benchmarks_run", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def record(framework, train_ms, predict_ms, ttfs, rep=0, workload="mlp", cold=False, **extra):
    def stats(median):
        return {
            "n": 10,
            "median_ms": median,
            "min_ms": median - 1,
            "max_ms": median + 2,
            "cpu_ms": 0.9 * median,
        }

    r = {
        "framework": framework,
        "workload": workload,
        "threads": 1,
        "status": "ok",
        "rep": rep,
        "cold_cache": cold,
        "time_to_first_step_s": ttfs,
        "peak_rss_mb": 100.0,
        "foreign_load": 0.1 * (rep + 1),
        "params": 669706,
    }
    if not cold:
        r.update(train=stats(train_ms), predict=stats(predict_ms))
    r.update(extra)
    return r


def sample_runs():
    return [
        record("minikeras", 10.0, 2.0, 1.5, rep=0),
        record("minikeras", 14.0, 3.0, 1.7, rep=1),
        record("minikeras", 12.0, 4.0, 1.6, rep=2),
        record("minikeras", None, None, 4.0, cold=True),
        record("torch", 8.0, 1.0, 2.0),
        record("keras-torch", 16.0, 5.0, 3.0),
        record("keras-jax", 6.0, 2.5, 2.5),
    ]


def test_summary_takes_median_and_spread_of_rep_medians(run):
    cells = {c["framework"]: c for c in run.summarize(sample_runs())}
    mk = cells["minikeras"]
    assert (mk["reps"], mk["ok"]) == (3, 3)
    assert mk["train"]["median"] == 12.0  # median of the rep medians 10, 14, 12
    assert (mk["train"]["min"], mk["train"]["max"]) == (10.0, 14.0)
    assert (mk["train"]["step_min"], mk["train"]["step_max"]) == (9.0, 16.0)  # 10 - 1, 14 + 2
    assert mk["train"]["steps"] == 30
    assert mk["train"]["cpu_ms"] == pytest.approx(10.8)
    assert mk["predict"]["median"] == 3.0
    assert mk["time_to_first_step_s"]["median"] == 1.6
    assert mk["foreign_load_max"] == pytest.approx(0.3)
    cold = cells["minikeras (cold cache)"]
    assert cold["time_to_first_step_s"]["median"] == 4.0 and "train" not in cold


def test_ratios_against_fastest_anchor_and_keras_torch(run):
    (row,) = run.ratios(run.summarize(sample_runs()))
    train, predict, first = row["train"], row["predict"], row["first_step"]
    assert (train["fastest_anchor"], train["fastest"]) == ("keras-jax", 6.0)
    assert train["vs_fastest"] == pytest.approx(12.0 / 6.0)
    assert train["vs_keras_torch"] == pytest.approx(12.0 / 16.0)
    assert (predict["fastest_anchor"], predict["vs_fastest"]) == ("torch", pytest.approx(3.0))
    assert predict["vs_keras_torch"] == pytest.approx(3.0 / 5.0)
    assert (first["fastest_anchor"], first["vs_fastest"]) == ("torch", pytest.approx(0.8))


def test_failed_cell_keeps_its_error_and_gives_no_ratio(run):
    runs = [
        {
            "framework": "minikeras",
            "workload": "lstm",
            "threads": 1,
            "status": "error",
            "phase": "build",
            "error": "AttributeError: no LSTM",
            "foreign_load": 0.0,
        },
        record("torch", 50.0, 10.0, 2.0, workload="lstm"),
    ]
    cells = run.summarize(runs)
    mk = next(c for c in cells if c["framework"] == "minikeras")
    assert (mk["ok"], mk["errors"]) == (0, ["[build] AttributeError: no LSTM"])
    (row,) = run.ratios(cells)
    assert row["train"]["vs_fastest"] is None and row["train"]["fastest_anchor"] == "torch"
    doc = {"started": "now", "meta": {}, "summary": cells, "ratios": [row], "batches": {}}
    text = run.render(doc)
    assert "| minikeras | 0/1 | — |" in text
    assert "minikeras failed: `[build] AttributeError: no LSTM`" in text


def test_markdown_rows(run):
    cells = run.summarize(sample_runs())
    doc = {
        "started": "now",
        "meta": {"command": "x"},
        "summary": cells,
        "ratios": run.ratios(cells),
        "batches": {"mlp": 128},
    }
    text = run.render(doc)
    assert "## mlp (batch 128), 1 thread(s)" in text
    assert (
        "| mlp | 1 | 12.00 | keras-jax 6.00 | 2.00× | 0.75× | 3.00 | torch 1.00 | 3.00× |" in text
    )
    # CPU ms/step: median of the reps' 9.0, 12.6 and 10.8
    assert (
        "| minikeras | 3/3 | 12.00 (10.00–14.00) | 9.00–16.00 | 10.80 | 3.00 (2.00–4.00) |" in text
    )
    # minikeras rows first, then the anchors in FRAMEWORKS order
    order = [line.split("|")[1].strip() for line in text.splitlines() if "| 1/1 |" in line]
    assert order == ["minikeras (cold cache)", "torch", "keras-torch", "keras-jax"]


def test_formatting_helpers(run):
    assert run.fmt(None) == "—"
    assert run.fmt(1.234, suffix="×") == "1.23×"
    assert run.fmt(512.6, 0) == "513"
    assert run.fmt_spread({"median": 2.0, "min": 1.0, "max": 3.5}) == "2.00 (1.00–3.50)"
    assert run.fmt_spread(None) == "—"
    assert run.schedule(["a", "b", "c"], 1) == ["b", "c", "a"]
    assert run.schedule(["a", "b", "c"], 3) == ["a", "b", "c"]
