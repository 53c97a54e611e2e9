"""Input, Dense, Activation, Dropout, Flatten and Reshape."""

from axon import activations, constraints, initializers, regularizers
from axon.layers._sizes import check_int64, is_int, size_int
from axon.layers.base import Layer, _shape_tuple
from axon.utils.rng_utils import resolve_seed


def _reg_spec(reg):
    return None if reg is None else reg.spec()


def _constraint_spec(constraint):
    return None if constraint is None else constraint.spec()


_GETTERS = {"initializer": initializers.get, "regularizer": regularizers.get, "constraint": constraints.get}
_SERIALIZERS = {"initializer": initializers.serialize, "regularizer": regularizers.serialize,
                "constraint": constraints.serialize}


def _set_weight_args(layer, **args):
    """Keras' per-weight arguments (`kernel_initializer=`, `beta_regularizer=`, ...: strings,
    configs or objects) resolved to objects, as attributes of the same names."""
    for key, value in args.items():
        setattr(layer, key, _GETTERS[key.rsplit("_", 1)[1]](value))


def _weight_arg_specs(layer, weights):
    """The initializer, regularizer and constraint of each of `weights` (names such as
    "kernel") as the engine's specs, by the add_* bindings' keywords."""
    specs = {}
    for w in weights:
        specs[f"{w}_initializer"] = getattr(layer, f"{w}_initializer").spec()
        specs[f"{w}_regularizer"] = _reg_spec(getattr(layer, f"{w}_regularizer"))
        specs[f"{w}_constraint"] = _constraint_spec(getattr(layer, f"{w}_constraint"))
    return specs


def _weight_arg_config(layer, weights, regularized=()):
    """Those arguments serialized in Keras' config order: the initializers, the regularizers
    (then those of `regularized`, e.g. "activity"), the constraints; None stays None."""
    config = {}
    for kind, names in (("initializer", weights), ("regularizer", weights + regularized), ("constraint", weights)):
        for w in names:
            value = getattr(layer, f"{w}_{kind}")
            config[f"{w}_{kind}"] = None if value is None else _SERIALIZERS[kind](value)
    return config


def _set_kernel_bias_args(layer, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                          activity_regularizer, kernel_constraint, bias_constraint):
    """The kernel/bias arguments Dense and the convolutions share, resolved to objects."""
    _set_weight_args(layer, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                     kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                     activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                     bias_constraint=bias_constraint)


def _kernel_bias_specs(layer):
    """Those arguments as the engine's specs, by add_dense/add_conv keyword."""
    return dict(_weight_arg_specs(layer, ("kernel", "bias")), activity_regularizer=_reg_spec(layer.activity_regularizer))


def _kernel_bias_config(layer):
    """Those arguments serialized, in Keras' config order."""
    return _weight_arg_config(layer, ("kernel", "bias"), regularized=("activity",))


class InputLayer(Layer):
    """Declares a model's input shape (per sample). Not a computing layer."""

    def __init__(self, shape=None, batch_size=None, dtype=None, name=None, input_shape=None, batch_shape=None,
                 **kwargs):
        if batch_shape is not None:  # Keras 3's config key: (batch_size, *shape)
            if not isinstance(batch_shape, (list, tuple)) or len(batch_shape) < 2:
                raise ValueError(f"Input: batch_shape must be a tuple (batch_size, *shape), got {batch_shape!r}")
            batch_size, shape = batch_shape[0], tuple(batch_shape[1:])
        shape = shape if shape is not None else input_shape
        if shape is None:
            raise ValueError("Input: a shape is required, e.g. Input(shape=(784,))")
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.shape = (batch_size,) + _shape_tuple(shape, "Input: shape")
        self._batch_input_shape = self.shape

    def get_config(self):
        return {"batch_shape": self.shape, "dtype": self.dtype, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, name=None, **kwargs):
    """`axon.Input(shape=(784,))`: the placeholder a Sequential model starts with."""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name, **kwargs)


class _KernelBiasLayer(Layer):
    """A layer whose weights are (kernel, bias): Dense and the convolutions."""

    def _weight_names(self):
        return ["kernel", "bias"]

    @property
    def kernel(self):
        return self.weights[0]

    @property
    def bias(self):
        return self.weights[1] if self.use_bias else None


class Dense(_KernelBiasLayer):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.units = size_int(units, "units", self._where())
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        _set_kernel_bias_args(self, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                              activity_regularizer, kernel_constraint, bias_constraint)

    def _add_to(self, core, input_node):
        return core.add_dense(self.name, self.units, activations.engine_spec(self.activation), self.use_bias,
                              input=input_node, **_kernel_bias_specs(self))

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=activations.serialize(self.activation), use_bias=self.use_bias)
        config.update(_kernel_bias_config(self))
        return config


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def _add_to(self, core, input_node):
        return core.add_activation(self.name, activations.engine_spec(self.activation), None, input_node)

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config


class Dropout(Layer):
    """Inverted dropout: in training, zeroes a `rate` fraction and scales the rest by 1/(1-rate)."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(f"Dropout '{self.name}': rate must be a number in [0, 1), got {rate!r}")
        if noise_shape is not None:
            raise ValueError(f"Dropout '{self.name}': noise_shape is not supported yet")
        self.rate = float(rate)
        self.seed = seed
        self._seed = resolve_seed(seed)  # drawn now, as Keras' SeedGenerator is

    def _add_to(self, core, input_node):
        return core.add_dropout(self.name, self.rate, self._seed, input_node)

    def get_config(self):
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format

    def _add_to(self, core, input_node):
        return core.add_reshape(self.name, [-1], "Flatten", input_node)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            dims = (target_shape,) if is_int(target_shape) else tuple(target_shape)
        except TypeError:  # not iterable: None, a float
            dims = ()
        if not dims or any(not is_int(d) or (d <= 0 and d != -1) for d in dims):
            raise ValueError(f"Reshape '{self.name}': target_shape must be a tuple of positive integers "
                             f"(at most one -1), got {target_shape!r}")
        self.target_shape = tuple(check_int64(d, "target_shape entry", self._where()) for d in dims)

    def _add_to(self, core, input_node):
        return core.add_reshape(self.name, list(self.target_shape), "Reshape", input_node)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
