"""The Python side of a layer: config, names, and views of its weights in the engine.

A layer is created from config only. When its model is built, `_add_to(core, input)`
creates the C++ layer; from then on the weights live in the engine's arena and
get_weights/set_weights copy through it.
"""

from axon._numpy_on_first_use import numpy_on_first_use
from axon.layers._sizes import check_sample_shape, is_int
from axon.utils import naming

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast


class Weight:
    """A handle on one parameter in the engine (what Keras calls a Variable)."""

    def __init__(self, layer, index, name):
        self._layer, self._index, self.name = layer, index, name

    @property
    def _id(self):
        return self._layer._param_ids[self._index]

    @property
    def shape(self):
        return tuple(self._layer._core.param_shape(self._id))

    @property
    def trainable(self):
        return self._layer._weight_trainable(self._index)

    def numpy(self):
        return self._layer._core.get_param(self._id)

    def assign(self, value):
        self._layer._set_param(self._index, value)

    def __array__(self, dtype=None, copy=None):
        values = self.numpy()
        return values if dtype is None else values.astype(dtype)

    def __repr__(self):
        return f"<Weight path={self._layer.name}/{self.name}, shape={self.shape}>"


class Layer:
    _default_name = None  # snake_case of the class name unless set
    _frozen_weights = ()  # names of weights the optimizer never updates (BatchNormalization's moving stats)

    def __init__(self, name=None, trainable=True, dtype=None, input_shape=None, input_dim=None, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unexpected keyword argument(s) {', '.join(sorted(kwargs))}")
        if name is not None and not isinstance(name, str):  # as Keras; the engine takes names as strings
            raise ValueError(f"{type(self).__name__}: name must be a string, got {name!r}")
        self.name = name or naming.auto_name(self._default_name or naming.to_snake_case(type(self).__name__))
        self.dtype = dtype
        self._trainable = bool(trainable)
        self._batch_input_shape = None
        if input_shape is not None:
            self._batch_input_shape = (None,) + _shape_tuple(input_shape, f"{self._where()}: input_shape")
        elif input_dim is not None:
            self._batch_input_shape = (None,) + _shape_tuple((input_dim,), f"{self._where()}: input_dim")
        self._core = None
        self._node = None
        self._param_ids = []
        self._pending_weights = None  # kept across a rebuild of the model (add/pop)

    def _where(self):
        """How error messages name this layer: "Dense 'dense_1'"."""
        return f"{type(self).__name__} '{self.name}'"

    # --- subclasses implement ---
    def _add_to(self, core, input_node):
        """Creates the C++ layer reading `input_node`; returns its node id."""
        raise NotImplementedError

    def _weight_names(self):
        return []

    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        batch_input_shape = config.pop("batch_input_shape", None)
        if batch_input_shape is not None:
            config["input_shape"] = tuple(batch_input_shape[1:])
        return cls(**config)

    # --- engine binding ---
    def _attach(self, core, node):
        self._core, self._node = core, node
        self._param_ids = list(core.layer_param_ids(node))
        self._push_trainable()
        if self._pending_weights is not None:
            self.set_weights(self._pending_weights)
            self._pending_weights = None

    def _detach(self):
        if self._core is not None:
            self._pending_weights = self.get_weights()
        self._core, self._node, self._param_ids = None, None, []

    @property
    def built(self):
        return self._core is not None

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        if self._core is not None:
            self._push_trainable()

    def _weight_trainable(self, index):
        names = self._weight_names()  # a custom layer may not name its weights
        return self._trainable and (index >= len(names) or names[index] not in self._frozen_weights)

    def _push_trainable(self):
        """Tells the engine which parameters the optimizer updates, and the layer whether it
        is frozen (a frozen BatchNormalization runs in inference mode, as in Keras)."""
        for i, pid in enumerate(self._param_ids):
            self._core.set_param_trainable(pid, self._weight_trainable(i))
        self._core.set_layer_trainable(self._node, self._trainable)

    @property
    def output_shape(self):
        if self._core is None:
            raise ValueError(f"Layer '{self.name}' has no defined output shape yet: it is not built.")
        return (None,) + tuple(self._core.output_shape(self._node))

    @property
    def weights(self):
        return [Weight(self, i, n) for i, n in enumerate(self._weight_names()[: len(self._param_ids)])]

    @property
    def trainable_weights(self):
        return [w for w in self.weights if w.trainable]

    @property
    def non_trainable_weights(self):
        return [w for w in self.weights if not w.trainable]

    def get_weights(self):
        if self._core is None:
            return list(self._pending_weights or [])
        return [self._core.get_param(pid) for pid in self._param_ids]

    def set_weights(self, weights):
        weights = list(weights)
        if self._core is None:
            raise ValueError(f"Layer '{self.name}': set_weights needs a built layer (build the model first)")
        if len(weights) != len(self._param_ids):
            raise ValueError(
                f"Layer '{self.name}': set_weights expected a list of {len(self._param_ids)} arrays, got {len(weights)}"
            )
        for i, w in enumerate(weights):
            self._set_param(i, w)

    def _set_param(self, index, value):
        pid = self._param_ids[index]
        from axon.models.data import check_real_dtype  # here: axon.models imports the layers

        expected = tuple(self._core.param_shape(pid))
        value = np.asarray(value)
        check_real_dtype(value, f"Layer '{self.name}': weight '{self._weight_names()[index]}'")
        if value.shape != expected:
            raise ValueError(
                f"Layer '{self.name}': weight '{self._weight_names()[index]}' expects shape {expected}, "
                f"got {value.shape}"
            )
        self._core.set_param(pid, value)

    def count_params(self):
        if self._core is None:
            raise ValueError(f"Layer '{self.name}': count_params needs a built layer")
        return int(sum(np.prod(self._core.param_shape(pid), dtype=np.int64) for pid in self._param_ids))

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _shape_tuple(shape, what):
    if is_int(shape):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(f"{what}: expected a tuple of positive integers, got {shape!r}") from None
    for d in dims:
        if not is_int(d) or d <= 0:
            raise ValueError(f"{what}: expected a tuple of positive integers, got {shape!r}")
    check_sample_shape(dims, what)
    return tuple(int(d) for d in dims)
