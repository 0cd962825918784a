"""`keras.utils.Progbar`: a progress bar for custom training loops, in Keras's own text format.

`fit`'s progress goes through tqdm (`callbacks/progbar.py`); this class is for scripts that
drive a loop themselves and call `Progbar(target).update(step, values=[("loss", x)])`, and it
prints what Keras 3's Progbar prints: `3/10 ━━━━━━━━━━━━━━━━━━━━ 1s 5ms/step - loss: 0.2000`.
It does not use tqdm, so its lines match Keras's (the width of the bar, the ETA, the averages)
and read the same in a log file. On a terminal or in a notebook, verbose=1 redraws one line
(`\\r`) and colours the bar as Keras does; elsewhere (a pipe, a log file) it writes plain text,
one line per update, without escape codes, the steps to go drawn as `─`. With interactive logging disabled
(`keras.config.disable_interactive_logging()`) the lines go to the `logging` module instead.
"""

import math
import sys
import time

import numpy as np

from ..core.switches import print_msg


def _dynamic():
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _number(avg, small_is_exponent):
    return f" {avg:.4f}" if small_is_exponent > 1e-3 else f" {avg:.4e}"


def _duration(seconds):
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def _per_unit(time_per_unit, unit_name):
    if time_per_unit >= 1 or time_per_unit == 0:
        return f" {time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f" {time_per_unit * 1e3:.0f}ms/{unit_name}"
    return f" {time_per_unit * 1e6:.0f}us/{unit_name}"


class Progbar:
    """Displays a progress bar with running averages of the values passed to `update`.

    Unless named in `stateful_metrics` (shown as given), each value is averaged over the steps
    seen, weighted by how many steps each update covers, as Keras does.

    Args:
        target: the total number of steps, or None if unknown.
        width: the bar's width in characters.
        verbose: 0 silent, 1 a live bar, 2 one line when the target is reached.
        interval: the minimum time between two redraws, in seconds (verbose=1).
        stateful_metrics: names whose values are shown as given, not averaged.
        stateless_metrics: names to average; when given, all others are shown as given. Only
            one of `stateful_metrics` and `stateless_metrics` may be given (ValueError).
        unit_name: what a step is called in the time per step ("step", "sample").

    >>> import minikeras as keras
    >>> bar = keras.utils.Progbar(2, verbose=2)
    >>> bar.update(1, values=[("loss", 0.5)])
    >>> bar.update(2, values=[("loss", 0.25)])  # the last update shows its value, as Keras
    2/2 - 0s - ...s/step - loss: 0.2500
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar takes `stateful_metrics` (names shown as given; the rest averaged) or "
                "`stateless_metrics` (names averaged; the rest shown as given), not both. "
                f"Received: stateful_metrics={stateful_metrics!r}, "
                f"stateless_metrics={stateless_metrics!r}"
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        if stateless_metrics is not None:
            self.stateful_metrics, self.stateless_metrics = None, set(stateless_metrics)
        else:
            self.stateful_metrics, self.stateless_metrics = set(stateful_metrics or ()), None
        self._dynamic_display = _dynamic()
        self._seen_so_far = 0
        self._values = {}  # name -> [weighted sum, weight]
        self._values_order = []
        self._start = time.time()
        self._last_update = 0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def _is_averaged(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def _record(self, current, values, finalize):
        for name, value in values or []:
            if name not in self._values_order:
                self._values_order.append(name)
            if self._is_averaged(name) and not finalize:
                steps = max(current - self._seen_so_far, 1)
                total, weight = self._values.get(name, [0.0, 0])
                self._values[name] = [total + value * steps, weight + steps]
            else:
                self._values[name] = [value, 1]
        self._seen_so_far = current

    def _metrics_text(self, small_abs):
        text = ""
        for name in self._values_order:
            total, weight = self._values[name]
            if not isinstance(total, float):
                total = np.mean(total)
            avg = total / max(1, weight)
            text += f" - {name}:" + _number(avg, abs(avg) if small_abs else avg)
        return text

    def update(self, current, values=None, finalize=None):
        """Moves the bar to step `current` and records the latest values.

        Args:
            current: the index of the current step (1-based: `target` ends the bar).
            values: a list of `(name, value)` pairs for the last step.
            finalize: whether this is the last update; by default `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values, finalize)
        now = time.time()
        per_unit = self._step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw(current, now, per_unit, finalize)
        elif self.verbose == 2 and finalize and self.target:
            digits = int(math.log10(self.target)) + 1
            line = f"%{digits}d/%d - {now - self._start:.0f}s -" % (current, self.target)
            line += _per_unit(per_unit, self.unit_name) + self._metrics_text(False)
            print_msg(line)
        self._last_update = now

    def _draw(self, current, now, per_unit, finalize):
        colour = self._dynamic_display

        def paint(text, code):
            return f"\x1b[{code}m{text}\x1b[0m" if colour else text

        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            done = int(self.width * current / self.target)
            bar = paint(f"%{digits}d/%d" % (current, self.target), "1") + " "
            # Keras tells done from to-do by colour only; plain text draws the rest thinner
            rest = "━" if colour else "─"
            bar += (paint("━" * done, "32") if done > 0 else "") + paint(
                rest * (self.width - done), "37"
            )
            plain = len(f"%{digits}d/%d" % (current, self.target)) + 1 + self.width
        else:
            bar = "%7d/Unknown" % current
            plain = len(bar)
        if self.target and not finalize:
            info = " " + paint(_duration(per_unit * (self.target - current)), "1")
        else:
            info = " " + paint(f"{now - self._start:.0f}s", "1")
        info += _per_unit(per_unit, self.unit_name) + self._metrics_text(True)
        plain += len(info) - (8 if colour else 0)
        if colour:
            message = "\b" * self._prev_total_width + "\r" + bar + info
            message += " " * max(self._prev_total_width - plain, 0)
            message += "\n" if finalize else ""
            print_msg(message, line_break=False)
        else:
            print_msg(bar + info)
        self._prev_total_width = plain

    def add(self, n, values=None):
        """Advances the bar by `n` steps (`update(seen + n, values)`).

        Args:
            n: the number of steps to add.
            values: a list of `(name, value)` pairs, as for `update`.
        """
        self.update(self._seen_so_far + n, values)

    def _step_duration(self, current, now):
        # the first step (often slow: compilation, caches) is left out once there are others
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit
