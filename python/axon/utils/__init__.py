"""Public helpers, mirroring `keras.utils`."""

from axon.utils.file_utils import get_file
from axon.utils.history_plot import plot_history
from axon.utils.model_visualization import plot_model
from axon.utils.numerical_utils import normalize, to_categorical
from axon.utils.progbar import Progbar
from axon.utils.py_dataset import PyDataset, Sequence

from axon.utils.rng_utils import set_random_seed
