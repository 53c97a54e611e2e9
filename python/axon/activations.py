"""Activation functions (`axon.activations`), computed by the engine's kernels.

Every function takes an array (any shape) and returns float64 values equal to what the
engine computes inside a layer, with Keras 3 names, signatures and defaults. Anywhere
`activation=` is taken, a name string, one of these functions, or a
`functools.partial` of one with its keyword arguments (e.g.
`partial(activations.relu, max_value=6.0)`) may be given.

`step` is the binary step (Heaviside) function of the course material; see its docstring
for its gradient.
"""

import functools

from axon import _core
from axon._numpy_on_first_use import numpy_on_first_use

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast

# The engine's (a, b, c) slots per name, in order, and which names take an axis.
# (See ActivationSpec in cpp/kernels/activation_kind.hpp.)
_NUMBERS = {
    "relu": ("negative_slope", "max_value", "threshold"),
    "leaky_relu": ("negative_slope",),
    "elu": ("alpha",),
    "celu": ("alpha",),
    "gelu": ("approximate",),
    "hard_shrink": ("threshold",),
    "soft_shrink": ("threshold",),
    "squareplus": ("b",),
    "threshold": ("threshold", "default_value"),
}
_AXIS = ("softmax", "log_softmax", "sparsemax", "glu")


def _spec(name, kwargs):
    """(name, a, b, c, axis) for the engine; None keeps the engine's Keras default."""
    numbers = [None, None, None]
    for i, key in enumerate(_NUMBERS.get(name, ())):
        value = kwargs.get(key)
        if value is not None:
            numbers[i] = float(value)
    axis = kwargs.get("axis") if name in _AXIS else None
    if axis is not None and (isinstance(axis, bool) or not isinstance(axis, (int, np.integer))):
        raise ValueError(f"activation {name}: axis must be an integer, got {axis!r}")
    return (name, *numbers, None if axis is None else int(axis))


def _apply(name, x, **kwargs):
    x = np.ascontiguousarray(x, dtype=np.float64)
    spec = _spec(name, kwargs)
    if x.ndim == 0:
        return _core.activation(spec, x.reshape(1))[0]
    return _core.activation(spec, x)


def celu(x, alpha=1.0):
    """max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))."""
    return _apply("celu", x, alpha=alpha)


def elu(x, alpha=1.0):
    """x if x > 0, else alpha * (exp(x) - 1)."""
    return _apply("elu", x, alpha=alpha)


def exponential(x):
    return _apply("exponential", x)


def gelu(x, approximate=False):
    """0.5 x (1 + erf(x / sqrt(2))); with approximate, the tanh form 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    return _apply("gelu", x, approximate=bool(approximate))


def glu(x, axis=-1):
    """a * sigmoid(b), where a and b are the two halves of x along axis (whose size must be even)."""
    return _apply("glu", x, axis=axis)


def hard_shrink(x, threshold=0.5):
    """x if |x| > threshold, else 0."""
    return _apply("hard_shrink", x, threshold=threshold)


def hard_sigmoid(x):
    """relu6(x + 3) / 6 (Keras 3's definition)."""
    return _apply("hard_sigmoid", x)


def hard_silu(x):
    """x * relu6(x + 3) / 6."""
    return _apply("hard_silu", x)


hard_swish = hard_silu


def hard_tanh(x):
    """clip(x, -1, 1)."""
    return _apply("hard_tanh", x)


def leaky_relu(x, negative_slope=0.2):
    return _apply("leaky_relu", x, negative_slope=negative_slope)


def linear(x):
    return _apply("linear", x)


def log_sigmoid(x):
    """log(sigmoid(x)) = -softplus(-x)."""
    return _apply("log_sigmoid", x)


def log_softmax(x, axis=-1):
    return _apply("log_softmax", x, axis=axis)


def mish(x):
    """x * tanh(softplus(x))."""
    return _apply("mish", x)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Keras' relu: x for x > threshold (clipped to [0, max_value] when given), else 0,
    minus negative_slope * max(threshold - x, 0)."""
    _check_kwargs("relu", {"max_value": max_value})
    return _apply("relu", x, negative_slope=negative_slope, max_value=max_value, threshold=threshold)


def relu6(x):
    return _apply("relu6", x)


def selu(x):
    """scale * elu(x, alpha) with alpha = 1.67326324..., scale = 1.05070098...."""
    return _apply("selu", x)


def sigmoid(x):
    return _apply("sigmoid", x)


def silu(x):
    """x * sigmoid(x) (also called swish)."""
    return _apply("silu", x)


swish = silu


def soft_shrink(x, threshold=0.5):
    """x - threshold if x > threshold, x + threshold if x < -threshold, else 0."""
    return _apply("soft_shrink", x, threshold=threshold)


def softmax(x, axis=-1):
    return _apply("softmax", x, axis=axis)


def softplus(x):
    """log(1 + exp(x)), computed without overflow."""
    return _apply("softplus", x)


def softsign(x):
    """x / (1 + |x|)."""
    return _apply("softsign", x)


def sparse_plus(x):
    """0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1."""
    return _apply("sparse_plus", x)


def sparsemax(x, axis=-1):
    """The Euclidean projection of x onto the probability simplex along axis (sparse outputs)."""
    return _apply("sparsemax", x, axis=axis)


def squareplus(x, b=4):
    """(x + sqrt(x^2 + b)) / 2."""
    return _apply("squareplus", x, b=b)


def tanh(x):
    return _apply("tanh", x)


def tanh_shrink(x):
    """x - tanh(x)."""
    return _apply("tanh_shrink", x)


def threshold(x, threshold, default_value):
    """x if x > threshold, else default_value."""
    return _apply("threshold", x, threshold=threshold, default_value=default_value)


def step(x):
    """Binary step (Heaviside): 1 for x >= 0, else 0.

    Its true derivative is zero almost everywhere, which would stop all learning before it,
    so the engine's backward uses a straight-through estimator: the gradient passes through
    unchanged (as if the step were the identity). Finite differences therefore do not match
    it, by design.
    """
    return _apply("step", x)


_FUNCTIONS = {fn.__name__: fn for fn in (
    celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_tanh, leaky_relu, linear,
    log_sigmoid, log_softmax, mish, relu, relu6, selu, sigmoid, silu, soft_shrink, softmax, softplus, softsign,
    sparse_plus, sparsemax, squareplus, tanh, tanh_shrink, threshold, step)}
_ALIASES = {"swish": silu, "hard_swish": hard_silu}
# Names that cannot be used without arguments (Keras requires them too).
_REQUIRED = {"threshold": ("threshold", "default_value")}


def _lookup(name):
    fn = _FUNCTIONS.get(name) or _ALIASES.get(name)
    if fn is None:
        raise ValueError(f"activation: unknown activation {name!r}; expected None, an axon.activations "
                         f"function or a name. Valid names: {', '.join(sorted(list(_FUNCTIONS) + list(_ALIASES)))}")
    return fn


def _check_kwargs(name, kwargs):
    allowed = set(_NUMBERS.get(name, ())) | ({"axis"} if name in _AXIS else set())
    unknown = set(kwargs) - allowed
    if unknown:
        raise ValueError(f"activation {name}: unexpected argument(s) {', '.join(sorted(unknown))}")
    missing = [k for k in _REQUIRED.get(name, ()) if kwargs.get(k) is None]
    if missing:
        raise ValueError(f"activation {name}: needs {', '.join(missing)}; pass "
                         f"functools.partial(axon.activations.{name}, {', '.join(k + '=...' for k in missing)})")
    if name == "relu" and kwargs.get("max_value") is not None and kwargs["max_value"] < 0:
        raise ValueError(f"activation relu: max_value must be >= 0, got {kwargs['max_value']!r}")


def _split(fn):
    """(engine name, keyword arguments) of one of this module's functions or a partial of one."""
    kwargs = {}
    if isinstance(fn, functools.partial):
        if fn.args:
            raise ValueError(f"activation: pass the arguments of {fn.func.__name__} by keyword, got {fn.args!r}")
        kwargs = dict(fn.keywords)
        fn = fn.func
    if getattr(fn, "__module__", None) != __name__ or _FUNCTIONS.get(getattr(fn, "__name__", None)) is not fn:
        raise ValueError(f"activation: {fn!r} is not an axon activation; the engine runs only the built-in "
                         f"activations (by name, function, or functools.partial of one)")
    _check_kwargs(fn.__name__, kwargs)
    return fn.__name__, kwargs


def engine_spec(activation):
    """The (name, a, b, c, axis) tuple the engine takes, for anything get() accepts."""
    name, kwargs = _split(get(activation))
    return _spec(name, kwargs)


def get(identifier):
    """The activation function for `identifier`: None (linear), a name, a serialized dict,
    one of this module's functions, or a functools.partial of one. Raises ValueError otherwise."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        fn = _lookup(identifier)
        _check_kwargs(fn.__name__, {})
        return fn
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        _split(identifier)  # validates
        return identifier
    raise ValueError(f"activation: unknown activation {identifier!r}; expected None, a name or an "
                     f"axon.activations function")


def serialize(activation):
    """A name for a plain activation; {"class_name": "function", "config": name, "kwargs": ...}
    for one with arguments."""
    name, kwargs = _split(get(activation))
    if not kwargs:
        return name
    return {"module": "axon.activations", "class_name": "function", "config": name, "kwargs": dict(kwargs)}


def deserialize(config):
    """The inverse of serialize."""
    if isinstance(config, str):
        return get(config)
    if isinstance(config, dict) and isinstance(config.get("config"), str):
        fn = _lookup(config["config"])
        kwargs = dict(config.get("kwargs") or {})
        if not kwargs:
            return get(fn.__name__)
        partial = functools.partial(fn, **kwargs)
        _split(partial)
        return partial
    raise ValueError(f"activations.deserialize: expected a name or a serialized activation dict, got {config!r}")

