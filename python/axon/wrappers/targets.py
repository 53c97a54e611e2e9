"""Targets as scikit-learn gives them <-> arrays the network trains on.

Classifier targets: labels of any type (strings, ints), binary or multiclass, a one-hot
matrix, or a multilabel indicator matrix. The network's output width decides the
encoding (1 unit: a 0/1 column for a sigmoid; n_classes units: one-hot for a softmax, or
class indices when the loss is sparse), so one model function serves every target.
"""

import numpy as np
from sklearn.utils.multiclass import check_classification_targets, type_of_target


class ClassifierTargets:
    def __init__(self, who):
        self.who = who

    def fit(self, y, classes=None):
        """Learns target_type_ and classes_ from y (or from partial_fit's `classes`)."""
        check_classification_targets(y)
        kind = type_of_target(y)
        if kind == "multilabel-indicator":
            y = np.asarray(y)
            kind = "multiclass-onehot" if np.all(y.sum(axis=1) == 1) else kind
            self.classes_ = np.arange(y.shape[1])
        elif kind in ("binary", "multiclass"):
            self.classes_ = np.unique(y if classes is None else np.concatenate([np.asarray(classes).ravel(),
                                                                                np.ravel(y)]))
        else:
            raise ValueError(f"{self.who}: target type {kind!r} is not supported; expected binary, multiclass, "
                             "one-hot or multilabel-indicator targets")
        self.target_type_ = kind
        self.y_dtype_ = np.asarray(y).dtype
        return self

    @property
    def n_classes_(self):
        return len(self.classes_)

    def n_outputs_expected(self):
        """The output width a softmax model needs (1 unit for binary sigmoid also works)."""
        if self.target_type_ == "binary" or self.n_classes_ == 1:
            return 1
        return self.n_classes_

    def indices(self, y):
        """Class index of each sample; labels not seen in fit are an error naming them."""
        if self.target_type_ in ("multiclass-onehot", "multilabel-indicator"):
            y = np.asarray(y)
            if y.ndim != 2 or y.shape[1] != self.n_classes_:
                raise ValueError(f"{self.who}: expected targets with {self.n_classes_} columns as in fit, got "
                                 f"shape {y.shape}")
            return np.argmax(y, axis=1) if self.target_type_ == "multiclass-onehot" else y
        y = np.ravel(y)
        idx = np.searchsorted(self.classes_, y)
        idx = np.minimum(idx, self.n_classes_ - 1)
        bad = self.classes_[idx] != y
        if np.any(bad):
            raise ValueError(f"{self.who}: y contains labels not seen in the first fit: {np.unique(y[bad])[:5]}; "
                             f"expected one of {self.classes_}")
        return idx

    def one_hot(self, y):
        """Keras 3's view of the target (what a model function receives as `y`)."""
        idx = self.indices(y)
        if self.target_type_ == "multilabel-indicator":
            return np.asarray(idx, dtype=np.float32)
        return np.eye(self.n_classes_, dtype=np.float32)[idx]

    def encode(self, y, out_width, sparse_loss):
        """The array the model trains on, for a model with `out_width` outputs."""
        idx = self.indices(y)
        if self.target_type_ == "multilabel-indicator":
            self._check_width(out_width, self.n_classes_)
            return np.asarray(idx, dtype=np.float32)
        if sparse_loss:
            return idx.astype(np.float32)
        if out_width == 1 and self.n_classes_ <= 2:
            return idx.astype(np.float32).reshape(-1, 1)
        self._check_width(out_width, self.n_classes_)
        return np.eye(self.n_classes_, dtype=np.float32)[idx]

    def _check_width(self, out_width, n):
        if out_width != n:
            expected = f"1 (sigmoid) or {n}" if n == 2 else str(n)
            raise ValueError(f"{self.who}: the model has {out_width} output units but the targets have {n} "
                             f"classes/labels; expected {expected} output units")

    def proba(self, out):
        """predict_proba from the network's output: (n, n_classes) rows summing to 1
        (multilabel: one independent probability per label)."""
        out = np.asarray(out, dtype=np.float64)
        out = out.reshape(len(out), -1)
        if self.target_type_ == "multilabel-indicator":
            return out
        if self.n_classes_ == 1:
            return np.ones((len(out), 1))
        if out.shape[1] == 1:
            p = np.clip(out[:, 0], 0.0, 1.0)
            return np.stack([1.0 - p, p], axis=1)
        out = np.clip(out, 0.0, None)
        return out / np.maximum(out.sum(axis=1, keepdims=True), np.finfo(np.float64).tiny)

    def decode(self, proba):
        """predict: labels in the form y had in fit."""
        if self.target_type_ == "multilabel-indicator":
            return (proba > 0.5).astype(self.y_dtype_)
        idx = np.argmax(proba, axis=1)
        if self.target_type_ == "multiclass-onehot":
            return np.eye(self.n_classes_, dtype=self.y_dtype_)[idx]
        return self.classes_[idx]


class RegressorTargets:
    def __init__(self, who):
        self.who = who

    def fit(self, y, classes=None):
        y = np.asarray(y)
        if y.dtype.kind not in "fiub":
            raise ValueError(f"{self.who}: regression targets must be numeric, got dtype {y.dtype}")
        self.target_type_ = "continuous" if y.ndim == 1 else "continuous-multioutput"
        self.y_ndim_ = y.ndim
        self.y_dtype_ = y.dtype if y.dtype.kind == "f" else np.dtype(np.float64)
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        return self

    def n_outputs_expected(self):
        return self.n_outputs_

    def one_hot(self, y):
        return np.asarray(y, dtype=np.float32).reshape(len(y), -1)

    def encode(self, y, out_width, sparse_loss):
        y = np.asarray(y, dtype=np.float32).reshape(len(y), -1)
        if y.shape[1] != out_width:
            raise ValueError(f"{self.who}: the model has {out_width} output units but y has {y.shape[1]} "
                             f"target column(s); expected {y.shape[1]} output units")
        return y

    def decode(self, out):
        out = np.asarray(out).reshape(len(out), -1).astype(self.y_dtype_)
        return out.ravel() if self.y_ndim_ == 1 else out
