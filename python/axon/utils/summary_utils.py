"""`model.summary()` text: the table Keras 3 draws with `rich`, without `rich`.

Keras asks rich for columns of int(position * line_length) characters each,
where line_length defaults to min(88, terminal columns - 4). Those widths plus
cell padding overflow the table, and rich shrinks every column evenly (its
`ratio_reduce`). `_column_widths` replays that arithmetic so the output is the
same character for character, e.g. 31/22/13 content columns at 80 columns.
"""

import numbers
import shutil
import sys

from axon.utils.progbar import can_encode

_BOX = {  # top, header row, header rule, body row, row rule, bottom: (left, fill, joint, right)
    "unicode": {
        "top": "┏━┳┓", "head": "┃ ┃┃", "head_rule": "┡━╇┩",
        "row": "│ ││", "row_rule": "├─┼┤", "bottom": "└─┴┘",
    },
    "ascii": {
        "top": "+-++", "head": "| ||", "head_rule": "+=++",
        "row": "| ||", "row_rule": "+-++", "bottom": "+-++",
    },
}
_ELLIPSIS = {"unicode": "…", "ascii": "..."}

HEADER = ("Layer (type)", "Output Shape", "Param #")
ALIGN = ("left", "left", "right")
DEFAULT_POSITIONS = (0.45, 0.80, 1.0)
DEFAULT_LINE_LENGTH = 88


def readable_memory_size(num_bytes):
    """1024-based size with two decimals, e.g. 407080 -> '397.54 KB'."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if num_bytes < 1024:
            return f"{num_bytes:.2f} {unit}"
        num_bytes /= 1024
    return f"{num_bytes:.2f} PB"


def format_shape(shape):
    """'(None, 784)'. Like Keras, a 1-D shape prints as '(None)'; a list or tuple
    of shapes (several outputs) prints as '[(None, 4), (None, 2)]'."""
    if isinstance(shape, str):
        return shape
    if isinstance(shape, (list, tuple)) and shape and all(
        isinstance(s, (list, tuple)) for s in shape
    ):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _ratio_reduce(excess, widths):
    """Takes `excess` characters off `widths`, spread evenly, like rich does."""
    result, remaining, parts = [], excess, len(widths)
    for width in widths:
        cut = min(width, round(remaining / parts))  # round() half-to-even, as rich
        result.append(width - cut)
        remaining -= cut
        parts -= 1
    return result


def _column_widths(line_length, positions):
    """Content width of each column (cell padding of 1 each side excluded)."""
    if positions[-1] > 1:  # absolute positions, accepted as in Keras 2
        positions = [p / positions[-1] for p in positions]
    requested, used = [], 0
    for pos in positions:
        width = int(pos * line_length) - used
        if width < 4:
            raise ValueError(
                f"Insufficient line_length={line_length} to print the summary with "
                f"positions={list(positions)}: a column would be {width} characters wide."
            )
        requested.append(width)
        used += width
    cells = [w + 2 for w in requested]
    budget = line_length - (len(cells) + 1)  # minus the vertical borders
    if sum(cells) > budget:
        cells = _ratio_reduce(sum(cells) - budget, cells)
    return [max(c - 2, 1) for c in cells]


def _wrap(text, width, ellipsis):
    """Greedy word wrap; a word longer than the column is cut with an ellipsis."""
    lines = []
    for paragraph in str(text).split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if len(candidate) <= width or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    cut = width - len(ellipsis)
    return [
        line if len(line) <= width
        else (line[:cut] + ellipsis if cut > 0 else line[:width])
        for line in lines
    ]


def _render_row(cells, widths, box, ellipsis, bottom=False):
    """Lines of one table row; short cells are padded below (above if `bottom`,
    which rich uses for the header row)."""
    wrapped = [_wrap(cell, w, ellipsis) for cell, w in zip(cells, widths)]
    height = max(len(lines) for lines in wrapped)
    if bottom:
        wrapped = [[""] * (height - len(lines)) + lines for lines in wrapped]
    left, _, joint, right = box
    out = []
    for i in range(height):
        parts = []
        for lines, width, align in zip(wrapped, widths, ALIGN):
            text = lines[i] if i < len(lines) else ""
            text = text.rjust(width) if align == "right" else text.ljust(width)
            parts.append(f" {text} ")
        out.append(left + joint.join(parts) + right)
    return out


def _rule(box, widths):
    left, fill, joint, right = box
    return left + joint.join(fill * (w + 2) for w in widths) + right


def _stdout_can_encode(text):
    return can_encode(sys.stdout, text)


def _param_text(count):
    return f"{int(count):,}" if isinstance(count, numbers.Integral) else str(count)


def format_summary(model_name, rows, trainable_count, non_trainable_count,
                   line_length=None, positions=None, ascii_only=None,
                   bytes_per_param=4, optimizer_count=None):
    """The summary text of a sequential-like model, without a trailing newline.

    Args:
        model_name: shown as `Model: "<name>"`.
        rows: `(layer_name, class_name, output_shape, param_count)` tuples;
            output_shape is a tuple such as `(None, 128)` (or a preformatted
            str), param_count an int (or a str such as "0 (unbuilt)").
        trainable_count, non_trainable_count: parameter totals.
        line_length: table width; default min(88, terminal columns - 4).
        positions: right edge of each column as a fraction of line_length.
        ascii_only: draw with + - = |; None picks it when sys.stdout cannot
            encode the box-drawing characters.
        bytes_per_param: bytes per parameter for the sizes (4 for float32).
        optimizer_count: optimizer slot count; when given, an "Optimizer
            params" line is added and counted in the total, as Keras does for
            a built optimizer.
    """
    if line_length is None:
        line_length = min(DEFAULT_LINE_LENGTH, shutil.get_terminal_size().columns - 4)
    positions = list(positions or DEFAULT_POSITIONS)
    if len(positions) != len(HEADER):
        raise ValueError(
            f"positions must have {len(HEADER)} entries (one per column), "
            f"received {positions}."
        )
    if ascii_only is None:
        ascii_only = not _stdout_can_encode("".join(_BOX["unicode"].values()) + "…")
    style = "ascii" if ascii_only else "unicode"
    box, ellipsis = _BOX[style], _ELLIPSIS[style]
    widths = _column_widths(line_length, positions)

    lines = [f'Model: "{model_name}"', _rule(box["top"], widths)]
    lines += _render_row(HEADER, widths, box["head"], ellipsis, bottom=True)
    lines.append(_rule(box["head_rule"], widths))
    for i, (name, class_name, shape, params) in enumerate(rows):
        if i:
            lines.append(_rule(box["row_rule"], widths))
        cells = (f"{name} ({class_name})", format_shape(shape), _param_text(params))
        lines += _render_row(cells, widths, box["row"], ellipsis)
    lines.append(_rule(box["bottom"], widths))

    def total_line(label, count):
        size = readable_memory_size(count * bytes_per_param)
        return f" {label}: {count:,} ({size})"

    total = trainable_count + non_trainable_count + (optimizer_count or 0)
    lines.append(total_line("Total params", total))
    lines.append(total_line("Trainable params", trainable_count))
    lines.append(total_line("Non-trainable params", non_trainable_count))
    if optimizer_count is not None:
        lines.append(total_line("Optimizer params", optimizer_count))
    return "\n".join(lines)


def print_summary(model_name, rows, trainable_count, non_trainable_count,
                  line_length=None, positions=None, ascii_only=None,
                  bytes_per_param=4, optimizer_count=None, print_fn=None):
    """Prints `format_summary(...)`.

    Like Keras 3, `print_fn` is called once with the whole summary (ending in a
    newline), not once per line; the default writes to sys.stdout.
    """
    text = format_summary(
        model_name, rows, trainable_count, non_trainable_count,
        line_length=line_length, positions=positions, ascii_only=ascii_only,
        bytes_per_param=bytes_per_param, optimizer_count=optimizer_count,
    ) + "\n"
    if print_fn is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        print_fn(text)
