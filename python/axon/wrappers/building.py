"""Turning the estimator's `model` parameter into a fresh, compiled axon model.

`model` is either a model (cloned, so the estimator's parameter is never trained and
`clone()`/`GridSearchCV` see it unchanged) or a callable. A callable receives, among
X, y, meta, compile_kwargs and params, those its signature names, plus its own routed
keyword arguments.
"""

import contextlib
import inspect
import random

import numpy as np

from axon.utils import rng_utils


def clone_model(model):
    """A new model with `model`'s architecture and compile settings and fresh weights
    (Keras' clone_model re-initializes; so do we, so random_state decides the weights)."""
    from axon.saving import model_io

    clone = type(model).from_config(model.get_config())
    if model.compiled:
        model_io._compile(clone, model_io._compile_config(model))
    return clone


def accepted(fn):
    """(names fn accepts, whether it takes **kwargs)."""
    params = inspect.signature(fn).parameters.values()
    names = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return names, any(p.kind == p.VAR_KEYWORD for p in params)


def call_build_fn(fn, who, context, routed, extra):
    """Calls the user's build function.

    context: {X, y, meta, compile_kwargs, params}, passed where the signature names them;
    routed: arguments the user addressed to the model (model__units, model_kwargs), an
    error if the function cannot take them; extra: unprefixed estimator parameters
    (scikeras' `KerasClassifier(model=f, units=8)`), passed where the signature names them.
    """
    names, var_kw = accepted(fn)
    fn_name = getattr(fn, "__name__", fn)
    takes = ", ".join(sorted(names)) or "no arguments"
    unknown = [k for k in routed if k not in names and not var_kw]
    if unknown:
        raise ValueError(f"{who}: the model function {fn_name!r} does not accept {', '.join(sorted(unknown))}; "
                         f"it takes {takes}")
    unused = [k for k in extra if k not in names and not var_kw]
    if unused:  # a typo would otherwise be silently ignored
        raise ValueError(f"{who}: parameter(s) {', '.join(sorted(unused))} reach nothing: the model function "
                         f"{fn_name!r} takes {takes}; address model.fit, compile or the optimizer with the "
                         "fit__, compile__ or optimizer__ prefix")
    kwargs = {k: v for k, v in context.items() if k in names}
    kwargs.update({k: v for k, v in extra.items() if k in names})
    kwargs.update(routed)
    model = fn(**kwargs)
    if not hasattr(model, "fit") or not hasattr(model, "get_config"):
        raise TypeError(f"{who}: the model function {getattr(fn, '__name__', fn)!r} must return an axon model, "
                        f"got {type(model).__name__}")
    return model


def make_optimizer(optimizer, kwargs, who):
    """An optimizer instance from a name, class or instance, with `optimizer__*` overrides."""
    from axon import optimizers

    if isinstance(optimizer, type):
        return optimizer(**kwargs)
    opt = optimizers.get(optimizer)
    if kwargs:
        try:
            opt = type(opt).from_config({**opt.get_config(), **kwargs})
        except TypeError as e:
            raise ValueError(f"{who}: optimizer__ arguments {sorted(kwargs)} do not fit "
                             f"{type(opt).__name__}: {e}") from e
    return opt


def seed_value(random_state):
    """An int seed from sklearn's random_state conventions, or None for "do not seed"."""
    if random_state is None:
        return None
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    return int(random_state)


@contextlib.contextmanager
def seeded(seed):
    """Runs the block as after axon.utils.set_random_seed(seed), then puts back axon's,
    NumPy's and Python's global generators, so fitting an estimator with random_state does
    not reseed the caller's program. seed None: the block draws from the global stream."""
    if seed is None:
        yield
        return
    saved = (dict(rng_utils._state), np.random.get_state(), random.getstate())
    rng_utils.set_random_seed(seed)
    try:
        yield
    finally:
        rng_utils._state.update(saved[0])
        np.random.set_state(saved[1])
        random.setstate(saved[2])
