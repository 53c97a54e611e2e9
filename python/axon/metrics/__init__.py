"""Metrics (`axon.metrics`), Keras 3 names, defaults and formulas.

Every metric but Mean and Sum is computed by the engine: compile() hands the trainer a
spec (kind, name, options) and the trainer accumulates the metric per batch in C++. A
metric object used on its own (update_state / result / reset_state) drives the very same
C++ metric in float64, so both give the same values.
"""

from axon.metrics.accuracy_metrics import (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                                           SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy)
from axon.metrics.base import Mean, Metric, Sum
from axon.metrics.confusion_metrics import (AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives,
                                            TruePositives)
from axon.metrics.f_score_metrics import F1Score, FBetaScore
from axon.metrics.probabilistic_metrics import (BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson,
                                                SparseCategoricalCrossentropy)
from axon.metrics.regression_metrics import (CosineSimilarity, LogCoshError, MeanAbsoluteError,
                                             MeanAbsolutePercentageError, MeanSquaredError,
                                             MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError)
from axon.utils import serialization
from axon.utils.naming import to_snake_case

_CLASSES = serialization.class_table(Mean, Sum, Accuracy, BinaryAccuracy, CategoricalAccuracy,
                                     SparseCategoricalAccuracy, TopKCategoricalAccuracy,
                                     SparseTopKCategoricalAccuracy, Precision, Recall, TruePositives,
                                     FalsePositives, TrueNegatives, FalseNegatives, AUC, F1Score, FBetaScore,
                                     MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError,
                                     MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity,
                                     LogCoshError, R2Score, BinaryCrossentropy, CategoricalCrossentropy,
                                     SparseCategoricalCrossentropy, KLDivergence, Poisson)
# Keras' metrics.get table: class names, their snake_case, and short aliases.
_NAMES = {**_CLASSES, **{to_snake_case(name): cls for name, cls in _CLASSES.items()}}
_NAMES.update({"bce": _CLASSES["BinaryCrossentropy"], "BCE": _CLASSES["BinaryCrossentropy"],
               "mse": _CLASSES["MeanSquaredError"], "MSE": _CLASSES["MeanSquaredError"],
               "mae": _CLASSES["MeanAbsoluteError"], "MAE": _CLASSES["MeanAbsoluteError"],
               "mape": _CLASSES["MeanAbsolutePercentageError"], "MAPE": _CLASSES["MeanAbsolutePercentageError"],
               "msle": _CLASSES["MeanSquaredLogarithmicError"], "MSLE": _CLASSES["MeanSquaredLogarithmicError"]})


def serialize(metric):
    return serialization.serialize(metric)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "metrics")


def get(identifier):
    """A Metric for a name (Keras' names and aliases), a serialized dict, or a Metric."""
    return serialization.get(identifier, Metric, _NAMES, _CLASSES, "metrics",
                             "a Metric, a class name such as 'AUC', or a name such as 'accuracy', 'mse', 'auc'")


def resolve(identifier, output_size, loss_name):
    """The engine spec (kind, name, options) for one entry of compile(metrics=[...]).

    'accuracy' / 'acc' follow Keras: binary when the output has one unit, sparse when the
    loss takes integer labels, categorical otherwise; the logs keep the name given.
    """
    if isinstance(identifier, str) and identifier in ("accuracy", "acc"):
        if output_size == 1:
            kind = "binary_accuracy"
        elif loss_name == "sparse_categorical_crossentropy":
            kind = "sparse_categorical_accuracy"
        else:
            kind = "categorical_accuracy"
        return kind, identifier, {}
    if isinstance(identifier, str) and identifier not in _NAMES:
        raise ValueError(f"compile: unknown metric {identifier!r}; expected 'accuracy' or a Keras metric name; "
                         f"valid names: {', '.join(sorted(set(_NAMES) | set(_CLASSES) | {'accuracy', 'acc'}))}")
    metric = get(identifier) if isinstance(identifier, (str, dict)) else identifier
    if not isinstance(metric, Metric):
        raise ValueError(f"compile: unknown metric {identifier!r}; expected a metric name or an axon.metrics.Metric")
    if isinstance(metric, Mean):
        raise ValueError(f"compile: metric {metric.name!r} ({type(metric).__name__}) reduces one tensor of values "
                         "and cannot be computed from (y_true, y_pred); use it stand-alone with update_state(values)")
    return metric._spec()


def vector_valued(identifier):
    """True when a compile() metric gives one value per class or threshold (F1Score with
    average=None, Precision with several thresholds, R2Score without aggregation)."""
    if isinstance(identifier, str) and identifier in ("accuracy", "acc"):
        return False
    metric = get(identifier) if isinstance(identifier, (str, dict)) else identifier
    return metric._vector_result()
