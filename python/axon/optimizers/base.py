"""The base optimizer: Keras 3's arguments (learning rate or schedule, weight_decay,
clipnorm, clipvalue, global_clipnorm) and the link to the engine.

An optimizer object holds its config until compile() attaches it to a model; from then on
the engine holds the state (slots in the parameter arena, the iteration count, the
schedule) and `learning_rate` reads the engine's current value.
"""

import numbers
import re

from axon.optimizers import schedules as schedules_mod

_UNSUPPORTED = {"use_ema": False, "loss_scale_factor": None, "gradient_accumulation_steps": None}


def _number(owner, arg, value, minimum=0.0):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{owner}: {arg} must be a number, got {value!r}")
    value = float(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{owner}: {arg} must be >= {minimum:g}, got {value:g}")
    return value


class Optimizer:
    _core_name = None

    def __init__(self, learning_rate=0.001, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        owner = type(self).__name__
        kwargs.pop("decay", None)  # Keras 3 ignores the legacy `decay` (with a warning)
        if kwargs:
            raise ValueError(f"{owner}: Argument(s) not recognized: {kwargs}")
        given = {"use_ema": use_ema, "loss_scale_factor": loss_scale_factor,
                 "gradient_accumulation_steps": gradient_accumulation_steps}
        unsupported = sorted(k for k, v in given.items() if v != _UNSUPPORTED[k])
        if unsupported:
            raise ValueError(f"{owner}: {', '.join(unsupported)} not supported yet")
        clips = {"clipnorm": clipnorm, "clipvalue": clipvalue, "global_clipnorm": global_clipnorm}
        if sum(v is not None for v in clips.values()) > 1:
            raise ValueError(f"{owner}: Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                             f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        self.name = name or owner.lower()
        self.weight_decay = None if weight_decay is None else _number(owner, "weight_decay", weight_decay)
        self.clipnorm, self.clipvalue, self.global_clipnorm = (
            None if v is None else _number(owner, k, v) for k, v in clips.items())
        self.use_ema, self.ema_momentum, self.ema_overwrite_frequency = use_ema, ema_momentum, ema_overwrite_frequency
        self.loss_scale_factor, self.gradient_accumulation_steps = loss_scale_factor, gradient_accumulation_steps
        self._learning_rate = self._check_learning_rate(learning_rate)
        self._own_keys = []
        self._exclude_ids, self._exclude_pattern = [], None
        self._core = None

    def _own(self, **values):
        """Records the optimizer's own arguments (sent to the engine and to get_config)."""
        for key, value in values.items():
            if isinstance(value, bool) or key in ("nesterov", "amsgrad", "centered"):
                value = bool(value)
            else:
                value = _number(type(self).__name__, key, value, minimum=None)
            setattr(self, key, value)
            self._own_keys.append(key)

    def _check_learning_rate(self, value):
        if isinstance(value, schedules_mod.LearningRateSchedule):
            return value
        if callable(value):
            raise ValueError(f"{type(self).__name__}: learning_rate as a plain callable is not supported; "
                             "use a float or an axon.optimizers.schedules.LearningRateSchedule")
        return _number(type(self).__name__, "learning_rate", value)

    # --- state shared with the engine once compiled ---
    @property
    def learning_rate(self):
        """The rate of the next step: the schedule's value at `iterations`, or the constant."""
        if self._core is not None:
            return self._core.learning_rate
        if isinstance(self._learning_rate, schedules_mod.LearningRateSchedule):
            return self._learning_rate(0)
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        if not isinstance(value, schedules_mod.LearningRateSchedule) and isinstance(
                self._learning_rate, schedules_mod.LearningRateSchedule):
            raise TypeError("This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
                            "constructor argument, hence its learning rate is not settable. If you need the "
                            "learning rate to be settable, you should instantiate the optimizer with a float "
                            "`learning_rate` argument.")
        self._learning_rate = self._check_learning_rate(value)
        if self._core is not None:
            self._send_learning_rate(self._core)

    @property
    def iterations(self):
        return self._core.iterations if self._core is not None else 0

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts weights from weight decay: those in var_list, and any whose name contains
        (re.search) one of var_names, e.g. var_names=["bias"]."""
        if self._core is not None:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the optimizer is built.")
        for w in var_list or []:
            if not hasattr(w, "_id"):
                raise ValueError(f"exclude_from_weight_decay: var_list must hold layer weights, got {w!r}")
        self._exclude_ids = list(var_list or [])
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None

    def _send_learning_rate(self, core):
        if isinstance(self._learning_rate, schedules_mod.LearningRateSchedule):
            core.set_learning_rate_schedule(self._learning_rate._spec())
        else:
            core.learning_rate = self._learning_rate

    def _attach(self, core):
        self._send_learning_rate(core)
        if self._exclude_ids or self._exclude_pattern is not None:
            excluded = {w._id for w in self._exclude_ids}
            pattern = self._exclude_pattern
            core.set_weight_decay_mask([
                i not in excluded and (pattern is None or pattern.search(core.param_name(i)) is None)
                for i in range(core.num_params)])
        self._core = core

    def _schedule_spec(self):
        lr = self._learning_rate
        return lr._spec() if isinstance(lr, schedules_mod.LearningRateSchedule) else None

    def _core_config(self):
        lr = self._learning_rate
        config = {"learning_rate": 0.0 if isinstance(lr, schedules_mod.LearningRateSchedule) else lr}
        for key in ("weight_decay", "clipnorm", "clipvalue", "global_clipnorm"):
            if getattr(self, key) is not None:  # absent is Keras' None
                config[key] = getattr(self, key)
        for key in self._own_keys:
            config[key] = float(getattr(self, key))
        return config

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, schedules_mod.LearningRateSchedule):
            lr = schedules_mod.serialize(lr)
        elif self._core is not None:
            lr = self._core.learning_rate
        config = {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                  "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
                  "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                  "ema_overwrite_frequency": self.ema_overwrite_frequency,
                  "loss_scale_factor": self.loss_scale_factor,
                  "gradient_accumulation_steps": self.gradient_accumulation_steps}
        config.update({key: getattr(self, key) for key in self._own_keys})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules_mod.deserialize(config["learning_rate"])
        return cls(**config)
