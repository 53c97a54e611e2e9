"""KerasClassifier / KerasRegressor: the scikeras (and old keras.wrappers) interface.

Parameters reach their destination by prefix, as in scikeras:
  model__units=64        -> the model function's `units` argument
  compile__loss=...      -> model.compile (for a model the function left uncompiled,
  optimizer__learning_rate=...    or to override the compile settings)
  fit__validation_data=  -> model.fit
  predict__batch_size=   -> model.predict
Unprefixed extra parameters (`KerasClassifier(model=f, units=64)`) go to the model
function when it names them.
"""

from axon.wrappers import building
from axon.wrappers.base import ClassifierWrapper, RegressorWrapper

_PREFIXES = ("model__", "fit__", "compile__", "optimizer__", "predict__")


class _ScikerasParams:
    def __init__(self, model=None, *, build_fn=None, warm_start=False, random_state=None, optimizer="rmsprop",
                 loss=None, metrics=None, batch_size=None, validation_batch_size=None, verbose=1, callbacks=None,
                 validation_split=0.0, shuffle=True, epochs=1, class_weight=None, **kwargs):
        self.model = model
        self.build_fn = build_fn
        self.warm_start = warm_start
        self.random_state = random_state
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.validation_batch_size = validation_batch_size
        self.verbose = verbose
        self.callbacks = callbacks
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.epochs = epochs
        self.class_weight = class_weight
        vars(self).update(kwargs)  # routed parameters are attributes too, as in scikeras

    def _extra_names(self):
        """Parameters given through **kwargs or set_params, beyond the signature's."""
        named = set(self._get_param_names())
        return sorted(k for k in vars(self) if k not in named and not k.startswith("_") and not k.endswith("_"))

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        params.update({k: getattr(self, k) for k in self._extra_names()})
        return params

    def set_params(self, **params):
        """Routed (model__units) and extra parameters are set as they are; the rest as usual."""
        plain = {}
        extra = set(self._extra_names())
        for key, value in params.items():
            if key.startswith(_PREFIXES) or key in extra:
                setattr(self, key, value)
            else:
                plain[key] = value
        return super().set_params(**plain) if plain else self

    def _routed(self, prefix):
        return {k[len(prefix):]: getattr(self, k) for k in self._extra_names() if k.startswith(prefix)}

    # ------------------------------------------------------------------ hooks for base.py
    def _model_param(self):
        if self.model is not None and self.build_fn is not None:
            raise ValueError(f"{self._who()}: give either model= or build_fn=, not both")
        return self.model if self.model is not None else self.build_fn

    def _build_kwargs(self):
        extra = {k: getattr(self, k) for k in self._extra_names() if "__" not in k}
        return self._routed("model__"), extra

    def _recompile(self):
        return bool(self._routed("compile__") or self._routed("optimizer__"))

    def _compile_kwargs(self, targets):
        kwargs = {"optimizer": self.optimizer, "loss": self.loss or self._default_loss(targets),
                  "metrics": self.metrics}
        kwargs.update(self._routed("compile__"))
        kwargs["optimizer"] = building.make_optimizer(kwargs["optimizer"], self._routed("optimizer__"),
                                                      self._who())
        return kwargs

    def _fit_settings(self):
        settings = {"epochs": self.epochs, "batch_size": self.batch_size, "verbose": self.verbose,
                    "callbacks": self.callbacks, "validation_split": self.validation_split,
                    "shuffle": self.shuffle, "validation_batch_size": self.validation_batch_size}
        settings.update(self._routed("fit__"))
        return settings

    def _predict_settings(self):
        return {"batch_size": self.batch_size, **self._routed("predict__")}

    def _seed(self):
        return building.seed_value(self.random_state)

    def _class_weight_param(self):
        return self.class_weight


class KerasClassifier(_ScikerasParams, ClassifierWrapper):
    """A scikit-learn classifier around an axon model (scikeras' KerasClassifier)."""

    def _default_loss(self, targets):
        if targets.n_outputs_expected() == 1 or targets.target_type_ == "multilabel-indicator":
            return "binary_crossentropy"
        return "categorical_crossentropy"


class KerasRegressor(_ScikerasParams, RegressorWrapper):
    """A scikit-learn regressor around an axon model (scikeras' KerasRegressor); score is R²."""

    def _default_loss(self, targets):
        return "mean_squared_error"
