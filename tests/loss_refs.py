"""float64 NumPy references of the Keras 3 loss formulas (keras/src/losses/losses.py),
per row of the last axis, plus Keras 3's reduce_weighted_values."""

import numpy as np

EPS = 1e-7


def softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def hinge_labels(t):
    return 2 * t - 1 if np.all((t == 0) | (t == 1)) else t


def normalize(x):
    return x * np.minimum(1 / np.sqrt((x * x).sum(-1, keepdims=True)), 1 / EPS)


def mse(t, p):
    return ((t - p) ** 2).mean(-1)


def mae(t, p):
    return np.abs(t - p).mean(-1)


def mape(t, p):
    return 100 * np.abs((t - p) / np.maximum(np.abs(t), EPS)).mean(-1)


def msle(t, p):
    return ((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2).mean(-1)


def huber(t, p, delta=1.0):
    e = p - t
    a = np.abs(e)
    return np.where(a <= delta, 0.5 * e * e, delta * a - 0.5 * delta * delta).mean(-1)


def log_cosh(t, p):
    x = p - t
    return (x + np.logaddexp(0, -2 * x) - np.log(2)).mean(-1)


def poisson(t, p):
    return (p - t * np.log(p + EPS)).mean(-1)


def kld(t, p):
    t, p = np.clip(t, EPS, 1), np.clip(p, EPS, 1)
    return (t * np.log(t / p)).sum(-1)


def hinge(t, p):
    return np.maximum(1 - hinge_labels(t) * p, 0).mean(-1)


def squared_hinge(t, p):
    return (np.maximum(1 - hinge_labels(t) * p, 0) ** 2).mean(-1)


def categorical_hinge(t, p):
    return np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0)


def cosine(t, p):
    return -(normalize(t) * normalize(p)).sum(-1)


def bce(t, p, from_logits=False, label_smoothing=0.0):
    t = t * (1 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        return (np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))).mean(-1)
    p = np.clip(p, EPS, 1 - EPS)
    return (-(t * np.log(p) + (1 - t) * np.log(1 - p))).mean(-1)


def cce(t, p, from_logits=False, label_smoothing=0.0):
    t = t * (1 - label_smoothing) + label_smoothing / t.shape[-1]
    if from_logits:
        logp = p - p.max(-1, keepdims=True)
        logp = logp - np.log(np.exp(logp).sum(-1, keepdims=True))
    else:
        logp = np.log(np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS))
    return -(t * logp).sum(-1)


def scce(labels, p, from_logits=False):
    return cce(np.eye(p.shape[-1])[labels.astype(int)], p, from_logits)


def binary_focal(t, p, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0):
    t = t * (1 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        p = sigmoid(p)
    pc = np.clip(p, EPS, 1 - EPS)
    b = -(t * np.log(pc) + (1 - t) * np.log(1 - pc))
    pt = t * p + (1 - t) * (1 - p)
    out = (1 - pt) ** gamma * b
    if apply_class_balancing:
        out = (t * alpha + (1 - t) * (1 - alpha)) * out
    return out.mean(-1)


def categorical_focal(t, p, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0):
    t = t * (1 - label_smoothing) + label_smoothing / t.shape[-1]
    if from_logits:
        p = softmax(p)
    o = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return (alpha * (1 - o) ** gamma * -t * np.log(o)).sum(-1)


def reduce(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Keras 3 reduce_weighted_values for per-sample weights of shape (N,)."""
    w = np.ones(values.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
    weighted = values * w.reshape((-1,) + (1,) * (values.ndim - 1))
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return weighted.sum() / w.sum()
    return weighted.sum() / values.size
