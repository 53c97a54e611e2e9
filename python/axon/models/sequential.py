"""Sequential: a stack of layers, the chain special case of the engine's graph."""

import numpy as np

from axon import _core, config
from axon.layers.base import Layer, _shape_tuple
from axon.layers.core import InputLayer
from axon.models.training import TrainingMixin
from axon.utils import naming, summary_utils
from axon.utils.rng_utils import draw_seed

_CORE_CLASSES = {"float32": _core.Model32, "float64": _core.Model64}


class Sequential(TrainingMixin):
    def __init__(self, layers=None, trainable=True, name=None):
        self.name = name or naming.auto_name("sequential")
        self.trainable = trainable
        self._layers = []
        self._input_shape = None  # per sample, without the batch axis
        self._core = None
        self._core_compiled = False
        self._floatx = config.floatx()
        self._np_dtype = np.dtype(self._floatx)
        self._init_training()
        for layer in layers or []:
            self.add(layer)

    # ------------------------------------------------------------------ structure
    @property
    def layers(self):
        return list(self._layers)

    def add(self, layer, rebuild=True):
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError(f"Sequential '{self.name}': an Input can only come first")
            self._input_shape = layer.shape[1:]
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential '{self.name}': expected a Layer instance, got {layer!r} "
                            f"of type {type(layer).__name__}")
        if any(existing is layer for existing in self._layers):
            raise ValueError(f"Sequential '{self.name}': layer '{layer.name}' is already in this model")
        if not self._layers and layer._batch_input_shape is not None and self._input_shape is None:
            self._input_shape = layer._batch_input_shape[1:]
        self._invalidate()
        self._layers.append(layer)
        if rebuild and self._input_shape is not None:
            self.build()

    def pop(self, rebuild=True):
        if not self._layers:
            raise IndexError(f"Sequential '{self.name}': there are no layers to pop")
        self._invalidate()
        layer = self._layers.pop()
        layer._detach()
        if rebuild and self._layers and self._input_shape is not None:
            self.build()
        return layer

    def _invalidate(self):
        """Drops the engine model; layers keep their weights for the rebuild."""
        if self._core is not None:
            for layer in self._layers:
                layer._detach()
        self._core = None
        self._core_compiled = False

    @property
    def built(self):
        return self._core is not None

    def build(self, input_shape=None):
        """input_shape includes the batch axis, as in Keras: build((None, 784))."""
        if input_shape is not None:
            dims = tuple(input_shape)
            self._input_shape = _shape_tuple(dims[1:], f"Sequential '{self.name}': build input_shape")
        if self._input_shape is None:
            raise ValueError(f"Sequential '{self.name}': cannot build without an input shape; pass "
                             "input_shape=... to the first layer, start with axon.Input(shape), or call build()")
        if not self._layers:
            raise ValueError(f"Sequential '{self.name}': cannot build a model with no layers")
        if self._core is not None:
            self._invalidate()
        core = _CORE_CLASSES[self._floatx](draw_seed())
        node = -1
        for layer in self._layers:
            node = layer._add_to(core, node)
        core.build(list(self._input_shape))
        self._core = core
        for i, layer in enumerate(self._layers):
            layer._attach(core, i)
        if self.compiled:
            self._compile_core()

    def _ensure_built(self, data_shape):
        if self._core is None:
            if self._input_shape is None:
                self._input_shape = tuple(int(d) for d in data_shape) or (1,)
            self.build()

    def _dtype(self):
        return self._np_dtype

    @property
    def input_shape(self):
        return None if self._input_shape is None else (None,) + tuple(self._input_shape)

    @property
    def output_shape(self):
        return self._layers[-1].output_shape

    # ------------------------------------------------------------------ weights
    def get_weights(self):
        return [w for layer in self._layers for w in layer.get_weights()]

    def set_weights(self, weights):
        weights = list(weights)
        expected = sum(len(layer.get_weights()) for layer in self._layers)
        if len(weights) != expected:
            raise ValueError(f"Sequential '{self.name}': set_weights expected {expected} arrays, got {len(weights)}")
        i = 0
        for layer in self._layers:
            n = len(layer._param_ids)
            layer.set_weights(weights[i:i + n])
            i += n

    @property
    def weights(self):
        return [w for layer in self._layers for w in layer.weights]

    @property
    def trainable_weights(self):
        return [w for layer in self._layers for w in layer.trainable_weights]

    @property
    def non_trainable_weights(self):
        return [w for layer in self._layers for w in layer.non_trainable_weights]

    def count_params(self):
        self._require_built("count_params")
        return sum(layer.count_params() for layer in self._layers)

    def _require_built(self, what):
        if self._core is None:
            raise ValueError(f"{what}: this model has not yet been built. Build the model first by calling "
                             "`build()` or by calling the model on a batch of data.")

    # ------------------------------------------------------------------ summary
    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        self._require_built("summary")
        rows = [(layer.name, type(layer).__name__, layer.output_shape, layer.count_params()) for layer in self._layers]
        trainable = sum(layer.count_params() for layer in self._layers if layer.trainable)
        total = self.count_params()
        summary_utils.print_summary(self.name, rows, trainable, total - trainable, line_length=line_length,
                                    positions=positions, print_fn=print_fn,
                                    bytes_per_param=self._dtype().itemsize)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                "layers": [{"class_name": type(layer).__name__, "config": layer.get_config()}
                           for layer in self._layers]}

    def __repr__(self):
        return f"<Sequential name={self.name}, built={self.built}>"
