"""Public helpers, mirroring `keras.utils`."""

from axon.utils.numerical_utils import normalize, to_categorical
from axon.utils.progbar import Progbar
from axon.utils.py_dataset import PyDataset, Sequence
from axon.utils.rng_utils import set_random_seed

# Loaded on first use: the file download and plotting helpers pull in pathlib, tempfile and
# the model-drawing code, a few ms of `import axon` that training code never needs.
_LAZY = {"get_file": "file_utils", "plot_history": "history_plot", "plot_model": "model_visualization"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"axon.utils.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'axon.utils' has no attribute {name!r}")


__all__ = ["PyDataset", "Progbar", "Sequence", "get_file", "normalize", "plot_history", "plot_model",
           "set_random_seed", "to_categorical"]
