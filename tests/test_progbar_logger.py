"""ProgbarLogger as fit() drives it: Keras 3 lines, throttled redraws, one line when not a terminal."""

import importlib
import io
import re
import sys
import types

import numpy as np
import pytest

import axon
from axon import layers
from axon.callbacks import CallbackList

progbar_module = importlib.import_module("axon.utils.progbar")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
BAR = "━" * 20
END_LOGS = {"accuracy": 0.5, "loss": 0.25, "val_accuracy": 0.75, "val_loss": 0.125, "learning_rate": 0.01}
END_TEXT = " - accuracy: 0.5000 - loss: 0.2500 - val_accuracy: 0.7500 - val_loss: 0.1250 - learning_rate: 0.0100"


class FakeTty(io.StringIO):
    encoding = "utf-8"

    def isatty(self):
        return True


class AsciiTty(FakeTty):
    encoding = "ascii"


@pytest.fixture
def clock(monkeypatch):
    now = [1024.0]  # with steps of 1/64 s every time below is exact in binary
    monkeypatch.setattr(progbar_module, "_clock", lambda: now[0])
    return now


def run_epochs(stream, monkeypatch, clock, verbose=1, epochs=2, steps=100, step_s=1 / 64, run=1):
    """Drives the default ProgbarLogger the way fit() does: the engine reports every step
    (as if each step took `step_s`); the logs come unsorted, as the engine may give them."""
    monkeypatch.setattr(sys, "stdout", stream)
    cbs = CallbackList([], types.SimpleNamespace(), verbose=verbose, epochs=epochs, steps=steps)
    for epoch in range(run):
        cbs.on_epoch_begin(epoch)
        for batch in range(steps - 1):
            clock[0] += step_s
            cbs.on_progress(batch, {"loss": 0.25, "accuracy": 0.5})
        clock[0] += step_s
        cbs.on_epoch_end(epoch, dict(END_LOGS))
    return stream.getvalue()


def test_not_a_terminal_one_clean_line_per_epoch(monkeypatch, clock):
    out = run_epochs(io.StringIO(), monkeypatch, clock, run=2)
    line = f"100/100 {BAR} 2s 16ms/step{END_TEXT}\n"
    assert out == f"Epoch 1/2\n{line}Epoch 2/2\n{line}"


def test_terminal_redraws_at_most_every_50ms_with_eta_then_elapsed(monkeypatch, clock):
    out = run_epochs(FakeTty(), monkeypatch, clock, epochs=3)
    assert out.startswith("Epoch 1/3\n\r")
    frames = [ANSI.sub("", f) for f in out.split("\r")[1:]]
    # Steps of 15.6 ms reported one by one: a frame at step 1, then every 4th step (62.5 ms,
    # the first report at least 50 ms after the last frame) up to step 97, then the final one.
    assert len(frames) == 1 + 24 + 1
    # While running: ETA; metrics sorted (accuracy before loss); no val_ yet.
    assert frames[12] == " 49/100 ━━━━━━━━━━━━━━━━━━━━ 0s 16ms/step - accuracy: 0.5000 - loss: 0.2500"
    assert frames[1].startswith("  5/100 ━") and "val_" not in "".join(frames[:-1])
    # At the end: elapsed time, val_ metrics, and keys added by callbacks after them.
    assert frames[-1].rstrip(" \n") == f"100/100 {BAR} 2s 16ms/step{END_TEXT}" and frames[-1].endswith("\n")


def test_terminal_eta_counts_down(monkeypatch, clock):
    out = run_epochs(FakeTty(), monkeypatch, clock, epochs=1, steps=1000, step_s=0.125)
    frames = [ANSI.sub("", f) for f in out.split("\r")[1:]]
    # ETA as Keras writes it: h:mm:ss, m:ss, then whole seconds (truncated).
    assert frames[0] == f"   1/1000 {'━' * 20} 2:04 125ms/step - accuracy: 0.5000 - loss: 0.2500"
    assert frames[600].startswith(" 601/1000 ━━━━━━━━━━━━━━━━━━━━ 49s 125ms/step")  # 399 * 0.125 = 49.9
    assert frames[-1].startswith(f"1000/1000 {BAR} 125s 125ms/step")


def test_ascii_bar_when_the_terminal_cannot_encode_it(monkeypatch, clock):
    out = run_epochs(AsciiTty(), monkeypatch, clock, epochs=1, steps=4, step_s=0.125)
    out.encode("ascii")  # nothing the stream cannot write
    frames = [ANSI.sub("", f) for f in out.split("\r")[1:]]
    assert frames[1].startswith("2/4 [=========>..........] 0s 125ms/step")
    assert frames[-1].startswith("4/4 [====================] 0s 125ms/step")


def test_verbose_2_prints_epoch_lines_only(monkeypatch, clock):
    out = run_epochs(FakeTty(), monkeypatch, clock, verbose=2, run=2)
    line = f"100/100 - 2s - 16ms/step{END_TEXT}\n"
    assert out == f"Epoch 1/2\n{line}Epoch 2/2\n{line}"


def test_single_epoch_has_no_epoch_header_and_verbose_0_is_silent(monkeypatch, clock):
    out = run_epochs(io.StringIO(), monkeypatch, clock, epochs=1)
    assert out == f"100/100 {BAR} 2s 16ms/step{END_TEXT}\n"
    assert run_epochs(FakeTty(), monkeypatch, clock, verbose=0) == ""


def test_fit_on_a_terminal_ends_each_epoch_with_val_metrics(monkeypatch, rng):
    stream = FakeTty()
    monkeypatch.setattr(sys, "stdout", stream)
    model = axon.Sequential([layers.Dense(2, activation="softmax", input_shape=(3,))])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(rng.normal(size=(200, 3)), rng.integers(0, 2, 200), epochs=2, validation_split=0.2)
    lines = ANSI.sub("", stream.getvalue()).split("\n")
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and lines[4] == ""
    for line in (lines[1], lines[3]):
        final = line.split("\r")[-1].rstrip()
        assert re.fullmatch(rf"5/5 {BAR} \d+s \d+[mu]?s/step - accuracy: \d\.\d{{4}} - loss: \d\.\d{{4}} "
                            r"- val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}", final), final
