"""Metrics against scikit-learn directly on random data: stand-alone metrics streamed over
several uneven batches, and the same metrics computed by the trainer in compile/evaluate
(batch_size smaller than the data, so the trainer streams too) against scikit-learn on the
model's own predictions."""

import numpy as np
import pytest
from sklearn import metrics as skm

import axon
from axon import layers
from axon import metrics as M

R = np.random.default_rng(12)
N, K = 503, 5
CUTS = [0, 64, 65, 200, 371, N]  # uneven batches, one of a single sample

Y = (R.random(N) < 0.35).astype(np.float64)
P = np.clip(0.4 * Y + 0.7 * R.random(N) - 0.05, 0.0, 1.0)
LAB = R.integers(0, K, N)
PC = R.dirichlet(np.ones(K), N)
YR = R.normal(2.0, 1.5, (N, 3))
PR = YR + R.normal(0, 0.8, (N, 3))


def stream(metric, y, p):
    for a, b in zip(CUTS[:-1], CUTS[1:]):
        metric.update_state(y[a:b], p[a:b])
    return np.asarray(metric.result())


@pytest.mark.parametrize("name,metric,y,p,expected,tol", [
    ("accuracy", M.BinaryAccuracy(), Y[:, None], P[:, None], skm.accuracy_score(Y, P > 0.5), 1e-6),
    ("precision", M.Precision(), Y[:, None], P[:, None], skm.precision_score(Y, P > 0.5), 1e-6),
    ("recall", M.Recall(), Y[:, None], P[:, None], skm.recall_score(Y, P > 0.5), 1e-6),
    ("f1", M.F1Score(average="micro", threshold=0.5), Y[:, None], P[:, None], skm.f1_score(Y, P > 0.5), 1e-6),
    ("fbeta", M.FBetaScore(average="micro", beta=2.0, threshold=0.5), Y[:, None], P[:, None],
     skm.fbeta_score(Y, P > 0.5, beta=2.0), 1e-6),
    ("roc_auc", M.AUC(num_thresholds=4000), Y[:, None], P[:, None], skm.roc_auc_score(Y, P), 1e-3),
    ("categorical_accuracy", M.SparseCategoricalAccuracy(), LAB.astype(float), PC,
     skm.accuracy_score(LAB, PC.argmax(-1)), 1e-6),
    ("top_k", M.SparseTopKCategoricalAccuracy(k=3), LAB.astype(float), PC,
     skm.top_k_accuracy_score(LAB, PC, k=3, labels=np.arange(K)), 1e-6),
    ("r2", M.R2Score(), YR, PR, skm.r2_score(YR, PR), 1e-6),
    ("mse", M.MeanSquaredError(), YR, PR, skm.mean_squared_error(YR, PR), 1e-6),
    ("mae", M.MeanAbsoluteError(), YR, PR, skm.mean_absolute_error(YR, PR), 1e-6),
], ids=lambda v: v if isinstance(v, str) else "")
def test_streamed_metric_equals_sklearn(name, metric, y, p, expected, tol):
    np.testing.assert_allclose(stream(metric, y, p), expected, rtol=tol, atol=tol if name == "roc_auc" else 1e-9)


def _frozen(units, activation, loss, metrics, seed):
    axon.utils.set_random_seed(seed)
    model = axon.Sequential([layers.Input((6,)), layers.Dense(8, activation="tanh"),
                             layers.Dense(units, activation=activation)])
    model.compile(optimizer=axon.optimizers.SGD(learning_rate=0.0), loss=loss, metrics=metrics)
    return model


def test_binary_metrics_in_evaluate_equal_sklearn():
    x = R.normal(size=(N, 6)).astype("float32")
    y = (x[:, :1] + 0.5 * R.normal(size=(N, 1)) > 0).astype("float32")
    model = _frozen(1, "sigmoid", "binary_crossentropy",
                    ["accuracy", "precision", "recall", M.F1Score(average="micro", threshold=0.5),
                     M.FBetaScore(average="micro", beta=0.5, threshold=0.5, name="f05"),
                     M.AUC(num_thresholds=4000, name="auc")], seed=1)
    logs = model.evaluate(x, y, batch_size=37, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0).astype(np.float64).ravel()
    t, hit = y.ravel(), p > 0.5
    assert logs["accuracy"] == pytest.approx(skm.accuracy_score(t, hit), abs=1e-6)
    assert logs["precision"] == pytest.approx(skm.precision_score(t, hit), abs=1e-6)
    assert logs["recall"] == pytest.approx(skm.recall_score(t, hit), abs=1e-6)
    assert logs["f1_score"] == pytest.approx(skm.f1_score(t, hit), abs=1e-6)
    assert logs["f05"] == pytest.approx(skm.fbeta_score(t, hit, beta=0.5), abs=1e-6)
    assert logs["auc"] == pytest.approx(skm.roc_auc_score(t, p), abs=1e-3)


def test_categorical_metrics_in_evaluate_equal_sklearn():
    x = R.normal(size=(N, 6)).astype("float32")
    lab = R.integers(0, K, N)
    model = _frozen(K, "softmax", "sparse_categorical_crossentropy",
                    ["accuracy", M.SparseTopKCategoricalAccuracy(k=2, name="top2")], seed=2)
    logs = model.evaluate(x, lab.astype("float32")[:, None], batch_size=41, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0).astype(np.float64)
    assert logs["accuracy"] == pytest.approx(skm.accuracy_score(lab, p.argmax(-1)), abs=1e-6)
    assert logs["top2"] == pytest.approx(skm.top_k_accuracy_score(lab, p, k=2, labels=np.arange(K)), abs=1e-6)


def test_regression_metrics_in_evaluate_equal_sklearn():
    x = R.normal(size=(N, 6)).astype("float32")
    y = (x[:, :3] + R.normal(size=(N, 3))).astype("float32")
    model = _frozen(3, None, "mse", ["mse", "mae", "r2_score"], seed=3)
    logs = model.evaluate(x, y, batch_size=50, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0).astype(np.float64)
    assert logs["mean_squared_error"] == pytest.approx(skm.mean_squared_error(y, p), rel=1e-5)
    assert logs["mean_absolute_error"] == pytest.approx(skm.mean_absolute_error(y, p), rel=1e-5)
    assert logs["r2_score"] == pytest.approx(skm.r2_score(y, p), rel=1e-4, abs=1e-5)
    assert logs["loss"] == pytest.approx(skm.mean_squared_error(y, p), rel=1e-5)
