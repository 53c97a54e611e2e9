"""The Keras 3 loss catalogue: values against float64 NumPy references (loss_refs.py),
reductions, sample weights, gradients (finite differences), torch agreement, training
with sample_weight, configs and errors."""

import numpy as np
import pytest

import axon
import loss_refs as R
from axon import _core, losses
from gradcheck import assert_gradients_match, float64_model, relative_error


def make_data(kind, shape, rng):
    """(y_true, y_pred) of y_pred's `shape` for a kind of target / prediction."""
    k = shape[-1]
    if kind == "reg":
        return rng.normal(size=shape), rng.normal(size=shape)
    if kind == "pos":
        return rng.uniform(0, 3, size=shape), rng.uniform(0.1, 3, size=shape)
    if kind == "dist":  # probability rows on both sides (KL divergence)
        t = rng.uniform(0.05, 1, size=shape)
        p = rng.uniform(0.05, 1, size=shape)
        return t / t.sum(-1, keepdims=True), p / p.sum(-1, keepdims=True)
    if kind == "binary":
        return rng.integers(0, 2, size=shape).astype(float), rng.uniform(0.05, 0.95, size=shape)
    if kind == "binary_logits":
        return rng.integers(0, 2, size=shape).astype(float), rng.normal(scale=3, size=shape)
    if kind == "signs":
        return rng.choice([-1.0, 1.0], size=shape), rng.normal(size=shape)
    if kind == "onehot":
        return np.eye(k)[rng.integers(0, k, size=shape[:-1])], rng.uniform(0.05, 0.95, size=shape)
    if kind == "onehot_logits":
        return np.eye(k)[rng.integers(0, k, size=shape[:-1])], rng.normal(scale=3, size=shape)
    if kind == "onehot_scores":
        return np.eye(k)[rng.integers(0, k, size=shape[:-1])], rng.normal(size=shape)
    if kind == "sparse":
        return rng.integers(0, k, size=shape[:-1]).astype(float), rng.uniform(0.05, 0.95, size=shape)
    if kind == "sparse_logits":
        return rng.integers(0, k, size=shape[:-1]).astype(float), rng.normal(scale=3, size=shape)
    raise AssertionError(kind)


# (id, loss object factory, reference(t, p) per row, data kind)
CASES = [
    ("mse", lambda **kw: losses.MeanSquaredError(**kw), R.mse, "reg"),
    ("mae", lambda **kw: losses.MeanAbsoluteError(**kw), R.mae, "reg"),
    ("mape", lambda **kw: losses.MeanAbsolutePercentageError(**kw), R.mape, "reg"),
    ("msle", lambda **kw: losses.MeanSquaredLogarithmicError(**kw), R.msle, "pos"),
    ("huber", lambda **kw: losses.Huber(**kw), R.huber, "reg"),
    ("huber_delta", lambda **kw: losses.Huber(delta=0.3, **kw), lambda t, p: R.huber(t, p, 0.3), "reg"),
    ("log_cosh", lambda **kw: losses.LogCosh(**kw), R.log_cosh, "reg"),
    ("poisson", lambda **kw: losses.Poisson(**kw), R.poisson, "pos"),
    ("kld", lambda **kw: losses.KLDivergence(**kw), R.kld, "dist"),
    ("hinge01", lambda **kw: losses.Hinge(**kw), R.hinge, "binary_logits"),
    ("hinge_signs", lambda **kw: losses.Hinge(**kw), R.hinge, "signs"),
    ("squared_hinge", lambda **kw: losses.SquaredHinge(**kw), R.squared_hinge, "binary_logits"),
    ("categorical_hinge", lambda **kw: losses.CategoricalHinge(**kw), R.categorical_hinge, "onehot_scores"),
    ("cosine", lambda **kw: losses.CosineSimilarity(**kw), R.cosine, "reg"),
    ("bce", lambda **kw: losses.BinaryCrossentropy(**kw), R.bce, "binary"),
    ("bce_logits_ls", lambda **kw: losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2, **kw),
     lambda t, p: R.bce(t, p, True, 0.2), "binary_logits"),
    ("bce_ls", lambda **kw: losses.BinaryCrossentropy(label_smoothing=0.1, **kw),
     lambda t, p: R.bce(t, p, False, 0.1), "binary"),
    ("cce", lambda **kw: losses.CategoricalCrossentropy(**kw), R.cce, "onehot"),
    ("cce_ls", lambda **kw: losses.CategoricalCrossentropy(label_smoothing=0.1, **kw),
     lambda t, p: R.cce(t, p, False, 0.1), "onehot"),
    ("cce_logits_ls", lambda **kw: losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.3, **kw),
     lambda t, p: R.cce(t, p, True, 0.3), "onehot_logits"),
    ("scce", lambda **kw: losses.SparseCategoricalCrossentropy(**kw), R.scce, "sparse"),
    ("scce_logits", lambda **kw: losses.SparseCategoricalCrossentropy(from_logits=True, **kw),
     lambda t, p: R.scce(t, p, True), "sparse_logits"),
    ("bfocal", lambda **kw: losses.BinaryFocalCrossentropy(**kw), R.binary_focal, "binary"),
    ("bfocal_all", lambda **kw: losses.BinaryFocalCrossentropy(True, 0.4, 1.5, False, 0.1, **kw),
     lambda t, p: R.binary_focal(t, p, True, 0.4, 1.5, False, 0.1), "binary"),
    ("bfocal_logits", lambda **kw: losses.BinaryFocalCrossentropy(apply_class_balancing=True, from_logits=True, **kw),
     lambda t, p: R.binary_focal(t, p, True, from_logits=True), "binary_logits"),
    ("cfocal", lambda **kw: losses.CategoricalFocalCrossentropy(**kw), R.categorical_focal, "onehot"),
    ("cfocal_ls", lambda **kw: losses.CategoricalFocalCrossentropy(0.5, 3.0, False, 0.2, **kw),
     lambda t, p: R.categorical_focal(t, p, 0.5, 3.0, False, 0.2), "onehot"),
    ("cfocal_logits", lambda **kw: losses.CategoricalFocalCrossentropy(from_logits=True, **kw),
     lambda t, p: R.categorical_focal(t, p, from_logits=True), "onehot_logits"),
]
IDS = [c[0] for c in CASES]
SHAPES = [(5, 4), (1, 3), (3, 2, 4), (6, 1)]


# Categorical losses need K > 1, so they skip the (6, 1) shape.
VALUE_CASES = [(case, shape) for case in CASES for shape in SHAPES
               if not (case[3].startswith(("onehot", "sparse")) and shape[-1] == 1)]


@pytest.mark.parametrize("case,shape", VALUE_CASES, ids=[f"{c[0]}-{s}" for c, s in VALUE_CASES])
def test_values_match_keras_formula(rng, case, shape):
    _, make, ref, kind = case
    t, p = make_data(kind, shape, rng)
    expected = ref(t, p)
    np.testing.assert_allclose(make()(t, p), expected.mean(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(make(reduction="none")(t, p), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(make(reduction="none")(t, p).shape, shape[:-1])


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "mean", "sum", "mean_with_sample_weight", "none"])
def test_reductions_and_sample_weights(rng, case, reduction):
    _, make, ref, kind = case
    t, p = make_data(kind, (4, 3, 5), rng)
    w = rng.uniform(0, 2, size=4)
    w[1] = 0.0
    values = ref(t, p)
    loss = make(reduction=reduction)
    np.testing.assert_allclose(loss(t, p, sample_weight=w), R.reduce(values, w, reduction), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(loss(t, p, sample_weight=w[:, None]), R.reduce(values, w, reduction), rtol=1e-10,
                               atol=1e-12)
    np.testing.assert_allclose(loss(t, p), R.reduce(values, None, reduction), rtol=1e-10, atol=1e-12)


def core_name_and_config(loss):
    return loss._core_name, loss.from_logits, loss._core_config()


def numeric_grad(name, from_logits, config, t, p, w, fused=False, h=1e-6):
    g = np.zeros_like(p)
    flat, gflat = p.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = _core.compute_loss(name, from_logits, t, p, fused, w, config)[0]
        flat[i] = old - h
        down = _core.compute_loss(name, from_logits, t, p, fused, w, config)[0]
        flat[i] = old
        gflat[i] = (up - down) / (2 * h)
    return g


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("shape", [(1, 4), (3, 5), (2, 2, 3)], ids=str)
@pytest.mark.parametrize("weighted", [False, True])
def test_gradients_match_finite_differences(rng, case, shape, weighted):
    _, make, _, kind = case
    t, p = make_data(kind, shape, rng)
    w = rng.uniform(0.5, 2, size=shape[0]) if weighted else None
    name, from_logits, config = core_name_and_config(make())
    _, analytic = _core.compute_loss(name, from_logits, t, p, False, w, config)
    numeric = numeric_grad(name, from_logits, config, t, p, w)
    assert relative_error(analytic, numeric) <= 1e-6


@pytest.mark.parametrize("name,ls,kind", [("categorical_crossentropy", 0.0, "onehot_logits"),
                                          ("categorical_crossentropy", 0.2, "onehot_logits"),
                                          ("sparse_categorical_crossentropy", 0.0, "sparse_logits"),
                                          ("binary_crossentropy", 0.1, "binary_logits")])
def test_fused_path_weights_and_smoothing(rng, name, ls, kind):
    """The fused (logits) path gives the reference value and gradient, with weights."""
    t, z = make_data(kind, (6, 4), rng)
    w = rng.uniform(0, 2, size=6)
    config = {} if name.startswith("sparse") else {"label_smoothing": ls}
    value, grad = _core.compute_loss(name, False, t, z, True, w, config)
    if name == "categorical_crossentropy":
        rows = R.cce(t, z, True, ls)
    elif name == "binary_crossentropy":
        rows = R.bce(t, z, True, ls)
    else:
        rows = R.scce(t, z, True)
    assert value == pytest.approx(R.reduce(rows, w), rel=1e-10)
    assert relative_error(grad, numeric_grad(name, False, config, t, z, w, fused=True)) <= 1e-6


@pytest.mark.parametrize("scale", [1e2, 1e8, 1e30])
def test_smoothed_crossentropy_stable_for_huge_logits(scale):
    z = np.array([[1.0, -1.0, 0.5], [-2.0, 3.0, 0.0]]) * scale
    t = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    value, grad = _core.compute_loss("categorical_crossentropy", False, t, z, True, None, {"label_smoothing": 0.1})
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    ts = t * 0.9 + 0.1 / 3
    np.testing.assert_allclose(grad, (R.softmax(z) - ts) / 2, atol=1e-12)
    value, grad = _core.compute_loss("binary_crossentropy", False, t, z, True, None, {"label_smoothing": 0.1})
    assert np.isfinite(value) and np.all(np.isfinite(grad))


def test_sparse_ignore_class(rng):
    labels = np.array([0, -1, 2, 1, -1], dtype=float)
    p = rng.uniform(0.05, 0.95, size=(5, 3))
    valid = labels != -1
    rows = np.where(valid, R.scce(np.where(valid, labels, 0), p), 0.0)
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    # Keras: masked rows leave both the sum and the count (total / (valid + epsilon)).
    assert loss(labels, p) == pytest.approx(rows.sum() / (valid.sum() + 1e-7), rel=1e-12)
    w = rng.uniform(0.5, 2, size=5)
    assert loss(labels, p, sample_weight=w) == pytest.approx((rows * w).sum() / (valid.sum() + 1e-7), rel=1e-12)
    none = losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="none")(labels, p)
    np.testing.assert_allclose(none, rows, rtol=1e-12)
    logits = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)(labels, np.log(p))
    assert logits == pytest.approx(R.scce(np.where(valid, labels, 0), np.log(p), True)[valid].sum() /
                                   (valid.sum() + 1e-7), rel=1e-10)


def test_hinge_keeps_non_binary_labels(rng):
    t = np.array([[0.0, 1.0, 0.5]])
    p = rng.normal(size=(1, 3))
    assert losses.Hinge()(t, p) == pytest.approx(np.maximum(1 - t * p, 0).mean(), rel=1e-12)


@pytest.mark.parametrize("axis", [0, 1])
def test_axis_argument(rng, axis):
    t, p = make_data("onehot", (3, 4), rng)
    t, p = np.moveaxis(t, -1, axis).copy(), np.moveaxis(p, -1, axis).copy()
    src = (lambda a: np.moveaxis(a, axis, -1))
    assert losses.CategoricalCrossentropy(axis=axis)(t, p) == pytest.approx(R.cce(src(t), src(p)).mean(), rel=1e-12)
    assert losses.BinaryCrossentropy(axis=axis)(t, p) == pytest.approx(R.bce(src(t), src(p)).mean(), rel=1e-12)
    assert losses.CosineSimilarity(axis=axis)(t, p) == pytest.approx(R.cosine(src(t), src(p)).mean(), rel=1e-12)


def test_function_aliases(rng):
    t, p = make_data("pos", (4, 3), rng)
    for fn, ref in [(losses.mse, R.mse), (losses.MSE, R.mse), (losses.mae, R.mae), (losses.MAE, R.mae),
                    (losses.mape, R.mape), (losses.msle, R.msle), (losses.huber, R.huber),
                    (losses.log_cosh, R.log_cosh), (losses.logcosh, R.log_cosh), (losses.kld, R.kld),
                    (losses.kl_divergence, R.kld), (losses.poisson, R.poisson), (losses.hinge, R.hinge),
                    (losses.squared_hinge, R.squared_hinge), (losses.categorical_hinge, R.categorical_hinge),
                    (losses.cosine_similarity, R.cosine)]:
        assert fn(t, p) == pytest.approx(ref(t, p).mean(), rel=1e-12), fn.__name__
    tb, pb = make_data("binary", (4, 3), rng)
    assert losses.binary_focal_crossentropy(tb, pb) == pytest.approx(R.binary_focal(tb, pb).mean(), rel=1e-12)
    assert losses.categorical_focal_crossentropy(tb, pb) == pytest.approx(R.categorical_focal(tb, pb).mean(),
                                                                          rel=1e-12)
    for name in ["mse", "mae", "mape", "msle", "kld", "huber", "huber_loss", "log_cosh", "logcosh", "poisson",
                 "hinge", "squared_hinge", "categorical_hinge", "cosine_similarity", "kl_divergence",
                 "binary_focal_crossentropy", "categorical_focal_crossentropy", "Huber", "KLDivergence"]:
        assert isinstance(losses.get(name), losses.Loss)
    assert isinstance(losses.get(losses.huber), losses.Huber)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_config_round_trip(rng, case):
    _, make, _, kind = case
    loss = make(reduction="sum")
    clone = type(loss).from_config(loss.get_config())
    assert clone.get_config() == loss.get_config()
    again = losses.deserialize(losses.serialize(loss))
    t, p = make_data(kind, (3, 4), rng)
    assert again(t, p) == loss(t, p)


def test_keras_defaults():
    assert losses.Huber().get_config() == {"name": "huber_loss", "reduction": "sum_over_batch_size", "delta": 1.0}
    c = losses.BinaryFocalCrossentropy().get_config()
    assert (c["apply_class_balancing"], c["alpha"], c["gamma"], c["from_logits"], c["label_smoothing"], c["axis"]) == \
        (False, 0.25, 2.0, False, 0.0, -1)
    c = losses.CategoricalFocalCrossentropy().get_config()
    assert (c["alpha"], c["gamma"], c["name"]) == (0.25, 2.0, "categorical_focal_crossentropy")
    assert losses.SparseCategoricalCrossentropy().get_config()["ignore_class"] is None
    assert losses.KLDivergence().name == "kl_divergence" and losses.LogCosh().name == "log_cosh"
    assert losses.MeanSquaredError(reduction=None).reduction == "none"


# ---------------------------------------------------------------- torch, where definitions agree
def test_torch_agreement(rng):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    tt = lambda a: torch.tensor(a, dtype=torch.float64)  # noqa: E731
    t, p = make_data("reg", (5, 4), rng)
    assert losses.Huber(delta=0.7)(t, p) == pytest.approx(F.huber_loss(tt(p), tt(t), delta=0.7).item(), rel=1e-12)
    assert losses.MeanSquaredError()(t, p) == pytest.approx(F.mse_loss(tt(p), tt(t)).item(), rel=1e-12)
    assert losses.MeanAbsoluteError()(t, p) == pytest.approx(F.l1_loss(tt(p), tt(t)).item(), rel=1e-12)
    # cosine_similarity (eps only matters for near-zero vectors)
    assert losses.CosineSimilarity()(t, p) == pytest.approx(-F.cosine_similarity(tt(p), tt(t), dim=-1).mean().item(),
                                                            rel=1e-10)
    tb, z = make_data("binary_logits", (5, 4), rng)
    assert losses.BinaryCrossentropy(from_logits=True)(tb, z) == pytest.approx(
        F.binary_cross_entropy_with_logits(tt(z), tt(tb)).item(), rel=1e-12)
    to, zo = make_data("onehot_logits", (5, 4), rng)
    assert losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2)(to, zo) == pytest.approx(
        F.cross_entropy(tt(zo), tt(to).argmax(-1), label_smoothing=0.2).item(), rel=1e-12)
    assert losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2)(to.argmax(-1), zo) == pytest.approx(
        F.cross_entropy(tt(zo), torch.tensor(to.argmax(-1)), ignore_index=2).item(), rel=1e-6)
    tp, pp = make_data("pos", (5, 4), rng)
    # poisson_nll_loss(log_input=False) = p - t log(p + eps), with torch's eps = 1e-8 vs Keras' 1e-7
    assert losses.Poisson()(tp, pp) == pytest.approx(F.poisson_nll_loss(tt(pp), tt(tp), log_input=False).item(),
                                                     rel=1e-6)
    td, pd = make_data("dist", (5, 4), rng)
    # kl_div(log q, t, 'batchmean') = sum t log(t / q) / N
    assert losses.KLDivergence()(td, pd) == pytest.approx(
        F.kl_div(tt(np.log(pd)), tt(td), reduction="batchmean").item(), rel=1e-12)
    ts, ps = make_data("signs", (5, 4), rng)
    # hinge_embedding_loss is a different loss; multi-margin with one target column per row is not, so
    # the binary hinge is checked against torch's clamp formula on the same tensors.
    assert losses.Hinge()(ts, ps) == pytest.approx(torch.clamp(1 - tt(ts) * tt(ps), min=0).mean().item(), rel=1e-12)
    w = rng.uniform(0.5, 2, size=5)
    assert losses.BinaryCrossentropy(from_logits=True, reduction="sum")(tb, z, sample_weight=w) == pytest.approx(
        (F.binary_cross_entropy_with_logits(tt(z), tt(tb), reduction="none").mean(-1) * tt(w)).sum().item(), rel=1e-12)


# ---------------------------------------------------------------- through a model
@pytest.mark.parametrize("loss,act,kind", [
    (losses.MeanAbsolutePercentageError(), "linear", "reg"), (losses.Huber(delta=0.5), "tanh", "reg"),
    (losses.LogCosh(), "linear", "reg"), (losses.Poisson(), "softplus", "pos"),
    (losses.MeanSquaredLogarithmicError(), "softplus", "pos"), (losses.KLDivergence(), "softmax", "dist"),
    (losses.SquaredHinge(), "linear", "binary"), (losses.CategoricalHinge(), "linear", "onehot"),
    (losses.CosineSimilarity(), "linear", "reg"), (losses.BinaryCrossentropy(label_smoothing=0.1), "sigmoid", "binary"),
    (losses.CategoricalCrossentropy(label_smoothing=0.2), "softmax", "onehot"),
    (losses.BinaryFocalCrossentropy(apply_class_balancing=True), "sigmoid", "binary"),
    (losses.BinaryFocalCrossentropy(from_logits=True), "linear", "binary"),
    (losses.CategoricalFocalCrossentropy(), "softmax", "onehot"),
    (losses.CategoricalFocalCrossentropy(from_logits=True), "linear", "onehot"),
], ids=lambda v: getattr(v, "name", str(v)))
@pytest.mark.parametrize("batch", [1, 4])
def test_gradients_through_dense_model(rng, loss, act, kind, batch):
    model = float64_model([axon.layers.Dense(3, activation=act)], (4,), loss=loss)
    x = rng.normal(size=(batch, 4))
    y, _ = make_data(kind, (batch, 3), rng)
    assert_gradients_match(model, x, y)


def test_gradients_through_model_with_sample_weight(rng):
    model = float64_model([axon.layers.Dense(3, activation="softmax")], (4,),
                          loss=losses.CategoricalCrossentropy(label_smoothing=0.1))
    x = rng.normal(size=(5, 4))
    y, _ = make_data("onehot", (5, 3), rng)
    w = rng.uniform(0.2, 2, size=5)
    core = model._core
    loss, grads, _ = core.loss_and_gradients(x, y, sample_weight=w)
    probs = model.predict(x, verbose=0)
    assert loss == pytest.approx(R.reduce(R.cce(y, probs, False, 0.1), w), rel=1e-10)
    kernel = core.get_param(0)
    h, num = 1e-6, np.zeros_like(kernel)
    for i in np.ndindex(kernel.shape):
        for sign in (1, -1):
            k2 = kernel.copy()
            k2[i] += sign * h
            core.set_param(0, k2)
            num[i] += sign * core.loss_and_gradients(x, y, sample_weight=w)[0] / (2 * h)
    core.set_param(0, kernel)
    assert relative_error(grads[0], num) <= 1e-6


def _train(x, y, loss, sample_weight=None, epochs=3):
    axon.utils.set_random_seed(3)
    model = axon.Sequential([axon.Input((x.shape[1],)), axon.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=axon.optimizers.SGD(0.1), loss=loss)
    model.fit(x, y, batch_size=len(x), epochs=epochs, shuffle=False, verbose=0, sample_weight=sample_weight)
    return model.get_weights()


@pytest.mark.parametrize("reduction", ["sum", "mean_with_sample_weight"])
def test_fit_with_integer_weights_equals_duplicated_samples(rng, reduction):
    axon.config.set_floatx("float64")
    x = rng.normal(size=(6, 3))
    y = np.eye(2)[rng.integers(0, 2, 6)]
    w = np.array([1, 2, 3, 1, 0, 2])
    loss = losses.CategoricalCrossentropy(reduction=reduction)
    weighted = _train(x, y, loss, w)
    duplicated = _train(np.repeat(x, w, axis=0), np.repeat(y, w, axis=0),
                        losses.CategoricalCrossentropy(reduction=reduction))
    # 'sum' of duplicates = sum of w * loss; 'mean_with_sample_weight' = the duplicates' mean.
    if reduction == "sum":
        for a, b in zip(weighted, duplicated):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    else:
        mean_dup = _train(np.repeat(x, w, axis=0), np.repeat(y, w, axis=0), losses.CategoricalCrossentropy())
        for a, b in zip(weighted, mean_dup):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_fit_unit_weights_equal_no_weights(rng):
    x = rng.normal(size=(20, 3)).astype(np.float32)
    y = np.eye(2)[rng.integers(0, 2, 20)]
    for a, b in zip(_train(x, y, "categorical_crossentropy", np.ones(20)), _train(x, y, "categorical_crossentropy")):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("loss", ["mse", losses.Huber(), losses.CategoricalCrossentropy(label_smoothing=0.1),
                                  "categorical_crossentropy"])
def test_evaluate_with_sample_weight(rng, loss):
    axon.config.set_floatx("float64")
    model = axon.Sequential([axon.Input((3,)), axon.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss=loss)
    x = rng.normal(size=(20, 3))
    y = np.eye(2)[rng.integers(0, 2, 20)]
    w = rng.uniform(0, 3, size=20)
    probs = model.predict(x, verbose=0)
    rows = losses.get(loss).call(y, probs)
    # sum_over_batch_size: divided by the number of samples, not the sum of the weights
    for bs in (20, 7):
        assert model.evaluate(x, y, sample_weight=w, batch_size=bs, verbose=0) == pytest.approx(
            (rows * w).sum() / 20, rel=1e-10)
    assert model.evaluate(x, y, sample_weight=w[:, None], verbose=0) == pytest.approx((rows * w).sum() / 20, rel=1e-10)
    assert model.test_on_batch(x, y, sample_weight=w) == pytest.approx((rows * w).sum() / 20, rel=1e-10)


def test_validation_split_splits_sample_weight(rng):
    axon.config.set_floatx("float64")
    model = axon.Sequential([axon.Input((3,)), axon.layers.Dense(1)])
    model.compile(optimizer=axon.optimizers.SGD(0.0), loss="mse")
    x, y = rng.normal(size=(10, 3)), rng.normal(size=(10, 1))
    w = np.arange(10.0)
    hist = model.fit(x, y, sample_weight=w, validation_split=0.3, epochs=1, verbose=0)
    pred = model.predict(x, verbose=0)
    rows = ((pred - y) ** 2)[:, 0]
    assert hist.history["loss"][0] == pytest.approx((rows[:7] * w[:7]).sum() / 7, rel=1e-10)
    assert hist.history["val_loss"][0] == pytest.approx((rows[7:] * w[7:]).sum() / 3, rel=1e-10)
    hist = model.fit(x[:7], y[:7], validation_data=(x[7:], y[7:], w[7:]), epochs=1, verbose=0)
    assert hist.history["val_loss"][0] == pytest.approx((rows[7:] * w[7:]).sum() / 3, rel=1e-10)


def test_trainer_with_sum_reduction_and_ignore_class(rng):
    axon.config.set_floatx("float64")
    model = axon.Sequential([axon.Input((3,)), axon.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss=losses.SparseCategoricalCrossentropy(ignore_class=1))
    x = rng.normal(size=(8, 3))
    y = rng.integers(0, 3, 8).astype(float)
    probs = model.predict(x, verbose=0)
    valid = y != 1
    rows = np.where(valid, R.scce(np.where(valid, y, 0), probs), 0)
    assert model.evaluate(x, y, batch_size=8, verbose=0) == pytest.approx(rows.sum() / (valid.sum() + 1e-7),
                                                                          rel=1e-10)
    model.compile(optimizer="sgd", loss=losses.MeanSquaredError(reduction="sum"))
    yd = rng.normal(size=(8, 3))
    assert model.evaluate(x, yd, batch_size=8, verbose=0) == pytest.approx(R.mse(yd, probs).sum(), rel=1e-10)


# ---------------------------------------------------------------- errors
def test_sample_weight_errors(rng):
    model = axon.Sequential([axon.Input((3,)), axon.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = rng.normal(size=(10, 3)), rng.normal(size=(10, 1))
    for bad in (np.ones(9), np.ones((10, 2)), np.array([np.nan] + [1.0] * 9), np.array([np.inf] * 10)):
        with pytest.raises(ValueError, match="sample_weight"):
            model.fit(x, y, sample_weight=bad, verbose=0)
        with pytest.raises(ValueError, match="sample_weight"):
            model.evaluate(x, y, sample_weight=bad, verbose=0)
    with pytest.raises(ValueError, match="sample_weight"):
        losses.MeanSquaredError()(y, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="sample_weight"):
        losses.MeanSquaredError()(y, y, sample_weight=np.full(10, np.nan))


def test_loss_errors():
    with pytest.raises(ValueError, match="unknown loss"):
        losses.get("mean_cubed_error")
    with pytest.raises(ValueError, match="unknown loss"):
        _core.compute_loss("mean_cubed_error", False, np.ones((1, 2)), np.ones((1, 2)))
    model = axon.Sequential([axon.Input((3,)), axon.layers.Dense(1)])
    with pytest.raises(ValueError, match="unknown loss"):
        model.compile(optimizer="sgd", loss="mean_cubed_error")
    with pytest.raises(ValueError, match="custom Loss"):
        model.compile(optimizer="sgd", loss=losses.Loss())
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="avg")
    with pytest.raises(ValueError, match="reduction='none'"):
        model.compile(optimizer="sgd", loss=losses.MeanSquaredError(reduction="none"))
    with pytest.raises(ValueError, match="axis"):
        model.compile(optimizer="sgd", loss=losses.CategoricalCrossentropy(axis=0))
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.BinaryCrossentropy(label_smoothing=1.5)
    with pytest.raises(ValueError, match="labels must be integers"):
        losses.SparseCategoricalCrossentropy()(np.array([3.0]), np.array([[0.5, 0.5]]))
