"""Sequential: a stack of layers, the chain special case of the engine's graph."""

from axon import _core, config
from axon._numpy_on_first_use import numpy_on_first_use
from axon.layers.base import Layer, _shape_tuple
from axon.layers.core import InputLayer
from axon.models.training import TrainingMixin, one_call_at_a_time
from axon.utils import naming, summary_utils
from axon.utils.rng_utils import draw_seed

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast


def _layer_entry(layer):
    from axon.saving import registry

    name = registry.get_registered_name(layer)
    return {"module": "axon.layers", "class_name": type(layer).__name__, "config": layer.get_config(),
            "registered_name": None if name == type(layer).__name__ else name}


_CORE_CLASSES = {"float32": _core.Model32, "float64": _core.Model64}


class Sequential(TrainingMixin):
    def __init__(self, layers=None, trainable=True, name=None):
        self.name = name or naming.auto_name("sequential")
        self._trainable = bool(trainable)
        self._layers = []
        self._input_shape = None  # per sample, without the batch axis
        self._core = None
        self._core_compiled = False
        self._set_dtype(config.floatx())
        self._init_training()
        for layer in layers or []:
            self.add(layer)

    # ------------------------------------------------------------------ structure
    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        # As Keras: setting it sets every layer's flag, either way (base_model.trainable = False
        # freezes a pretrained network for transfer learning).
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = self._trainable

    @property
    def layers(self):
        return list(self._layers)

    @one_call_at_a_time
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
        if not self._trainable:  # a frozen model trains none of its layers (Keras: no trainable_weights)
            layer.trainable = False
        if rebuild and self._input_shape is not None:
            self.build()

    @one_call_at_a_time
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

    @one_call_at_a_time
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
        self._build_core()

    def _build_core(self, max_values=None):
        """max_values: refuse before allocating when the parameters need more (loading a file)."""
        if self._core is not None:
            self._invalidate()
        core = _CORE_CLASSES[self._floatx](draw_seed())
        node = -1
        for layer in self._layers:
            node = layer._add_to(core, node)
        if max_values is None:
            core.build(list(self._input_shape))
        else:
            core.build_bounded(list(self._input_shape), int(max_values))
        self._core = core
        for i, layer in enumerate(self._layers):
            layer._attach(core, i)
        if self.compiled:
            self._compile_core()

    def _ensure_built(self, data_shape):
        if self._core is None:
            if self._input_shape is None:
                self._input_shape = _shape_tuple(tuple(data_shape) or (1,),
                                                 f"Sequential '{self.name}': the data's sample shape")
            self.build()

    def _set_dtype(self, floatx):
        """The engine's scalar type; set before the model is built (load_model sets the file's)."""
        self._floatx, self._np_dtype = floatx, np.dtype(floatx)  # the NumPy dtype is cached: fast paths read it

    def _dtype(self):
        return self._np_dtype

    @property
    def input_shape(self):
        return None if self._input_shape is None else (None,) + tuple(self._input_shape)

    @property
    def output_shape(self):
        if not self._layers:  # an Input alone: Keras has no output either
            raise ValueError(f"Sequential '{self.name}' has no layers yet, so no output shape; add a layer first")
        return self._layers[-1].output_shape

    # ------------------------------------------------------------------ weights
    @one_call_at_a_time
    def get_weights(self):
        return [w for layer in self._layers for w in layer.get_weights()]

    @one_call_at_a_time
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

    @one_call_at_a_time
    def count_params(self):
        self._require_built("count_params")
        return sum(layer.count_params() for layer in self._layers)

    def _require_built(self, what):
        if self._core is None:
            raise ValueError(f"{what}: this model has not yet been built. Build the model first by calling "
                             "`build()` or by calling the model on a batch of data.")

    # ------------------------------------------------------------------ summary
    @one_call_at_a_time
    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        self._require_built("summary")
        rows = [(layer.name, type(layer).__name__, layer.output_shape, layer.count_params()) for layer in self._layers]
        trainable = sum(int(np.prod(w.shape, dtype=np.int64)) for w in self.trainable_weights)
        total = self.count_params()
        summary_utils.print_summary(self.name, rows, trainable, total - trainable, line_length=line_length,
                                    positions=positions, print_fn=print_fn,
                                    bytes_per_param=self._dtype().itemsize)

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        """Keras 3's layout: an InputLayer entry first when the input shape is known."""
        layers = [_layer_entry(layer) for layer in self._layers]
        if self._input_shape is not None:
            batch_shape = [None] + list(self._input_shape)
            layers.insert(0, {"module": "axon.layers", "class_name": "InputLayer", "registered_name": None,
                              "config": {"batch_shape": batch_shape, "dtype": self._floatx, "name": "input_layer"}})
        return {"name": self.name, "trainable": self.trainable, "dtype": self._floatx, "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None, build=True):
        """The model `get_config` describes; classes resolve through axon.layers and the
        registry only (axon.saving.register_serializable)."""
        from axon import layers as layers_mod
        from axon.saving import registry

        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError(f"Sequential.from_config: expected a dict with a 'layers' list, got {config!r:.200}")
        builtins = {name: getattr(layers_mod, name) for name in layers_mod.__all__ if name not in ("Input", "Weight", "Layer")}
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        with registry.custom_object_scope(custom_objects):
            for i, entry in enumerate(config["layers"]):
                layer_cls = registry.resolve(entry, builtins, f"Sequential.from_config: layer #{i}", base=Layer)
                if not isinstance(entry.get("config", {}), dict):
                    raise ValueError(f"Sequential.from_config: layer #{i}: 'config' must be a dict")
                model.add(layer_cls.from_config(entry.get("config", {})), rebuild=False)
        if build and model._input_shape is not None:
            model.build()
        return model

    def to_json(self, **kwargs):
        import json

        return json.dumps({"class_name": "Sequential", "config": self.get_config()}, **kwargs)

    @one_call_at_a_time
    def save(self, filepath, overwrite=True, include_optimizer=True):
        from axon import saving

        saving.save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    @one_call_at_a_time
    def save_weights(self, filepath, overwrite=True):
        from axon import saving

        saving.save_weights(self, filepath, overwrite=overwrite)

    @one_call_at_a_time
    def load_weights(self, filepath, skip_mismatch=False):
        from axon import saving

        saving.load_weights(self, filepath, skip_mismatch=skip_mismatch)

    @one_call_at_a_time
    def export(self, filepath, format="onnx", verbose=None, input_signature=None, **kwargs):
        """Writes the model for another runtime; format "onnx" (see axon.export)."""
        from axon.export import export_model

        export_model(self, filepath, format=format, verbose=verbose, input_signature=input_signature, **kwargs)

    @one_call_at_a_time
    def __reduce__(self):
        """pickle / joblib / multiprocessing ship the model as the bytes of a .axon file."""
        from axon.saving import model_io

        return model_io.model_from_bytes, (model_io.model_to_bytes(self),)

    def __repr__(self):
        return f"<Sequential name={self.name}, built={self.built}>"
