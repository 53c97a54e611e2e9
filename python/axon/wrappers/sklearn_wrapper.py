"""SKLearnClassifier / SKLearnRegressor: Keras 3's `keras.wrappers` interface.

`model` is a compiled model (cloned, with fresh weights, before each fit unless
warm_start) or a function `model(X, y, **model_kwargs)` returning a compiled model;
`fit_kwargs` go to the model's fit. There is no random_state: seed inside the model
function (axon.utils.set_random_seed) for reproducible fits, as with Keras.
"""

from axon.wrappers.base import ClassifierWrapper, RegressorWrapper


class _Keras3Params:
    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _model_param(self):
        return self.model

    def _build_kwargs(self):
        return dict(self.model_kwargs or {}), {}

    def _compile_kwargs(self, targets):
        return None  # Keras 3 requires the model to come compiled

    def _fit_settings(self):
        return dict(self.fit_kwargs or {})

    def _predict_settings(self):
        batch_size = (self.fit_kwargs or {}).get("batch_size")
        return {} if batch_size is None else {"batch_size": batch_size}


class SKLearnClassifier(_Keras3Params, ClassifierWrapper):
    """Keras 3's scikit-learn classifier wrapper."""


class SKLearnRegressor(_Keras3Params, RegressorWrapper):
    """Keras 3's scikit-learn regressor wrapper."""
