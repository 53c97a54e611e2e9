"""Confusion-matrix metrics (keras/src/metrics/confusion_metrics.py): Precision, Recall,
the four counts, and AUC. A prediction is positive when strictly above the threshold, a
label when nonzero."""

import numpy as np

from axon.metrics.base import Metric


def _thresholds(value, owner):
    """None, a float, or a list of floats in [0, 1] -> list (or None)."""
    if value is None:
        return None
    values = [float(v) for v in np.atleast_1d(np.asarray(value, dtype=np.float64))]
    if not values or any(not 0.0 <= v <= 1.0 for v in values):
        raise ValueError(f"{owner}: thresholds must be in [0, 1], got {value!r}")
    return values


def _optional_int(value, owner, what, lowest):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lowest:
        raise ValueError(f"{owner}: {what} must be an integer >= {lowest} or None, got {value!r}")
    return int(value)


class _Counts(Metric):
    """The shared part of Precision, Recall and the counts: thresholds, top_k, class_id."""

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name or self._kind, dtype)
        owner = type(self).__name__
        self._scalar_thresholds = thresholds is None or np.ndim(thresholds) == 0
        self.init_thresholds = thresholds
        self.thresholds = _thresholds(thresholds, owner)
        self.top_k = _optional_int(top_k, owner, "top_k", 1)
        self.class_id = _optional_int(class_id, owner, "class_id", 0)

    def _options(self):
        options = {"top_k": self.top_k, "class_id": self.class_id}
        if self.thresholds is not None:
            options["thresholds"] = self.thresholds
        return options

    def _vector_result(self):
        return not self._scalar_thresholds

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_Counts):
    _kind = "precision"


class Recall(_Counts):
    _kind = "recall"


class _Count(_Counts):
    """TruePositives & co. take only thresholds."""

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds, None, None, name, dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


class TruePositives(_Count):
    _kind = "true_positives"


class FalsePositives(_Count):
    _kind = "false_positives"


class TrueNegatives(_Count):
    _kind = "true_negatives"


class FalseNegatives(_Count):
    _kind = "false_negatives"


class AUC(Metric):
    """Area under the ROC or PR curve, from confusion counts at `num_thresholds` evenly
    spaced thresholds (or the given ones), with Keras' Riemann sums; the PR curve with
    'interpolation' uses Davis & Goadrich's interpolation as Keras does.
    multi_label=True and label_weights are not supported."""

    _kind = "auc"

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        super().__init__(name or "auc", dtype)
        if multi_label or label_weights is not None:
            raise ValueError("AUC: multi_label=True and label_weights are not supported")
        self.curve = str(curve).upper()
        self.summation_method = str(summation_method).lower()
        if self.curve not in ("ROC", "PR"):
            raise ValueError(f"AUC: curve must be 'ROC' or 'PR', got {curve!r}")
        if self.summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError("AUC: summation_method must be 'interpolation', 'minoring' or 'majoring', "
                             f"got {summation_method!r}")
        self.thresholds = _thresholds(thresholds, "AUC")
        if self.thresholds is None:
            if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, (int, np.integer)) \
                    or num_thresholds <= 1:
                raise ValueError(f"AUC: num_thresholds must be an integer > 1, got {num_thresholds!r}")
            self.num_thresholds = int(num_thresholds)
        else:
            self.num_thresholds = len(self.thresholds) + 2
        self.multi_label = False
        self.num_labels = num_labels
        self.label_weights = None
        self.from_logits = bool(from_logits)

    def _options(self):
        options = {"num_thresholds": self.num_thresholds, "curve": self.curve,
                   "summation_method": self.summation_method, "from_logits": self.from_logits}
        if self.thresholds is not None:
            options["thresholds"] = self.thresholds
        return options

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels, "label_weights": self.label_weights,
                  "from_logits": self.from_logits}
        if self.thresholds is not None:
            config["thresholds"] = self.thresholds
        return config
