"""What every axon estimator does: validate, build (seeded), encode targets, fit, predict.

A family (scikeras.py, sklearn_wrapper.py) supplies where settings come from:
  _model_param()           the model or model function
  _build_kwargs()          (routed arguments, unprefixed extras) for the model function
  _compile_kwargs(targets) compile() arguments for an uncompiled model, or None
  _fit_settings()          model.fit keyword arguments
  _predict_settings()      model.predict keyword arguments
  _seed(), _class_weight_param()
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from axon.wrappers import building
from axon.wrappers.targets import ClassifierTargets, RegressorTargets

_ROW_BLOCK = 16  # a multiple of the kernels' row block on AVX2 and AVX-512


class BaseWrapper(BaseEstimator):
    _targets_class = None

    def _who(self):
        return type(self).__name__

    def _seed(self):
        return None

    def _class_weight_param(self):
        return None

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, **kwargs):
        """Fits a fresh model (or, with warm_start, keeps training the fitted one).

        kwargs go to the model's fit (sample_weight, validation_data, ...). sample_weight is
        accepted here, not named in the signature: like Keras 3's wrappers, and so
        scikit-learn does not demand that weight 2 equal a duplicated row, which no
        minibatch-SGD learner gives exactly."""
        warm = getattr(self, "warm_start", False) and hasattr(self, "model_")
        return self._fit(X, y, kwargs, reset=not warm)

    def partial_fit(self, X, y, **kwargs):
        """One epoch on (X, y), starting from the fitted model if there is one."""
        return self._fit(X, y, kwargs, reset=not hasattr(self, "model_"), epochs=1)

    def _fit(self, X, y, kwargs, reset, epochs=None, classes=None):
        X, y = validate_data(self, X, y, reset=reset, multi_output=True, dtype="numeric",
                             y_numeric=isinstance(self, RegressorMixin))
        y = self._check_y(y)
        if not reset:
            self._train(self.model_, X, y, self.target_encoder_, kwargs, epochs)
            return self
        targets = self._targets_class(self._who()).fit(y, classes)
        with building.seeded(self._seed()):
            model = self._new_model(X, y, targets)
            self.history_ = {}
            self._train(model, X, y, targets, kwargs, epochs)
        self._set_meta(X, targets)
        self.model_ = model
        self.target_encoder_ = targets
        return self

    def _check_y(self, y):
        return y

    def _meta(self, X, targets):
        meta = {"n_features_in_": X.shape[1], "X_dtype_": X.dtype, "X_shape_": X.shape,
                "target_type_": targets.target_type_, "y_dtype_": targets.y_dtype_,
                "n_outputs_expected_": targets.n_outputs_expected()}
        for name in ("classes_", "n_classes_", "n_outputs_", "y_ndim_"):
            if hasattr(targets, name):
                meta[name] = getattr(targets, name)
        meta.setdefault("n_outputs_", 1)
        if hasattr(self, "feature_names_in_"):
            meta["feature_names_in_"] = self.feature_names_in_
        return meta

    def _set_meta(self, X, targets):
        for name, value in self._meta(X, targets).items():
            setattr(self, name, value)

    def _new_model(self, X, y, targets):
        who = self._who()
        param = self._model_param()
        if param is None:
            raise ValueError(f"{who}: `model` must be given: a compiled axon model, or a function returning one")
        compile_kwargs = self._compile_kwargs(targets)
        if hasattr(param, "get_config"):  # a model instance (Sequential is callable too: test this first)
            model = building.clone_model(param)
        elif callable(param):
            context = {"X": X, "y": targets.one_hot(y), "meta": self._meta(X, targets),
                       "compile_kwargs": compile_kwargs, "params": self.get_params()}
            routed, extra = self._build_kwargs()
            model = building.call_build_fn(param, who, context, routed, extra)
        else:
            raise TypeError(f"{who}: model must be an axon model or a callable returning one, got "
                            f"{type(param).__name__}")
        if not model.built:
            model.build((None,) + X.shape[1:])
        if tuple(model.input_shape[1:]) != X.shape[1:]:
            raise ValueError(f"{who}: the model expects inputs of shape {model.input_shape[1:]}, but X has "
                             f"{X.shape[1]} features")
        if not model.compiled or self._recompile():
            if compile_kwargs is None:
                raise ValueError(f"{who}: the model must be compiled (model.compile(optimizer, loss)) before it "
                                 "is given to the estimator")
            model.compile(**compile_kwargs)
        return model

    def _recompile(self):
        return False

    def _train(self, model, X, y, targets, kwargs, epochs):
        sparse = "sparse" in (model.loss._core_name or "")
        y_fit = targets.encode(y, model.output_shape[-1], sparse)
        fit_kwargs = {**self._fit_settings(), **kwargs}
        if epochs is not None:
            fit_kwargs["epochs"] = epochs
        class_weight = self._class_weight_param()
        if class_weight is not None:  # keys are labels as in y, or "balanced", as in scikit-learn
            weights = compute_sample_weight(class_weight, y)
            given = fit_kwargs.get("sample_weight")
            fit_kwargs["sample_weight"] = weights if given is None else weights * np.asarray(given)
        history = model.fit(X, y_fit, **fit_kwargs)
        for key, values in history.history.items():
            self.history_.setdefault(key, []).extend(values)

    # ------------------------------------------------------------------ predict
    def _outputs(self, X):
        check_is_fitted(self, "model_")
        X = validate_data(self, X, reset=False, dtype="numeric")
        settings = {"verbose": 0, **self._predict_settings()}
        # The engine's matrix kernels work on row blocks, and a row in a partial block is
        # summed in another order (last-bit differences). Padding every batch to whole
        # blocks makes a sample's prediction independent of what it is batched with, which
        # scikit-learn checks (predicting a subset gives the same values).
        batch = -(-(settings.get("batch_size") or 32) // _ROW_BLOCK) * _ROW_BLOCK
        n = X.shape[0]
        padded = -(-n // _ROW_BLOCK) * _ROW_BLOCK
        if padded != n:
            X = np.concatenate([X, np.zeros((padded - n,) + X.shape[1:], X.dtype)])
        return self.model_.predict(X, **{**settings, "batch_size": batch})[:n]

    def predict(self, X):
        raw = self._predict_raw(X)  # checks first that the estimator is fitted
        return self.target_encoder_.decode(raw)

    def _predict_raw(self, X):
        return self._outputs(X)


class ClassifierWrapper(ClassifierMixin, BaseWrapper):
    _targets_class = ClassifierTargets

    def partial_fit(self, X, y, classes=None, **kwargs):
        """One epoch; `classes` (all labels, needed when a batch lacks some) on the first call."""
        return self._fit(X, y, kwargs, reset=not hasattr(self, "model_"), epochs=1, classes=classes)

    def _check_y(self, y):
        if y.ndim == 2 and y.shape[1] == 1:  # warns as scikit-learn's classifiers do
            y = column_or_1d(y, warn=True)
        return y

    def _predict_raw(self, X):
        return self.predict_proba(X)

    def predict_proba(self, X):
        """(n_samples, n_classes) probabilities; for multilabel targets one per label."""
        out = self._outputs(X)  # checks first that the estimator is fitted
        return self.target_encoder_.proba(out)


class RegressorWrapper(RegressorMixin, BaseWrapper):
    _targets_class = RegressorTargets

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
