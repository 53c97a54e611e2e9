"""The metrics catalogue: every metric against a float64 NumPy reference of the Keras 3
formula (and scikit-learn where it agrees), accumulated over batches, weighted, reset;
and the same metrics computed by the trainer in compile/fit/evaluate."""

import numpy as np
import pytest
from sklearn import metrics as skm

import axon
from axon import layers
from axon import metrics as M

EPS = 1e-7
R = np.random.default_rng(7)
N, K = 60, 4
BATCHES = [slice(0, 25), slice(25, 41), slice(41, 60)]  # uneven, as an epoch's last batch is

Y_BIN = (R.random((N, K)) < 0.4).astype(np.float64)
P_BIN = np.clip(0.6 * Y_BIN + 0.6 * R.random((N, K)) - 0.1, 0.0, 1.0)
LABELS = R.integers(0, K, N).astype(np.float64)
Y_CAT = np.eye(K)[LABELS.astype(int)]
P_CAT = R.dirichlet(np.ones(K), N)
LOGITS = R.normal(0, 2, (N, K))
Y_REG = R.normal(1.0, 2.0, (N, K))
P_REG = Y_REG + R.normal(0, 0.7, (N, K))
P_POS = R.uniform(0.05, 3.0, (N, K))
W = R.uniform(0.2, 2.0, N)


def accumulate(metric, y, p, w=None):
    for s in BATCHES:
        metric.update_state(y[s], p[s], None if w is None else w[s])
    return metric.result()


def wmean(values, w):
    return float(np.sum(values * w) / np.sum(w)) if w is not None else float(np.mean(values))


def softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def in_top_k(p, target, k):
    return (np.sum(p > p[np.arange(len(p)), target][:, None], axis=-1) < k).astype(float)


def bce(y, p, ls=0.0, logits=False):
    y = y * (1 - ls) + 0.5 * ls
    if logits:
        p = 1 / (1 + np.exp(-p))
    p = np.clip(p, EPS, 1 - EPS)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p), -1)


def cce(y, p, ls=0.0, logits=False):
    y = y * (1 - ls) + ls / y.shape[-1]
    p = softmax(p) if logits else p / p.sum(-1, keepdims=True)
    return -np.sum(y * np.log(np.clip(p, EPS, 1 - EPS)), -1)


def cosine(y, p):
    nrm = lambda a: a / np.maximum(np.linalg.norm(a, axis=-1, keepdims=True), EPS)  # noqa: E731
    return np.sum(nrm(y) * nrm(p), -1)


# (metric factory, y_true, y_pred, per-sample reference)
MEAN_CASES = {
    "accuracy": (M.Accuracy, Y_BIN, np.round(P_BIN), lambda y, p: np.mean(y == p, -1)),
    "binary_accuracy": (M.BinaryAccuracy, Y_BIN, P_BIN, lambda y, p: np.mean(y == (p > 0.5), -1)),
    "binary_accuracy_t03": (lambda: M.BinaryAccuracy(threshold=0.3), Y_BIN, P_BIN,
                            lambda y, p: np.mean(y == (p > 0.3), -1)),
    "categorical_accuracy": (M.CategoricalAccuracy, Y_CAT, P_CAT,
                             lambda y, p: (y.argmax(-1) == p.argmax(-1)).astype(float)),
    "sparse_categorical_accuracy": (M.SparseCategoricalAccuracy, LABELS, P_CAT,
                                    lambda y, p: (y == p.argmax(-1)).astype(float)),
    "top_k": (lambda: M.TopKCategoricalAccuracy(k=2), Y_CAT, P_CAT, lambda y, p: in_top_k(p, y.argmax(-1), 2)),
    "top_k_default": (M.TopKCategoricalAccuracy, Y_CAT, P_CAT, lambda y, p: np.ones(len(y))),  # k=5 >= 4 classes
    "sparse_top_k": (lambda: M.SparseTopKCategoricalAccuracy(k=2), LABELS, P_CAT,
                     lambda y, p: in_top_k(p, y.astype(int), 2)),
    "mse": (M.MeanSquaredError, Y_REG, P_REG, lambda y, p: np.mean((y - p) ** 2, -1)),
    "mae": (M.MeanAbsoluteError, Y_REG, P_REG, lambda y, p: np.mean(np.abs(y - p), -1)),
    "mape": (M.MeanAbsolutePercentageError, Y_REG, P_REG,
             lambda y, p: 100 * np.mean(np.abs((y - p) / np.maximum(np.abs(y), EPS)), -1)),
    "msle": (M.MeanSquaredLogarithmicError, Y_REG, P_REG,
             lambda y, p: np.mean((np.log1p(np.maximum(p, EPS)) - np.log1p(np.maximum(y, EPS))) ** 2, -1)),
    "logcosh": (M.LogCoshError, Y_REG, P_REG, lambda y, p: np.mean(np.log(np.cosh(p - y)), -1)),
    "cosine": (M.CosineSimilarity, Y_REG, P_REG, cosine),
    "bce": (M.BinaryCrossentropy, Y_BIN, P_BIN, bce),
    "bce_smooth_logits": (lambda: M.BinaryCrossentropy(from_logits=True, label_smoothing=0.2), Y_BIN, LOGITS,
                          lambda y, p: bce(y, p, 0.2, True)),
    "cce": (M.CategoricalCrossentropy, Y_CAT, P_CAT, cce),
    "cce_smooth_logits": (lambda: M.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1), Y_CAT, LOGITS,
                          lambda y, p: cce(y, p, 0.1, True)),
    "scce": (M.SparseCategoricalCrossentropy, LABELS, P_CAT,
             lambda y, p: -np.log(np.clip(p[np.arange(len(y)), y.astype(int)], EPS, 1 - EPS))),
    "scce_logits": (lambda: M.SparseCategoricalCrossentropy(from_logits=True), LABELS, LOGITS,
                    lambda y, p: -np.log(softmax(p)[np.arange(len(y)), y.astype(int)])),
    "kld": (M.KLDivergence, Y_CAT * 0.9 + 0.025, P_CAT,
            lambda y, p: np.sum(np.clip(y, EPS, 1) * np.log(np.clip(y, EPS, 1) / np.clip(p, EPS, 1)), -1)),
    "poisson": (M.Poisson, np.abs(Y_REG), P_POS, lambda y, p: np.mean(p - y * np.log(p + EPS), -1)),
}


@pytest.mark.parametrize("case", sorted(MEAN_CASES))
@pytest.mark.parametrize("weighted", [False, True])
def test_mean_metrics_match_keras_formula(case, weighted):
    make, y, p, ref = MEAN_CASES[case]
    w = W if weighted else None
    metric = make()
    expected = wmean(ref(y, p), w)
    np.testing.assert_allclose(accumulate(metric, y, p, w), expected, rtol=1e-9, atol=1e-12)
    metric.reset_state()
    assert metric.result() == 0.0
    np.testing.assert_allclose(accumulate(metric, y, p, w), expected, rtol=1e-9, atol=1e-12)


def test_root_mean_squared_error():
    m = M.RootMeanSquaredError()
    expected = np.sqrt(wmean(np.mean((Y_REG - P_REG) ** 2, -1), W))
    np.testing.assert_allclose(accumulate(m, Y_REG, P_REG, W), expected, rtol=1e-12)


def test_sklearn_agrees_on_simple_metrics():
    assert accumulate(M.MeanSquaredError(), Y_REG, P_REG) == pytest.approx(skm.mean_squared_error(Y_REG, P_REG))
    assert accumulate(M.MeanAbsoluteError(), Y_REG, P_REG, W) == pytest.approx(
        skm.mean_absolute_error(Y_REG, P_REG, sample_weight=W))
    assert accumulate(M.SparseCategoricalAccuracy(), LABELS, P_CAT) == pytest.approx(
        skm.accuracy_score(LABELS, P_CAT.argmax(-1)))
    assert accumulate(M.SparseTopKCategoricalAccuracy(k=2), LABELS, P_CAT) == pytest.approx(
        skm.top_k_accuracy_score(LABELS, P_CAT, k=2, labels=np.arange(K)))


# ---------------------------------------------------------------- confusion metrics
def counts(y, p, w, thresholds):
    """tp, fp, tn, fn per threshold, every element weighted by its sample's weight."""
    we = np.broadcast_to((np.ones(len(y)) if w is None else w)[:, None], y.shape).ravel()
    pos, pred = y.ravel() != 0, p.ravel()
    out = []
    for t in thresholds:
        hit = pred > t
        out.append([np.sum(we * (hit & pos)), np.sum(we * (hit & ~pos)), np.sum(we * (~hit & ~pos)),
                    np.sum(we * (~hit & pos))])
    return np.array(out).T


@pytest.mark.parametrize("weighted", [False, True])
def test_precision_recall_and_counts(weighted):
    w = W if weighted else None
    tp, fp, tn, fn = counts(Y_BIN, P_BIN, w, [0.5])[:, 0]
    assert accumulate(M.Precision(), Y_BIN, P_BIN, w) == pytest.approx(tp / (tp + fp), rel=1e-12)
    assert accumulate(M.Recall(), Y_BIN, P_BIN, w) == pytest.approx(tp / (tp + fn), rel=1e-12)
    for cls, value in [(M.TruePositives, tp), (M.FalsePositives, fp), (M.TrueNegatives, tn), (M.FalseNegatives, fn)]:
        assert accumulate(cls(), Y_BIN, P_BIN, w) == pytest.approx(value, rel=1e-12)
    we = None if w is None else np.repeat(w, K)
    assert accumulate(M.Precision(), Y_BIN, P_BIN, w) == pytest.approx(
        skm.precision_score(Y_BIN.ravel(), P_BIN.ravel() > 0.5, sample_weight=we))
    assert accumulate(M.Recall(), Y_BIN, P_BIN, w) == pytest.approx(
        skm.recall_score(Y_BIN.ravel(), P_BIN.ravel() > 0.5, sample_weight=we))


def test_precision_several_thresholds_class_id_and_top_k():
    th = [0.2, 0.5, 0.8]
    tp, fp, _, fn = counts(Y_BIN, P_BIN, None, th)
    np.testing.assert_allclose(accumulate(M.Precision(thresholds=th), Y_BIN, P_BIN), tp / (tp + fp))
    np.testing.assert_allclose(accumulate(M.Recall(thresholds=th), Y_BIN, P_BIN), tp / (tp + fn))
    tp, fp, _, fn = counts(Y_BIN[:, 2:3], P_BIN[:, 2:3], W, [0.5])[:, 0]
    assert accumulate(M.Precision(class_id=2), Y_BIN, P_BIN, W) == pytest.approx(tp / (tp + fp))
    # top_k: only each row's k largest predictions can be positive (threshold -inf by default).
    top = np.argsort(-P_BIN, axis=-1, kind="stable")[:, :2]
    mask = np.zeros_like(P_BIN, dtype=bool)
    np.put_along_axis(mask, top, True, axis=-1)
    tp, fp = np.sum(mask & (Y_BIN > 0)), np.sum(mask & (Y_BIN == 0))
    assert accumulate(M.Precision(top_k=2), Y_BIN, P_BIN) == pytest.approx(tp / (tp + fp))
    fn = np.sum(~mask & (Y_BIN > 0))
    assert accumulate(M.Recall(top_k=2), Y_BIN, P_BIN) == pytest.approx(tp / (tp + fn))
    # top_k with class_id and a threshold: class 1 counts as predicted when in the top 2 and > 0.5.
    pred1 = mask[:, 1] & (P_BIN[:, 1] > 0.5)
    tp1, fp1 = np.sum(pred1 & (Y_BIN[:, 1] > 0)), np.sum(pred1 & (Y_BIN[:, 1] == 0))
    assert accumulate(M.Precision(thresholds=0.5, top_k=2, class_id=1), Y_BIN, P_BIN) == pytest.approx(
        tp1 / (tp1 + fp1))


def keras_auc(y, p, w, num_thresholds=200, curve="ROC", method="interpolation"):
    th = np.array([-EPS] + [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)] + [1 + EPS])
    tp, fp, tn, fn = counts(y, np.clip(p, 0, 1), w, th)
    div = lambda a, b: np.divide(a, b, out=np.zeros_like(a), where=b != 0)  # noqa: E731
    if curve == "PR" and method == "interpolation":
        dtp, pp = tp[:-1] - tp[1:], tp + fp
        dp = pp[:-1] - pp[1:]
        slope = div(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * pp[1:]
        ratio = np.where((pp[:-1] > 0) & (pp[1:] > 0), div(pp[:-1], np.maximum(pp[1:], 0)), 1.0)
        return float(np.sum(div(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0))))
    recall = div(tp, tp + fn)
    x, yv = (div(fp, fp + tn), recall) if curve == "ROC" else (recall, div(tp, tp + fp))
    h = {"interpolation": (yv[:-1] + yv[1:]) / 2, "minoring": np.minimum(yv[:-1], yv[1:]),
         "majoring": np.maximum(yv[:-1], yv[1:])}[method]
    return float(np.sum((x[:-1] - x[1:]) * h))


@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("method", ["interpolation", "minoring", "majoring"])
def test_auc_matches_keras_riemann_sums(curve, method):
    m = M.AUC(curve=curve, summation_method=method)
    expected = keras_auc(Y_BIN, P_BIN, W, curve=curve, method=method)
    assert accumulate(m, Y_BIN, P_BIN, W) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    m.reset_state()
    assert m.result() == 0.0


def test_auc_approaches_sklearn_with_many_thresholds():
    y, p = Y_BIN[:, 0], R.random(N) * 0.5 + 0.5 * Y_BIN[:, 0] * R.random(N)
    m = M.AUC(num_thresholds=20001)
    assert accumulate(m, y, p) == pytest.approx(skm.roc_auc_score(y, p), abs=1e-3)
    m = M.AUC(num_thresholds=20001)
    assert accumulate(m, y, p, W) == pytest.approx(skm.roc_auc_score(y, p, sample_weight=W), abs=1e-3)
    pr = M.AUC(num_thresholds=20001, curve="PR")
    assert accumulate(pr, y, p) == pytest.approx(skm.average_precision_score(y, p), abs=0.05)


def test_auc_from_logits_and_explicit_thresholds():
    m = M.AUC(from_logits=True)
    assert accumulate(m, Y_BIN, LOGITS) == pytest.approx(keras_auc(Y_BIN, 1 / (1 + np.exp(-LOGITS)), None))
    m = M.AUC(thresholds=[0.25, 0.5, 0.75])
    assert m.num_thresholds == 5
    assert accumulate(m, Y_BIN, P_BIN) == pytest.approx(keras_auc(Y_BIN, P_BIN, None, num_thresholds=5))
    # Keras' documented example.
    m = M.AUC(num_thresholds=3)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    assert m.result() == pytest.approx(0.75)


# ---------------------------------------------------------------- F-scores and R2
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [1.0, 2.0])
def test_fbeta_matches_sklearn(average, beta):
    m = M.F1Score(average=average, threshold=0.5) if beta == 1.0 else M.FBetaScore(average, beta, 0.5)
    result = accumulate(m, Y_BIN, P_BIN, W)
    expected = skm.fbeta_score(Y_BIN, P_BIN > 0.5, beta=beta, average=average, sample_weight=W, zero_division=0)
    np.testing.assert_allclose(result, expected, rtol=1e-5)


def test_f1_without_threshold_takes_the_row_maximum():
    m = M.F1Score(average="macro")
    pred = (P_CAT == P_CAT.max(-1, keepdims=True))
    expected = skm.f1_score(Y_CAT, pred, average="macro")
    assert accumulate(m, Y_CAT, P_CAT) == pytest.approx(expected, rel=1e-5)
    # Keras' documented example (average=None, threshold=0.5).
    f = M.F1Score(threshold=0.5)
    f.update_state(np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]]), np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6],
                                                                          [0.6, 0.8, 0.0]]))
    np.testing.assert_allclose(f.result(), [0.5, 0.8, 0.6666667], rtol=1e-5)


@pytest.mark.parametrize("aggregation,sk", [("uniform_average", "uniform_average"),
                                            ("variance_weighted_average", "variance_weighted"),
                                            (None, "raw_values")])
def test_r2_matches_sklearn(aggregation, sk):
    m = M.R2Score(class_aggregation=aggregation)
    np.testing.assert_allclose(accumulate(m, Y_REG, P_REG, W), skm.r2_score(Y_REG, P_REG, sample_weight=W,
                                                                           multioutput=sk), rtol=1e-9)


def test_adjusted_r2():
    m = M.R2Score(num_regressors=3)
    r2 = skm.r2_score(Y_REG, P_REG)
    n = Y_REG.size  # Keras counts every value of y_true
    assert accumulate(m, Y_REG, P_REG) == pytest.approx(1 - (1 - r2) * (n - 1) / (n - 3 - 1), rel=1e-9)


# ---------------------------------------------------------------- Mean, Sum, API
def test_mean_and_sum():
    m, s = M.Mean(), M.Sum()
    for values, w in [([1.0, 3.0, 5.0], [1.0, 0.0, 2.0]), ([7.0], None)]:
        m.update_state(values, sample_weight=w)
        s.update_state(values, sample_weight=w)
    assert m.result() == pytest.approx((1 + 10 + 7) / 4)
    assert s.result() == pytest.approx(1 + 10 + 7)
    m.reset_state()
    assert m.result() == 0.0
    m.update_state(np.array([[1.0, 3.0], [5.0, 7.0]]))
    assert m.result() == pytest.approx(4.0)
    s.reset_state()
    s.update_state(np.array([[1.0, 3.0], [5.0, 7.0]]), sample_weight=[2.0, 0.5])
    assert s.result() == pytest.approx(2 * 4 + 0.5 * 12)
    m.reset_state()
    m.update_state(np.array([[1.0, 3.0], [5.0, 7.0]]), sample_weight=[[1.0, 0.0], [1.0, 1.0]])
    assert m.result() == pytest.approx((1 + 5 + 7) / 3)  # Keras: sum(v * w) / sum(w)


def test_call_updates_the_state_as_keras_3():
    m = M.MeanSquaredError()
    assert m([[1.0, 2.0]], [[1.0, 4.0]]) == pytest.approx(2.0)
    assert m([[0.0, 0.0]], [[0.0, 0.0]]) == pytest.approx(1.0)


def test_get_config_round_trip_and_get():
    for metric in [M.AUC(num_thresholds=50, curve="PR"), M.F1Score(average="macro", threshold=0.4),
                   M.Precision(thresholds=[0.3, 0.6], top_k=2, class_id=1), M.R2Score(num_regressors=2),
                   M.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), M.TopKCategoricalAccuracy(k=3)]:
        clone = type(metric).from_config(metric.get_config())
        assert clone.get_config() == metric.get_config()
        assert M.deserialize(M.serialize(metric)).get_config() == metric.get_config()
    assert isinstance(M.get("mse"), M.MeanSquaredError) and M.get("mse").name == "mean_squared_error"
    assert isinstance(M.get("AUC"), M.AUC) and isinstance(M.get("r2_score"), M.R2Score)
    assert isinstance(M.get("f1_score"), M.F1Score) and M.get("f1_score").name == "f1_score"
    assert M.LogCoshError().name == "logcosh" and M.FBetaScore().name == "fbeta_score"
    with pytest.raises(ValueError, match="nope"):
        M.get("nope")


def test_bad_arguments_and_shapes_raise_value_errors():
    with pytest.raises(ValueError, match="average"):
        M.F1Score(average="mean")
    with pytest.raises(ValueError, match="curve"):
        M.AUC(curve="XY")
    with pytest.raises(ValueError, match="thresholds"):
        M.Precision(thresholds=1.5)
    with pytest.raises(ValueError, match="2-D"):
        M.R2Score().update_state(np.zeros((4, 2, 3)), np.zeros((4, 2, 3)))
    with pytest.raises(ValueError, match="shaped like the prediction"):
        M.MeanSquaredError().update_state(np.zeros((4, 2)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="sample_weight"):
        M.MeanSquaredError().update_state(np.zeros((4, 2)), np.zeros((4, 2)), sample_weight=np.ones(3))


# ---------------------------------------------------------------- in the trainer
def frozen_model(units, activation, loss, metrics, in_dim=5):
    model = axon.Sequential([layers.Input((in_dim,)), layers.Dense(8, activation="tanh"),
                             layers.Dense(units, activation=activation)])
    model.compile(optimizer=axon.optimizers.SGD(learning_rate=0.0), loss=loss, metrics=metrics)
    return model


def stateful(metric, y, p):
    metric.reset_state()
    metric.update_state(y, p.astype(np.float64))
    return metric.result()


def check_history(model, x, y, xv, yv, expected_names, references, batch_size=16):
    history = model.fit(x, y, batch_size=batch_size, epochs=2, verbose=0, validation_data=(xv, yv))
    assert model.metrics_names == ["loss"] + expected_names
    for name in expected_names:
        assert name in history.history and "val_" + name in history.history
    p, pv = model.predict(x, verbose=0), model.predict(xv, verbose=0)
    for name, ref in zip(expected_names, references):
        for epoch in range(2):
            np.testing.assert_allclose(history.history[name][epoch], stateful(ref, y, p), rtol=1e-4, atol=1e-6,
                                       err_msg=name)
            np.testing.assert_allclose(history.history["val_" + name][epoch], stateful(ref, yv, pv), rtol=1e-4,
                                       atol=1e-6, err_msg="val_" + name)
    values = model.evaluate(xv, yv, batch_size=7, verbose=0)
    logs = model.evaluate(xv, yv, batch_size=7, verbose=0, return_dict=True)
    assert list(logs) == model.metrics_names
    for name, ref, value in zip(expected_names, references, values[1:]):
        np.testing.assert_allclose(value, stateful(ref, yv, pv), rtol=1e-4, atol=1e-6, err_msg=name)
        assert logs[name] == value


def test_binary_model_reports_the_catalogue_per_epoch():
    rng = np.random.default_rng(1)
    x, xv = rng.normal(size=(90, 5)).astype("float32"), rng.normal(size=(33, 5)).astype("float32")
    y, yv = (x[:, :1] + 0.3 * x[:, 1:2] > 0).astype("float32"), (xv[:, :1] > 0).astype("float32")
    metrics = ["accuracy", "auc", "precision", "recall", "bce", "mse", M.AUC(curve="PR", name="pr_auc"),
               M.F1Score(average="macro", threshold=0.5), M.BinaryAccuracy(threshold=0.7, name="acc70"),
               "true_positives"]
    names = ["accuracy", "auc", "precision", "recall", "binary_crossentropy", "mean_squared_error", "pr_auc",
             "f1_score", "acc70", "true_positives"]
    refs = [M.BinaryAccuracy(), M.AUC(), M.Precision(), M.Recall(), M.BinaryCrossentropy(), M.MeanSquaredError(),
            M.AUC(curve="PR"), M.F1Score(average="macro", threshold=0.5), M.BinaryAccuracy(threshold=0.7),
            M.TruePositives()]
    check_history(frozen_model(1, "sigmoid", "binary_crossentropy", metrics), x, y, xv, yv, names, refs)


def test_categorical_and_sparse_models():
    rng = np.random.default_rng(2)
    x, xv = rng.normal(size=(80, 5)).astype("float32"), rng.normal(size=(30, 5)).astype("float32")
    lab, labv = rng.integers(0, 4, 80), rng.integers(0, 4, 30)
    y, yv = np.eye(4, dtype="float32")[lab], np.eye(4, dtype="float32")[labv]
    metrics = ["acc", "top_k_categorical_accuracy", M.TopKCategoricalAccuracy(k=2, name="top2"),
               "categorical_crossentropy", "kl_divergence", M.F1Score(average="weighted"),
               M.Precision(top_k=1, name="p_at_1"), M.Recall(class_id=2, name="r2"), "auc"]
    names = ["acc", "top_k_categorical_accuracy", "top2", "categorical_crossentropy", "kl_divergence", "f1_score",
             "p_at_1", "r2", "auc"]
    refs = [M.CategoricalAccuracy(), M.TopKCategoricalAccuracy(), M.TopKCategoricalAccuracy(k=2),
            M.CategoricalCrossentropy(), M.KLDivergence(), M.F1Score(average="weighted"), M.Precision(top_k=1),
            M.Recall(class_id=2), M.AUC()]
    check_history(frozen_model(4, "softmax", "categorical_crossentropy", metrics), x, y, xv, yv, names, refs)

    ys, ysv = lab.astype("float32")[:, None], labv.astype("float32")[:, None]
    metrics = ["accuracy", "sparse_top_k_categorical_accuracy", M.SparseTopKCategoricalAccuracy(k=2, name="top2"),
               "sparse_categorical_crossentropy"]
    names = ["accuracy", "sparse_top_k_categorical_accuracy", "top2", "sparse_categorical_crossentropy"]
    refs = [M.SparseCategoricalAccuracy(), M.SparseTopKCategoricalAccuracy(), M.SparseTopKCategoricalAccuracy(k=2),
            M.SparseCategoricalCrossentropy()]
    check_history(frozen_model(4, "softmax", "sparse_categorical_crossentropy", metrics), x, ys, xv, ysv, names,
                  refs)


def test_regression_model():
    rng = np.random.default_rng(3)
    x, xv = rng.normal(size=(70, 5)).astype("float32"), rng.normal(size=(25, 5)).astype("float32")
    y, yv = rng.normal(size=(70, 2)).astype("float32") + 2, rng.normal(size=(25, 2)).astype("float32") + 2
    metrics = ["mae", "mape", "msle", "r2_score", M.RootMeanSquaredError(), M.CosineSimilarity(), "log_cosh_error",
               M.R2Score(class_aggregation="variance_weighted_average", name="r2w"), "poisson"]
    names = ["mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "r2_score",
             "root_mean_squared_error", "cosine_similarity", "logcosh", "r2w", "poisson"]
    refs = [M.MeanAbsoluteError(), M.MeanAbsolutePercentageError(), M.MeanSquaredLogarithmicError(), M.R2Score(),
            M.RootMeanSquaredError(), M.CosineSimilarity(), M.LogCoshError(),
            M.R2Score(class_aggregation="variance_weighted_average"), M.Poisson()]
    check_history(frozen_model(2, "softplus", "mse", metrics), x, y, xv, yv, names, refs)


def test_compile_rejects_unknown_and_unusable_metrics():
    with pytest.raises(ValueError, match="'f2_score'"):
        frozen_model(1, "sigmoid", "binary_crossentropy", ["f2_score"])
    with pytest.raises(ValueError, match="values"):
        frozen_model(1, "sigmoid", "binary_crossentropy", [M.Mean()])
    with pytest.raises(ValueError, match="metric 'mean_squared_error' expects y shaped like the prediction"):
        frozen_model(3, "softmax", "sparse_categorical_crossentropy", ["mse"])  # one label per sample
    with pytest.raises(ValueError, match="class_id 5 is out of range"):
        frozen_model(3, "softmax", "categorical_crossentropy", [M.Precision(class_id=5)])


def test_metrics_with_one_value_per_class_log_arrays():
    """F1Score() (average=None), Precision with several thresholds, R2Score(None): History
    and evaluate hold the arrays, as in Keras; the engine's running value is their mean."""
    rng = np.random.default_rng(4)
    x, xv = rng.normal(size=(50, 5)).astype("float32"), rng.normal(size=(20, 5)).astype("float32")
    y, yv = np.eye(3, dtype="float32")[rng.integers(0, 3, 50)], np.eye(3, dtype="float32")[rng.integers(0, 3, 20)]
    metrics = [M.F1Score(), M.Precision(thresholds=[0.2, 0.4], name="p"), M.R2Score(class_aggregation=None)]
    model = frozen_model(3, "softmax", "categorical_crossentropy", metrics + ["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0, validation_data=(xv, yv))
    p, pv = model.predict(x, verbose=0), model.predict(xv, verbose=0)
    refs = [M.F1Score(), M.Precision(thresholds=[0.2, 0.4]), M.R2Score(class_aggregation=None)]
    for name, ref in zip(["f1_score", "p", "r2_score"], refs):
        assert history.history[name][1].shape == stateful(ref, y, p).shape
        np.testing.assert_allclose(history.history[name][1], stateful(ref, y, p), rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(history.history["val_" + name][0], stateful(ref, yv, pv), rtol=1e-4, atol=1e-6)
    logs = model.evaluate(xv, yv, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["f1_score"], stateful(M.F1Score(), yv, pv), rtol=1e-4, atol=1e-6)
    assert np.ndim(logs["accuracy"]) == 0
    model.evaluate(xv, yv, verbose=1)  # the progress bar shows the mean of an array


def test_sample_weight_reaches_compiled_metrics(rng):
    """Keras passes fit/evaluate's sample_weight to the compiled metrics as well."""
    import axon

    model = axon.Sequential([axon.Input((3,)), axon.layers.Dense(4, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy",
                  metrics=["accuracy", axon.metrics.MeanAbsoluteError()])
    x, labels = rng.normal(size=(50, 3)), rng.integers(0, 4, 50)
    y = np.eye(4)[labels]
    w = rng.uniform(0, 2, size=50)
    logs = model.evaluate(x, y, sample_weight=w, batch_size=7, verbose=0, return_dict=True)
    probs = model.predict(x, verbose=0)
    hits = (probs.argmax(1) == labels).astype(float)
    assert logs["accuracy"] == pytest.approx(np.sum(w * hits) / np.sum(w), rel=1e-6)
    mae = axon.metrics.MeanAbsoluteError()
    mae.update_state(y, probs, sample_weight=w)
    assert logs["mean_absolute_error"] == pytest.approx(float(mae.result()), rel=1e-5)
