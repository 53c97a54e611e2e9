"""plot_history: learning curves from fit()'s History, one panel per quantity."""

import numpy as np

from axon.utils import matplotlib_utils

_PANEL_INCHES = (4.5, 3.2)
_MAX_COLUMNS = 3


def _as_dict(history):
    """(logs dict, epoch numbers shown 1-based) from a History or its .history dict."""
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(f"plot_history: history must be a History (what fit() returns) or its .history dict, "
                        f"got {type(history).__name__}")
    if not logs:
        raise ValueError("plot_history: the history is empty (no epoch was recorded)")
    lengths = {len(v) for v in logs.values()}
    if len(lengths) != 1:
        raise ValueError(f"plot_history: every quantity needs one value per epoch, got lengths "
                         f"{ {k: len(v) for k, v in logs.items()} }")
    n = lengths.pop()
    epochs = list(getattr(history, "epoch", None) or range(n))
    if len(epochs) != n:  # a History reused across fits: its .epoch holds the last fit only
        epochs = list(range(n))
    return logs, np.asarray(epochs) + 1


def _plot_series(ax, x, values, label, style):
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        ax.plot(x, values, style, label=label)
        return
    for i in range(values.shape[1]):  # vector-valued metric (per class / threshold): one line each
        ax.plot(x, values[:, i], style, label=f"{label}[{i}]")


def plot_history(history, path=None):
    """Training (solid) and validation (dashed, `val_*`) curves against the 1-based epoch.

    Returns the matplotlib Figure when `path` is None; otherwise saves it there (PNG unless
    the extension names another format) and returns None.
    """
    logs, x = _as_dict(history)
    quantities = [k for k in logs if not k.startswith("val_")]
    quantities += [k[4:] for k in logs if k.startswith("val_") and k[4:] not in logs]  # val_ only
    quantities.sort(key=lambda k: k != "loss")  # loss first, then the metrics in log order
    columns = min(len(quantities), _MAX_COLUMNS)
    rows = -(-len(quantities) // columns)
    figure, _ = matplotlib_utils.new_figure(
        "plot_history", (_PANEL_INCHES[0] * columns, _PANEL_INCHES[1] * rows))
    for i, name in enumerate(quantities):
        ax = figure.add_subplot(rows, columns, i + 1)
        if name in logs:
            _plot_series(ax, x, logs[name], "train", "-o")
        if "val_" + name in logs:
            _plot_series(ax, x, logs["val_" + name], "validation", "--o")
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
        ax.legend()
        if len(x) <= 20:  # whole epochs only
            ax.set_xticks(x)
    figure.tight_layout()
    if path is None:
        return figure
    matplotlib_utils.save(figure, path)
    return None
