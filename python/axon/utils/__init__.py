"""Public helpers, mirroring `keras.utils`."""

from axon import _lazy
from axon.utils.numerical_utils import normalize, to_categorical
from axon.utils.progbar import Progbar
from axon.utils.py_dataset import PyDataset, Sequence
from axon.utils.rng_utils import set_random_seed

# Loaded on first use: the file download and plotting helpers pull in pathlib, tempfile and
# the model-drawing code, a few ms of `import axon` that training code never needs.
__getattr__, __dir__ = _lazy.lazy_attributes(globals(), names_by_module={
    "file_utils": ("get_file",), "history_plot": ("plot_history",), "model_visualization": ("plot_model",)})

__all__ = ["PyDataset", "Progbar", "Sequence", "get_file", "normalize", "plot_history", "plot_model",
           "set_random_seed", "to_categorical"]
