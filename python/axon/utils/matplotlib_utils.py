"""Optional matplotlib, imported only when a plot is asked for (`import axon` never loads it).

Plots are drawn on a `matplotlib.figure.Figure` with the Agg canvas: no pyplot, so the user's
global backend and pyplot's figure list are left untouched.
"""


def new_figure(caller, figsize, dpi=100):
    """(Figure, FigureCanvasAgg) for `caller`, or ImportError saying how to get matplotlib."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError(f"{caller} needs matplotlib, which is not installed: pip install matplotlib") from e
    figure = Figure(figsize=figsize, dpi=dpi)
    return figure, FigureCanvasAgg(figure)


def save(figure, path, dpi=None):
    """Writes the figure; the format follows the extension (png when there is none)."""
    import os

    path = os.fspath(path)
    extension = os.path.splitext(path)[1][1:].lower() or "png"
    figure.savefig(path, format=extension, dpi=dpi or figure.dpi)
