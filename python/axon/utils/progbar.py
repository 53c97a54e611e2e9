"""Keras 3 style progress bar.

    1875/1875 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - accuracy: 0.9612 - loss: 0.1289

Differences from Keras that are on purpose:
- Keras redraws with '\\r' almost everywhere (it treats any POSIX system as a
  terminal). Here only a real terminal (or Jupyter's cell output) gets the
  in-place redraw; a pipe or log file gets nothing until `finalize`, then one
  clean line, so logs stay free of thousands of carriage-return frames.
- `stateful_metrics=None` means every value is shown as given: axon's trainer
  already reports running averages. Pass a list to get Keras' behaviour, where
  names missing from it are averaged over steps by the bar.
- A stream that cannot encode '━' gets the Keras 2 bar `[=====>......]`.
"""

import math
import sys
import time

from axon._numpy_on_first_use import numpy_on_first_use

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast

# Module-level so tests can swap in a fake clock; monotonic so a wall-clock
# jump cannot produce a negative step time.
_clock = time.monotonic

_BOLD, _GREEN, _GREY, _RESET = "\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m"
_BAR_CHAR = "━"


def _isatty(stream):
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed file
        return False


def _is_notebook_output(stream):
    """Jupyter's cell output (ipykernel's OutStream) shows '\\r' redraws in place although it is
    no terminal. Asked of the stream itself, not of `"ipykernel" in sys.modules`: inside a
    notebook, output redirected to a file or pipe still gets one clean line per epoch."""
    return type(stream).__module__.startswith("ipykernel.")


def can_encode(stream, text):
    encoding = getattr(stream, "encoding", None)
    if not encoding:  # in-memory text streams (io.StringIO) hold any str
        return True
    try:
        text.encode(encoding)
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def _format_step_time(seconds, unit_name):
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def _format_eta(eta):
    if eta > 3600:
        return "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
    if eta > 60:
        return "%d:%02d" % (eta // 60, eta % 60)
    return "%ds" % eta


def _format_value(value):
    if isinstance(value, str):
        return value
    value = float(np.mean(value))
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"


class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps, or None if unknown.
        width: bar width in characters.
        verbose: 0 silent, 1 bar, 2 one line per finished epoch.
        interval: minimum seconds between two redraws.
        stateful_metrics: None to show every value as given; otherwise the
            names shown as given, all other names being averaged over steps.
        unit_name: shown in the time per unit, e.g. "step" -> "1ms/step".
        stream: text stream to write to; None means `sys.stdout` at write time.
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05,
                 stateful_metrics=None, unit_name="step", stream=None):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.stateful_metrics = (
            None if stateful_metrics is None else set(stateful_metrics)
        )
        self.unit_name = unit_name
        self.stream = stream
        self._values = {}  # name -> [sum, count]; the shown value is sum / count
        self._values_order = []
        self._seen_so_far = 0
        self._start = _clock()
        self._last_update = None
        self._time_after_first_step = None
        self._prev_total_width = 0

    def update(self, current, values=None, finalize=None):
        """Records step `current` and redraws if due.

        Args:
            current: index of the current step (1-based count of steps done).
            values: list of `(name, value)` pairs.
            finalize: whether this is the last update; defaults to
                `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values or [], finalize)
        self._seen_so_far = current

        now = _clock()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            due = self._last_update is None or now - self._last_update >= self.interval
            if not (due or finalize):
                return
            stream = self.stream or sys.stdout
            dynamic = _isatty(stream) or _is_notebook_output(stream)
            if dynamic or finalize:
                self._draw(stream, dynamic, current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize:
            stream = self.stream or sys.stdout
            if self.target is not None and self.target > 0:
                digits = int(math.log10(self.target)) + 1
                count = f"{current:{digits}d}/{self.target}"
            else:
                count = f"{current}/Unknown"
            line = f"{count} - {now - self._start:.0f}s"
            line += " -" + _format_step_time(time_per_unit, self.unit_name)
            line += self._metrics_text()
            stream.write(line + "\n")
            stream.flush()
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _record(self, current, values, finalize):
        for name, value in values:
            if name not in self._values:
                self._values_order.append(name)
            averaged = (
                self.stateful_metrics is not None
                and name not in self.stateful_metrics
            )
            # On finalize Keras shows the caller's value as is: it is the
            # epoch's exact result, not one more sample to average in.
            if not averaged or finalize or isinstance(value, str):
                self._values[name] = [value, 1]
                continue
            weight = max(current - self._seen_so_far, 1)
            entry = self._values.get(name)
            if entry is None or isinstance(entry[0], str):
                self._values[name] = [value * weight, weight]
            else:
                entry[0] = entry[0] + value * weight
                entry[1] += weight

    def _metrics_text(self):
        parts = []
        for name in self._values_order:
            total, count = self._values[name]
            value = total if isinstance(total, str) else np.mean(total) / max(1, count)
            parts.append(f" - {name}: {_format_value(value)}")
        return "".join(parts)

    def _draw(self, stream, dynamic, current, now, time_per_unit, finalize):
        # Segments of (text, ANSI code); colour only where a terminal shows it.
        segments = []
        known = self.target is not None and self.target > 0
        if known:
            digits = int(math.log10(self.target)) + 1
            segments.append((f"{current:{digits}d}/{self.target}", _BOLD))
            segments.append((" ", None))
            filled = min(max(int(self.width * current / self.target), 0), self.width)
            if can_encode(stream, _BAR_CHAR):
                segments.append((_BAR_CHAR * filled, _GREEN))
                segments.append((_BAR_CHAR * (self.width - filled), _GREY))
            else:
                bar = "=" * max(filled - 1, 0)
                if filled:
                    bar += ">" if current < self.target else "="
                segments.append(("[" + bar + "." * (self.width - filled) + "]", None))
        else:
            segments.append(("%7d/Unknown" % current, None))

        if known and not finalize:
            when = _format_eta(time_per_unit * (self.target - current))
        else:
            when = f"{now - self._start:.0f}s"
        segments.append((" ", None))
        segments.append((when, _BOLD))
        segments.append((_format_step_time(time_per_unit, self.unit_name), None))
        segments.append((self._metrics_text(), None))

        plain_width = sum(len(text) for text, _ in segments)
        line = "".join(
            f"{code}{text}{_RESET}" if (code and dynamic and text) else text
            for text, code in segments
        )
        if dynamic:
            # Blank out the tail of a longer previous frame.
            line = "\r" + line + " " * max(self._prev_total_width - plain_width, 0)
        if finalize:
            line += "\n"
        stream.write(line)
        stream.flush()
        self._prev_total_width = plain_width

    def _estimate_step_duration(self, current, now):
        """Seconds per step, leaving out the first (warm-up) step once possible."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit
