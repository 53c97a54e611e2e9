"""axon.utils.summary_utils: the exact text Keras 3 prints for model.summary()."""

import io
import sys

import pytest

from axon.utils.summary_utils import (
    format_summary,
    print_summary,
    readable_memory_size,
)

ROWS = [
    ("flatten", "Flatten", (None, 784), 0),
    ("dense", "Dense", (None, 128), 100480),
    ("dense_1", "Dense", (None, 10), 1290),
]

# Keras 3 output on an 80-column terminal (and whenever stdout is not one).
EXPECTED = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ flatten (Flatten)               │ (None, 784)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 128)            │       100,480 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │         1,290 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 101,770 (397.54 KB)
 Trainable params: 101,770 (397.54 KB)
 Non-trainable params: 0 (0.00 B)"""

EXPECTED_ASCII = """\
Model: "sequential"
+---------------------------------+------------------------+---------------+
| Layer (type)                    | Output Shape           |       Param # |
+=================================+========================+===============+
| flatten (Flatten)               | (None, 784)            |             0 |
+---------------------------------+------------------------+---------------+
| dense (Dense)                   | (None, 128)            |       100,480 |
+---------------------------------+------------------------+---------------+
| dense_1 (Dense)                 | (None, 10)             |         1,290 |
+---------------------------------+------------------------+---------------+
 Total params: 101,770 (397.54 KB)
 Trainable params: 101,770 (397.54 KB)
 Non-trainable params: 0 (0.00 B)"""


def test_course_model_exact():
    text = format_summary("sequential", ROWS, 101770, 0, line_length=76, ascii_only=False)
    assert text == EXPECTED


def test_default_width_follows_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # read by shutil.get_terminal_size
    assert format_summary("sequential", ROWS, 101770, 0, ascii_only=False) == EXPECTED
    monkeypatch.setenv("COLUMNS", "200")  # wide terminals stop at 88 columns
    wide = format_summary("sequential", ROWS, 101770, 0, ascii_only=False).splitlines()
    assert len(wide[1]) == 88
    assert wide[2] == "┃ Layer (type)" + " " * 25 + "┃ Output Shape" + " " * 16 + "┃" + " " * 9 + "Param # ┃"


def test_ascii_only():
    text = format_summary("sequential", ROWS, 101770, 0, line_length=76, ascii_only=True)
    assert text == EXPECTED_ASCII


def test_ascii_chosen_when_stdout_cannot_encode_box(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    assert format_summary("sequential", ROWS, 101770, 0, line_length=76) == EXPECTED_ASCII
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert format_summary("sequential", ROWS, 101770, 0, line_length=76) == EXPECTED


def test_long_names_wrap_and_truncate_inside_the_table():
    rows = [("a_really_long_layer_name_that_goes_on_and_on_forever", "Dense",
             (None, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), 12345678)]
    lines = format_summary("m", rows, 12345678, 0, line_length=76, ascii_only=False).splitlines()
    assert lines[4] == "│ a_really_long_layer_name_that_… │ (None, 3, 4, 5, 6, 7,  │    12,345,678 │"
    assert lines[5] == "│ (Dense)                         │ 8, 9, 10, 11, 12, 13)  │               │"
    assert {len(line) for line in lines[1:7]} == {76}


def test_header_wraps_from_the_bottom_on_narrow_tables():
    # As rich draws it: header cells are bottom-aligned, an empty body is closed.
    lines = format_summary("m", [], 0, 0, line_length=44, ascii_only=False).splitlines()
    assert lines[1:6] == [
        "┏━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━┓",
        "┃                  ┃              ┃  Param ┃",
        "┃ Layer (type)     ┃ Output Shape ┃      # ┃",
        "┡━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━┩",
        "└──────────────────┴──────────────┴────────┘",
    ]


def test_shapes_strings_and_optimizer_line():
    rows = [("d", "Dense", (None,), "0 (unbuilt)"), ("two", "Split", [(None, 4), (None, 2)], 8)]
    text = format_summary("m", rows, 8, 2, line_length=76, ascii_only=False,
                          optimizer_count=17)
    lines = text.splitlines()
    assert lines[4] == "│ d (Dense)                       │ (None)                 │   0 (unbuilt) │"
    assert lines[6] == "│ two (Split)                     │ [(None, 4), (None, 2)] │             8 │"
    assert lines[-4:] == [
        " Total params: 27 (108.00 B)",
        " Trainable params: 8 (32.00 B)",
        " Non-trainable params: 2 (8.00 B)",
        " Optimizer params: 17 (68.00 B)",
    ]


def test_bytes_per_param_and_sizes():
    text = format_summary("m", ROWS, 101770, 0, line_length=76, ascii_only=False,
                          bytes_per_param=8)
    assert text.splitlines()[-3] == " Total params: 101,770 (795.08 KB)"
    assert readable_memory_size(0) == "0.00 B"
    assert readable_memory_size(1023) == "1023.00 B"
    assert readable_memory_size(1024) == "1.00 KB"
    assert readable_memory_size(3 * 1024 ** 2 + 1024 ** 2 // 2) == "3.50 MB"
    assert readable_memory_size(5 * 1024 ** 3) == "5.00 GB"


def test_print_summary_calls_print_fn_once_like_keras(capsys):
    got = []
    print_summary("sequential", ROWS, 101770, 0, line_length=76, ascii_only=False,
                  print_fn=got.append)
    assert got == [EXPECTED + "\n"]
    print_summary("sequential", ROWS, 101770, 0, line_length=76, ascii_only=True)
    assert capsys.readouterr().out == EXPECTED_ASCII + "\n"


def test_too_narrow_is_a_value_error():
    with pytest.raises(ValueError, match=r"line_length=8"):
        format_summary("m", ROWS, 0, 0, line_length=8)
