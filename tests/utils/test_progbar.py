"""keras.utils.Progbar: Keras 3's text format, averages and final values.

Expected lines were printed by Keras 3.15.1 (torch) for the same calls (escape codes and timings
aside: Keras always writes a coloured `\\r` line on Linux; minikeras does so on a terminal and
writes plain lines elsewhere)."""

import re

import pytest

import minikeras as keras
from minikeras.utils import progbar as progbar_module


@pytest.fixture(autouse=True)
def _plain_stream(monkeypatch):
    """Plain lines, as on a pipe: another test in the suite may have imported ipykernel (the
    notebook tests), which makes the bar redraw one line as in a notebook."""
    monkeypatch.setattr(progbar_module, "_dynamic", lambda: False)


def _plain(text):
    text = re.sub(r"\x1b\[\d+m", "", text).replace("\b", "")
    return re.sub(r"\d+(us|ms|s)/step", "T/step", text)


def test_verbose_1_lines_averages_and_final_value(capsys):
    """Keras: update(1, loss 1.0), update(3, loss 0.5), update(4, loss 0.25) prints
    1/4 ... loss: 1.0000, 3/4 ... loss: 0.6667 (0.5 weighted by the 2 steps it covers), and the
    last update shows its own value, 4/4 ... loss: 0.2500."""
    bar = keras.utils.Progbar(4, interval=0)
    bar.update(1, values=[("loss", 1.0)])
    bar.update(3, values=[("loss", 0.5)])
    bar.update(4, values=[("loss", 0.25)])
    lines = _plain(capsys.readouterr().out).splitlines()
    assert lines == [
        "1/4 ━━━━━─────────────── 0s T/step - loss: 1.0000",
        "3/4 ━━━━━━━━━━━━━━━───── 0s T/step - loss: 0.6667",
        "4/4 ━━━━━━━━━━━━━━━━━━━━ 0s T/step - loss: 0.2500",
    ]


def test_verbose_1_on_a_terminal_redraws_one_coloured_line(capsys, monkeypatch):
    """Keras's dynamic display: `\\r`, bold step count, green done / grey to-do bar, bold time,
    a newline only after the final update."""
    monkeypatch.setattr(progbar_module, "_dynamic", lambda: True)
    bar = keras.utils.Progbar(4, interval=0)
    bar.update(1, values=[("loss", 1.0)])
    bar.update(4, values=[("loss", 0.25)])
    out = capsys.readouterr().out
    assert out.startswith("\r\x1b[1m1/4\x1b[0m \x1b[32m━━━━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━━\x1b[0m")
    assert out.count("\r") == 2 and out.endswith("loss: 0.2500\n") and out.count("\n") == 1
    assert _plain(out).split("\r")[-1] == "4/4 ━━━━━━━━━━━━━━━━━━━━ 0s T/step - loss: 0.2500\n"


def test_verbose_2_add_stateful_metrics_and_unknown_target(capsys):
    """Keras: verbose=2 prints one line at the target; add(n) advances; a value under 1e-3 is
    shown as 1.0000e-05; stateful metrics are shown as given (acc 0.7) while loss averages to
    (1*2 + 0.5)/3 = 0.8333; an unknown target prints `      2/Unknown`."""
    bar = keras.utils.Progbar(4, verbose=2)
    bar.update(2, values=[("loss", 1.0), ("acc", 0.5)])
    assert capsys.readouterr().out == ""
    bar.add(2, values=[("loss", 0.5), ("acc", 1e-5)])
    assert _plain(capsys.readouterr().out) == "4/4 - 0s - T/step - loss: 0.5000 - acc: 1.0000e-05\n"
    bar = keras.utils.Progbar(4, verbose=2, stateful_metrics=["acc"])
    bar.update(2, values=[("loss", 1.0), ("acc", 0.5)])
    bar.update(3, values=[("loss", 0.5), ("acc", 0.7)])
    bar.update(4, finalize=True)
    assert _plain(capsys.readouterr().out) == "4/4 - 0s - T/step - loss: 0.8333 - acc: 0.7000\n"
    bar = keras.utils.Progbar(None, interval=0)
    bar.update(2, values=[("loss", 1e-5)])
    assert _plain(capsys.readouterr().out) == "      2/Unknown 0s T/step - loss: 1.0000e-05\n"


def test_both_metric_lists_raise_and_logging_mode(capsys, caplog):
    """Keras raises ValueError when both stateful_metrics and stateless_metrics are given; with
    interactive logging off the line goes to logging (Keras: absl), not stdout."""
    import logging

    with pytest.raises(ValueError, match="stateful_metrics"):
        keras.utils.Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])
    keras.utils.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO, logger="minikeras"):
            keras.utils.Progbar(1, verbose=2).update(1, values=[("loss", 2.0)])
    finally:
        keras.utils.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    assert "loss: 2.0000" in caplog.text
