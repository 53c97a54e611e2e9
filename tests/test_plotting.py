"""plot_history and plot_model: real PNGs, lazy matplotlib, clear errors."""

import subprocess
import sys

import numpy as np
import pytest

import axon
from axon import layers
from axon.callbacks import History


def test_import_axon_does_not_load_matplotlib():
    code = "import sys, axon, axon.utils; assert 'matplotlib' not in sys.modules, 'matplotlib loaded'"
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())


def _env():
    import os

    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))


def test_missing_matplotlib_raises_clear_import_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib...` now fails
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    with pytest.raises(ImportError, match="plot_history needs matplotlib.*pip install matplotlib"):
        axon.utils.plot_history({"loss": [1.0, 0.5]})
    with pytest.raises(ImportError, match="plot_model needs matplotlib.*pip install matplotlib"):
        axon.utils.plot_model(mlp(), tmp_path / "m.png")


def mlp():
    return axon.Sequential([axon.Input((784,)), layers.Dense(32, activation="relu"), layers.Dropout(0.2),
                            layers.Dense(10, activation="softmax")])


def read_png(path):
    image = pytest.importorskip("matplotlib.image").imread(str(path))
    assert image.ndim == 3 and image.shape[2] in (3, 4)
    return image


def assert_not_blank(image, min_colours=4):
    assert image.var() > 0
    colours = np.unique((image[..., :3] * 255).round().astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) >= min_colours


def test_plot_history_png_one_panel_per_quantity(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    logs = {"accuracy": [0.5, 0.7, 0.8], "loss": [1.0, 0.6, 0.4], "val_accuracy": [0.4, 0.6, 0.7],
            "val_loss": [1.1, 0.8, 0.7], "learning_rate": [0.01, 0.01, 0.001]}
    figure = axon.utils.plot_history(logs)
    assert isinstance(figure, matplotlib.figure.Figure)
    axes = figure.get_axes()
    assert [ax.get_title() for ax in axes] == ["loss", "accuracy", "learning_rate"]
    loss_ax = axes[0]
    assert [line.get_label() for line in loss_ax.get_lines()] == ["train", "validation"]
    np.testing.assert_array_equal(loss_ax.get_lines()[0].get_xdata(), [1, 2, 3])  # 1-based epochs
    np.testing.assert_array_equal(loss_ax.get_lines()[1].get_ydata(), logs["val_loss"])
    assert [line.get_label() for line in axes[2].get_lines()] == ["train"]
    path = tmp_path / "history.png"
    assert axon.utils.plot_history(logs, path) is None
    image = read_png(path)
    w, h = figure.get_size_inches() * figure.dpi
    assert image.shape[:2] == (round(h), round(w))
    assert_not_blank(image)


def test_plot_history_from_fit(rng, tmp_path):
    pytest.importorskip("matplotlib")
    model = axon.Sequential([layers.Dense(2, activation="softmax", input_shape=(3,))])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(rng.normal(size=(64, 3)), rng.integers(0, 2, 64), epochs=4, verbose=0, validation_split=0.25)
    figure = axon.utils.plot_history(h)
    assert [ax.get_title() for ax in figure.get_axes()] == ["loss", "accuracy"]
    np.testing.assert_allclose(figure.get_axes()[0].get_lines()[0].get_ydata(), h.history["loss"])
    axon.utils.plot_history(h, tmp_path / "fit.png")
    assert_not_blank(read_png(tmp_path / "fit.png"))


def test_plot_history_errors():
    with pytest.raises(TypeError, match="plot_history: history must be a History .* got list"):
        axon.utils.plot_history([1.0, 2.0])
    with pytest.raises(ValueError, match="plot_history: the history is empty"):
        axon.utils.plot_history(History())
    with pytest.raises(ValueError, match="one value per epoch"):
        axon.utils.plot_history({"loss": [1.0, 2.0], "val_loss": [1.0]})


def test_plot_model_png(tmp_path):
    pytest.importorskip("matplotlib")
    model = mlp()
    path = tmp_path / "model.png"
    assert axon.utils.plot_model(model, path) is None  # second positional argument: to_file
    tall = read_png(path)
    assert tall.shape[0] > tall.shape[1] > 300  # four boxes stacked top to bottom at dpi 200
    assert_not_blank(tall)
    axon.utils.plot_model(model, to_file=tmp_path / "wide.png", rankdir="LR", dpi=50)
    wide = read_png(tmp_path / "wide.png")
    assert wide.shape[1] > 3 * wide.shape[0]
    # More lines per box make the picture taller; no shapes or names make it narrower.
    axon.utils.plot_model(model, tmp_path / "more.png", show_dtype=True, show_layer_activations=True,
                          show_trainable=True)
    assert read_png(tmp_path / "more.png").shape[0] > tall.shape[0]
    axon.utils.plot_model(model, tmp_path / "less.png", show_shapes=False, show_layer_names=False)
    assert read_png(tmp_path / "less.png").shape[1] < tall.shape[1]


def test_plot_model_text_in_boxes(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from axon.utils import model_visualization

    drawn = []
    original = model_visualization._draw
    monkeypatch.setattr(model_visualization, "_draw",
                        lambda figure, boxes, rects, size: (drawn.append(boxes), original(figure, boxes, rects, size)))
    axon.utils.plot_model(mlp(), tmp_path / "m.png", show_layer_activations=True)
    assert drawn[0] == [["input_layer (InputLayer)", "Output shape: (None, 784)"],
                        ["dense (Dense)", "Output shape: (None, 32)", "Activation: relu"],
                        ["dropout (Dropout)", "Output shape: (None, 32)"],
                        ["dense_1 (Dense)", "Output shape: (None, 10)", "Activation: softmax"]]


def test_plot_model_errors(tmp_path):
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match="This model has not yet been built"):
        axon.utils.plot_model(axon.Sequential([layers.Dense(2)]), tmp_path / "m.png")
    with pytest.raises(ValueError, match="rankdir must be one of TB, BT, LR, RL, got 'XY'"):
        axon.utils.plot_model(mlp(), tmp_path / "m.png", rankdir="XY")
    with pytest.raises(ValueError, match="Unrecognized keyword arguments: {'colour': 'red'}"):
        axon.utils.plot_model(mlp(), tmp_path / "m.png", colour="red")
