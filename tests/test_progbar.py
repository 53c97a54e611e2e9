"""axon.utils.Progbar: exact Keras 3 lines, driven by a fake clock."""

import importlib
import io
import re
import sys

import pytest

from axon.utils import Progbar

progbar_module = importlib.import_module("axon.utils.progbar")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
BAR = "━" * 20


class FakeTty(io.StringIO):
    encoding = "utf-8"

    def isatty(self):
        return True


@pytest.fixture
def clock(monkeypatch):
    """A settable clock standing in for time.monotonic inside the progbar."""
    now = [1000.0]
    monkeypatch.setattr(progbar_module, "_clock", lambda: now[0])
    return now


def run_epoch(bar, clock, steps=1875, first=0.2, per_step=0.0012):
    """First step takes `first` seconds (warm-up), the others `per_step`:
    2.45 s in all, 1.2 ms per step once the warm-up step is left out."""
    for step in range(1, steps + 1):
        clock[0] += first if step == 1 else per_step
        bar.update(step, [("accuracy", 0.9612), ("loss", 0.1289)])


def test_non_tty_writes_one_line_at_the_end(clock):
    stream = io.StringIO()
    bar = Progbar(1875, stream=stream)
    run_epoch(bar, clock, steps=1874)
    assert stream.getvalue() == ""
    clock[0] += 0.0012
    bar.update(1875, [("accuracy", 0.9612), ("loss", 0.1289)])
    assert stream.getvalue() == (
        f"1875/1875 {BAR} 2s 1ms/step - accuracy: 0.9612 - loss: 0.1289\n"
    )


def test_verbose_2_format(clock):
    stream = io.StringIO()
    run_epoch(Progbar(1875, verbose=2, stream=stream), clock)
    assert stream.getvalue() == "1875/1875 - 2s - 1ms/step - accuracy: 0.9612 - loss: 0.1289\n"


def test_verbose_0_is_silent(clock):
    stream = FakeTty()
    run_epoch(Progbar(1875, verbose=0, stream=stream), clock, steps=10)
    assert stream.getvalue() == ""


def test_tty_redraw_in_place_with_eta(clock):
    stream = FakeTty()
    bar = Progbar(1875, stream=stream)
    for step in range(1, 13):
        clock[0] += 0.034
        bar.update(step, [("loss", 2.3)])
    frames = stream.getvalue().split("\r")
    assert frames[0] == ""
    # 34 ms/step, throttled to one frame per 50 ms: steps 1, 3, 5, 7, 9, 11.
    assert len(frames) - 1 == 6
    assert ANSI.sub("", frames[-1]) == f"  11/1875 {'━' * 20} 1:03 34ms/step - loss: 2.3000"
    assert frames[-1].startswith("\x1b[1m  11/1875\x1b[0m \x1b[37m" + "━" * 20)
    clock[0] += 0.034
    bar.update(1875, [("loss", 0.5)])
    final = stream.getvalue().split("\r")[-1]
    assert final.endswith("\n")
    # 12 steps of 34 ms after the first, spread over 1874 steps: 218 us/step;
    # one trailing space erases the last character of the longer previous frame.
    assert ANSI.sub("", final) == f"1875/1875 {BAR} 0s 218us/step - loss: 0.5000 \n"
    assert "\x1b[32m" + BAR + "\x1b[0m" in final  # the filled part is green


def test_tty_shorter_frame_blanks_old_tail(clock):
    stream = FakeTty()
    bar = Progbar(10, stream=stream, interval=0)
    clock[0] += 1
    bar.update(1, [("loss", 123.0), ("val", 1.0)])
    clock[0] += 1
    bar.update(2, [("loss", 1.0)])  # same names, stays as long
    first, second = stream.getvalue().split("\r")[1:]
    assert len(ANSI.sub("", first)) == len(ANSI.sub("", second))


def test_ascii_fallback_when_stream_cannot_encode_bar(clock):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    bar = Progbar(3, stream=stream)
    for step in (1, 2, 3):
        clock[0] += 0.01
        bar.update(step, [("loss", 0.5)])
    stream.flush()
    assert raw.getvalue().decode("ascii") == (
        "3/3 [====================] 0s 10ms/step - loss: 0.5000\n"
    )


def test_ascii_fallback_partial_bar_on_tty(clock):
    class AsciiTty(FakeTty):
        encoding = "ascii"

    stream = AsciiTty()
    bar = Progbar(4, stream=stream)
    clock[0] += 1.5
    bar.update(2)
    assert ANSI.sub("", stream.getvalue()) == "\r2/4 [=========>..........] 1s 750ms/step"


def test_small_values_use_scientific_notation(clock):
    stream = io.StringIO()
    bar = Progbar(1, stream=stream)
    clock[0] += 2e-4
    bar.update(1, [("loss", 0.0005), ("neg", -0.25), ("zero", 0.0)])
    assert stream.getvalue() == (
        f"1/1 {BAR} 0s 200us/step - loss: 5.0000e-04 - neg: -0.2500 - zero: 0.0000e+00\n"
    )


def test_unknown_target(clock):
    stream = FakeTty()
    bar = Progbar(None, stream=stream)
    clock[0] += 0.2
    bar.update(3, finalize=True)
    assert ANSI.sub("", stream.getvalue()) == "\r      3/Unknown 0s 67ms/step\n"


def test_long_eta_format(clock):
    stream = FakeTty()
    bar = Progbar(100000, stream=stream)
    clock[0] += 70.0
    bar.update(1000)
    assert ANSI.sub("", stream.getvalue()) == f"\r  1000/100000 {'━' * 20} 1:55:30 70ms/step"


def test_stateful_metrics_list_averages_the_others(clock):
    stream = io.StringIO()
    bar = Progbar(4, verbose=1, stream=stream, stateful_metrics=["lr"])
    for step, loss in [(1, 1.0), (2, 3.0), (3, 5.0)]:
        clock[0] += 1
        bar.update(step, [("loss", loss), ("lr", 0.01 * step)])
    clock[0] += 1
    bar.update(4, finalize=True)
    # loss averaged over steps (1+3+5)/3; lr shown as last given.
    assert stream.getvalue().endswith(" - loss: 3.0000 - lr: 0.0300\n")


def test_add_advances_and_default_stream_is_resolved_late(clock, capsys):
    bar = Progbar(2)  # sys.stdout is looked up when writing, not here
    clock[0] += 1
    bar.add(1)
    clock[0] += 1
    bar.add(1, [("loss", 0.25)])
    assert capsys.readouterr().out == f"2/2 {BAR} 2s 1s/step - loss: 0.2500\n"


def test_notebook_cell_output_redraws_but_redirected_output_does_not(clock, monkeypatch):
    class OutStream(io.StringIO):  # stands in for ipykernel.iostream.OutStream: no tty, yet '\r' works
        encoding = "utf-8"

    OutStream.__module__ = "ipykernel.iostream"
    stream = OutStream()
    bar = Progbar(3, stream=stream)
    for step in (1, 2):
        clock[0] += 0.1
        bar.update(step, [("loss", 0.5)])
    assert stream.getvalue().count("\r") == 2
    # In a kernel, output sent to a file or pipe still gets one clean line.
    monkeypatch.setitem(sys.modules, "ipykernel", object())
    stream = io.StringIO()
    bar = Progbar(3, stream=stream)
    for step in (1, 2, 3):
        clock[0] += 0.1
        bar.update(step, [("loss", 0.5)])
    assert stream.getvalue() == f"3/3 {BAR} 0s 100ms/step - loss: 0.5000\n"
