"""Learning-rate schedules (`axon.optimizers.schedules`), Keras 3 names, defaults and formulas.

A schedule is config only: the engine evaluates it from the iteration count at every step
(no Python per batch), and `schedule(step)` asks the same engine code for its value.
Values are computed in float64 (Keras computes in the dtype of initial_learning_rate,
float32 for a Python float), so they agree with Keras to float32 rounding.
"""

import numbers

from axon import _core
from axon.utils import serialization


class LearningRateSchedule:
    _kind = None

    def __call__(self, step):
        return _core.schedule_value(self._spec(), float(step))

    def _params(self):
        raise NotImplementedError

    def _spec(self):
        """(kind, {argument: float}, boundaries, values): what the engine evaluates."""
        return (self._kind, self._params(), [], [])

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override get_config()")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _real(owner, arg, value, positive=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{owner}: Argument `{arg}` must be a number. Received: {arg}={value!r}")
    if positive and value <= 0:
        raise ValueError(f"{owner}: Argument `{arg}` must be > 0. Received: {arg}={value}")
    return value


class _RateDecay(LearningRateSchedule):
    """Arguments shared by ExponentialDecay and InverseTimeDecay."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        owner = type(self).__name__
        self.initial_learning_rate = _real(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _real(owner, "decay_steps", decay_steps, positive=True)
        self.decay_rate = _real(owner, "decay_rate", decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def _params(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": float(self.staircase)}

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_RateDecay):
    """initial_learning_rate * decay_rate ^ (step / decay_steps), floored when staircase."""
    _kind = "exponential_decay"

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)


class InverseTimeDecay(_RateDecay):
    """initial_learning_rate / (1 + decay_rate * step / decay_steps), floored when staircase."""
    _kind = "inverse_time_decay"

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)


class PiecewiseConstantDecay(LearningRateSchedule):
    """values[0] while step <= boundaries[0], values[i] while step <= boundaries[i], then values[-1]."""
    _kind = "piecewise_constant_decay"

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError("PiecewiseConstantDecay: The length of boundaries should be 1 less than the length of "
                             f"values. Received: boundaries={boundaries} of length {len(boundaries)}, and "
                             f"values={values} of length {len(values)}.")
        for b in boundaries:
            _real("PiecewiseConstantDecay", "boundaries", b)
        for v in values:
            _real("PiecewiseConstantDecay", "values", v)
        self.boundaries, self.values, self.name = boundaries, values, name

    def _spec(self):
        return (self._kind, {}, [float(b) for b in self.boundaries], [float(v) for v in self.values])

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """(initial - end) * (1 - step / decay_steps) ^ power + end; `cycle` restarts at multiples."""
    _kind = "polynomial_decay"

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        owner = type(self).__name__
        self.initial_learning_rate = _real(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _real(owner, "decay_steps", decay_steps, positive=True)
        self.end_learning_rate = _real(owner, "end_learning_rate", end_learning_rate)
        self.power = _real(owner, "power", power)
        self.cycle = bool(cycle)
        self.name = name

    def _params(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": float(self.cycle)}

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Optional linear warmup to warmup_target over warmup_steps, then cosine decay to alpha * peak."""
    _kind = "cosine_decay"

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None,
                 warmup_steps=0):
        owner = type(self).__name__
        self.initial_learning_rate = _real(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = _real(owner, "decay_steps", decay_steps, positive=True)
        self.alpha = _real(owner, "alpha", alpha)
        self.name = name
        self.warmup_target = None if warmup_target is None else _real(owner, "warmup_target", warmup_target)
        self.warmup_steps = _real(owner, "warmup_steps", warmup_steps)
        if warmup_steps < 0:
            raise ValueError(f"{owner}: Argument `warmup_steps` must be >= 0. Received: warmup_steps={warmup_steps}")

    def _params(self):
        params = {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                  "alpha": self.alpha, "warmup_steps": self.warmup_steps}
        if self.warmup_target is not None:  # absent means None: no warmup
            params["warmup_target"] = self.warmup_target
        return params

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """SGDR: cosine decay over first_decay_steps, restarts t_mul times longer and m_mul times lower."""
    _kind = "cosine_decay_restarts"

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        owner = type(self).__name__
        self.initial_learning_rate = _real(owner, "initial_learning_rate", initial_learning_rate)
        self.first_decay_steps = _real(owner, "first_decay_steps", first_decay_steps, positive=True)
        self._t_mul = _real(owner, "t_mul", t_mul, positive=True)
        self._m_mul = _real(owner, "m_mul", m_mul)
        self.alpha = _real(owner, "alpha", alpha)
        self.name = name

    def _params(self):
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha}

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_CLASSES = serialization.class_table(ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay,
                                     CosineDecay, CosineDecayRestarts)


def serialize(learning_rate_schedule):
    return serialization.serialize(learning_rate_schedule)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "schedules")
