"""plot_model: the layer graph as boxes and arrows, drawn with matplotlib (Keras needs pydot and
graphviz for this; axon models are chains so far, which a plain layout draws exactly).

One box for the input, then one per layer (name, class, output shape), arrows between them.
"""

import sys

from axon.utils import matplotlib_utils
from axon.utils.summary_utils import format_shape

_FONT_SIZE = 9
_CHAR_INCHES = 0.6 * _FONT_SIZE / 72  # monospace glyphs are 0.6 em wide: exact text widths
_LINE_INCHES = 1.5 * _FONT_SIZE / 72
_PAD_INCHES, _GAP_INCHES, _MARGIN_INCHES = 0.12, 0.4, 0.15
_INPUT_COLOUR, _LAYER_COLOUR, _EDGE_COLOUR = "#d9f2d9", "#dbe8f7", "#34495e"
_RANKDIRS = ("TB", "BT", "LR", "RL")


def _activation_name(layer):
    fn = getattr(layer, "activation", None)
    return None if fn is None else getattr(fn, "__name__", str(fn))


def _box_lines(name, class_name, shape, dtype, trainable, activation, options):
    lines = [f"{name} ({class_name})" if options["show_layer_names"] else class_name]
    if options["show_shapes"]:
        lines.append(f"Output shape: {format_shape(shape)}")
    if options["show_dtype"]:
        lines.append(f"Dtype: {dtype}")
    if options["show_layer_activations"] and activation is not None:
        lines.append(f"Activation: {activation}")
    if options["show_trainable"] and trainable is not None:
        lines.append(f"Trainable: {trainable}")
    return lines


def _boxes(model, options):
    dtype = str(model._dtype()) if hasattr(model, "_dtype") else None
    input_shape = (None,) + tuple(model._input_shape)
    boxes = [_box_lines("input_layer", "InputLayer", input_shape, dtype, None, None, options)]
    for layer in model.layers:
        boxes.append(_box_lines(layer.name, type(layer).__name__, layer.output_shape, dtype, layer.trainable,
                                _activation_name(layer), options))
    return boxes


def _layout(boxes, rankdir):
    """Box rectangles (x, y, w, h) in inches, in graph order, and the figure size."""
    width = max(len(line) for lines in boxes for line in lines) * _CHAR_INCHES + 2 * _PAD_INCHES
    heights = [len(lines) * _LINE_INCHES + 2 * _PAD_INCHES for lines in boxes]
    rects = []
    if rankdir in ("TB", "BT"):
        total = sum(heights) + _GAP_INCHES * (len(boxes) - 1)
        y = _MARGIN_INCHES + total
        for h in heights:
            y -= h
            rects.append((_MARGIN_INCHES, y, width, h))
            y -= _GAP_INCHES
        size = (width + 2 * _MARGIN_INCHES, total + 2 * _MARGIN_INCHES)
    else:
        height = max(heights)
        for i, h in enumerate(heights):
            x = _MARGIN_INCHES + i * (width + _GAP_INCHES)
            rects.append((x, _MARGIN_INCHES + (height - h) / 2, width, h))
        size = (len(boxes) * width + (len(boxes) - 1) * _GAP_INCHES + 2 * _MARGIN_INCHES,
                height + 2 * _MARGIN_INCHES)
    if rankdir in ("BT", "RL"):  # mirrored: the input at the bottom / on the right
        rects = [(size[0] - x - w, size[1] - y - h, w, h) for x, y, w, h in rects]
    return rects, size


def _arrow_ends(a, b):
    """Points on the facing sides of rectangles a -> b."""
    (ax, ay, aw, ah), (bx, by, bw, bh) = a, b
    if abs(ax - bx) < 1e-9:  # stacked vertically
        return ((ax + aw / 2, ay), (bx + bw / 2, by + bh)) if ay > by else \
               ((ax + aw / 2, ay + ah), (bx + bw / 2, by))
    return ((ax + aw, ay + ah / 2), (bx, by + bh / 2)) if ax < bx else \
           ((ax, ay + ah / 2), (bx + bw, by + bh / 2))


def _check_arguments(model, rankdir, kwargs):
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("plot_model: Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"plot_model: Unrecognized keyword arguments: {kwargs}")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"plot_model: rankdir must be one of {', '.join(_RANKDIRS)}, got {rankdir!r}")
    if not getattr(model, "built", False):
        raise ValueError("plot_model: This model has not yet been built. Build the model first by calling "
                         "`build()` or by calling the model on a batch of data.")


def plot_model(model, to_file="model.png", show_shapes=True, show_dtype=False, show_layer_names=True,
               rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False, show_trainable=False,
               **kwargs):
    """Draws `model` and saves it to `to_file` (PNG unless the extension names pdf, svg, ...).

    Keras' arguments. Its graphviz-only `splines` is accepted and has nothing to change: a
    chain's arrows are straight. `expand_nested` has no nested model to expand yet.
    Returns an IPython Image in a notebook session (as Keras does), else None.
    """
    kwargs.pop("splines", None)
    _check_arguments(model, rankdir, kwargs)
    options = {"show_shapes": show_shapes, "show_dtype": show_dtype, "show_layer_names": show_layer_names,
               "show_layer_activations": show_layer_activations, "show_trainable": show_trainable}
    boxes = _boxes(model, options)
    rects, size = _layout(boxes, rankdir)
    figure, _ = matplotlib_utils.new_figure("plot_model", size, dpi=dpi)
    _draw(figure, boxes, rects, size)
    to_file = str(to_file)
    matplotlib_utils.save(figure, to_file, dpi=dpi)
    if _in_ipython_session() and not to_file.endswith(".pdf"):
        from IPython import display

        return display.Image(filename=to_file)
    return None


def _in_ipython_session():
    # IPython being imported is not enough: libraries import it (Keras does) in plain scripts.
    ipython = sys.modules.get("IPython")
    return ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None


def _draw(figure, boxes, rects, size):
    from matplotlib.patches import FancyBboxPatch

    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, size[0])  # axes units are inches: boxes keep their shape
    ax.set_ylim(0, size[1])
    ax.axis("off")
    for i, (lines, (x, y, w, h)) in enumerate(zip(boxes, rects)):
        colour = _INPUT_COLOUR if i == 0 else _LAYER_COLOUR
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.06", facecolor=colour,
                                    edgecolor=_EDGE_COLOUR, linewidth=1.0))
        top = y + h - _PAD_INCHES - _LINE_INCHES / 2
        for j, line in enumerate(lines):
            ax.text(x + w / 2, top - j * _LINE_INCHES, line, ha="center", va="center", family="monospace",
                    fontsize=_FONT_SIZE, fontweight="bold" if j == 0 else "normal", color="#1b2631")
    for a, b in zip(rects, rects[1:]):
        start, end = _arrow_ends(a, b)
        ax.annotate("", xy=end, xytext=start,
                    arrowprops={"arrowstyle": "-|>", "color": _EDGE_COLOUR, "lw": 1.2, "shrinkA": 0, "shrinkB": 0})
