"""BatchNormalization, LayerNormalization and GroupNormalization against PyTorch's functional
ops (float32): outputs, input and gamma/beta gradients to 1e-4 relative over a grid of shapes
and axes; BatchNormalization in training and inference mode, with Keras' moving-statistics
update (biased variance)."""

import numpy as np
import pytest

from axon import layers
from norm_refs import assert_close, model_of, randomize, torch_grads

torch = pytest.importorskip("torch")
F = torch.nn.functional

BN_GRID = [  # (batch shape, axis)
    ((6, 5), -1),
    ((4, 3, 7), -1),
    ((3, 5, 6, 4), -1),
    ((3, 4, 5, 6), 1),      # channels_first
    ((2, 3, 4, 5, 2), -1),
    ((3, 5, 6, 4), 2),      # a middle axis
    ((1, 7, 3), -2),
]


def _to_torch(x, axis):
    return torch.tensor(np.ascontiguousarray(np.moveaxis(x, axis, 1)), requires_grad=True)


def _from_torch(t, axis):
    return np.moveaxis(t.detach().numpy() if hasattr(t, "detach") else t, 1, axis)


@pytest.mark.parametrize("shape,axis", BN_GRID)
@pytest.mark.parametrize("center,scale", [(True, True), (False, True), (True, False)])
def test_batch_norm_training_matches_torch(shape, axis, center, scale):
    rng = np.random.default_rng(len(shape) * 10 + axis)
    x = rng.normal(2.0, 3.0, size=shape).astype(np.float32)
    layer = layers.BatchNormalization(axis=axis, momentum=0.9, epsilon=1e-3, center=center, scale=scale)
    model = model_of(layer, shape[1:])
    randomize(layer, rng)
    w = dict(zip([v.name for v in layer.weights], layer.get_weights()))
    y = model(x, training=True)
    dy = rng.normal(size=y.shape).astype(np.float32)
    grads, dx = model._core.gradients_from_output(x, dy)

    xt = _to_torch(x, axis)
    gt = torch.tensor(w["gamma"], requires_grad=True) if scale else None
    bt = torch.tensor(w["beta"], requires_grad=True) if center else None
    yt = F.batch_norm(xt, None, None, gt, bt, training=True, eps=1e-3)
    assert_close(y, _from_torch(yt, axis), "training output")
    gx, gg, gb = torch_grads(torch, yt, np.ascontiguousarray(np.moveaxis(dy, axis, 1)), xt, gt, bt)
    assert_close(dx, _from_torch(gx, axis), "input gradient")
    named = dict(zip([v.name for v in layer.weights], grads))
    if scale:
        assert_close(named["gamma"], gg, "gamma gradient")
    if center:
        assert_close(named["beta"], gb, "beta gradient")
    assert not named["moving_mean"].any() and not named["moving_variance"].any()


@pytest.mark.parametrize("shape,axis", BN_GRID)
def test_batch_norm_moving_statistics_follow_keras(shape, axis):
    rng = np.random.default_rng(3)
    x = rng.normal(1.0, 2.0, size=shape).astype(np.float32)
    layer = layers.BatchNormalization(axis=axis, momentum=0.8)
    model = model_of(layer, shape[1:])
    randomize(layer, rng)
    mm0, mv0 = layer.moving_mean.numpy(), layer.moving_variance.numpy()
    model(x, training=True)
    reduce = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    mean, var = x.astype(np.float64).mean(axis=reduce), x.astype(np.float64).var(axis=reduce)  # biased
    assert_close(layer.moving_mean.numpy(), mm0 * 0.8 + mean * 0.2, "moving_mean")
    assert_close(layer.moving_variance.numpy(), mv0 * 0.8 + var * 0.2, "moving_variance")
    # Inference leaves them alone.
    before = layer.get_weights()
    model.predict(x, verbose=0)
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("shape,axis", BN_GRID)
def test_batch_norm_inference_matches_torch(shape, axis):
    rng = np.random.default_rng(5)
    x = rng.normal(size=shape).astype(np.float32)
    layer = layers.BatchNormalization(axis=axis, epsilon=1e-2)
    model = model_of(layer, shape[1:])
    randomize(layer, rng)
    gamma, beta, mm, mv = layer.get_weights()
    y = model.predict(x, verbose=0)
    xt = _to_torch(x, axis)
    yt = F.batch_norm(xt, torch.tensor(mm), torch.tensor(mv), torch.tensor(gamma), torch.tensor(beta),
                      training=False, eps=1e-2)
    assert_close(y, _from_torch(yt, axis), "inference output")
    # A frozen layer runs in inference mode in training too: the gradient treats the
    # moving statistics as constants.
    layer.trainable = False
    dy = rng.normal(size=y.shape).astype(np.float32)
    _, dx = model._core.gradients_from_output(x, dy)
    (gx,) = torch_grads(torch, yt, np.ascontiguousarray(np.moveaxis(dy, axis, 1)), xt)
    assert_close(dx, _from_torch(gx, axis), "frozen input gradient")
    assert_close(model(x, training=True), y, "frozen training-mode output")


LN_GRID = [  # (batch shape, axis)
    ((6, 5), -1),
    ((4, 3, 7), -1),
    ((3, 5, 6, 4), -1),
    ((3, 5, 6, 4), [-2, -1]),
    ((3, 5, 6, 4), [1, 2, 3]),
    ((3, 5, 6, 4), 1),       # normalized axis not last: positions after it keep their own statistics
    ((2, 4, 3, 5), [1, 2]),
    ((3, 5, 6, 4), [1, 3]),  # non-adjacent axes
    ((2, 3, 4, 5, 2), [1, 3, 4]),
    ((2, 3, 4, 5, 2), [2, -1]),
]


def _ln_axes(axis, ndim):
    return sorted(a % ndim for a in (axis if isinstance(axis, list) else [axis]))


@pytest.mark.parametrize("shape,axis", LN_GRID)
@pytest.mark.parametrize("center,scale", [(True, True), (False, True), (True, False), (False, False)])
def test_layer_norm_matches_torch(shape, axis, center, scale):
    rng = np.random.default_rng(7)
    x = rng.normal(1.0, 2.0, size=shape).astype(np.float32)
    layer = layers.LayerNormalization(axis=axis, center=center, scale=scale)
    model = model_of(layer, shape[1:])
    if layer.weights:
        randomize(layer, rng)
    named = dict(zip([v.name for v in layer.weights], layer.get_weights()))
    axes = _ln_axes(axis, len(shape))
    rest = [i for i in range(len(shape)) if i not in axes]
    perm = rest + axes  # torch normalizes the trailing axes
    xt = torch.tensor(np.ascontiguousarray(np.transpose(x, perm)), requires_grad=True)
    gt = torch.tensor(named["gamma"], requires_grad=True) if scale else None
    bt = torch.tensor(named["beta"], requires_grad=True) if center else None
    yt = F.layer_norm(xt, [shape[a] for a in axes], gt, bt, eps=1e-3)
    inv = np.argsort(perm)
    y = model.predict(x, verbose=0)
    assert_close(y, np.transpose(yt.detach().numpy(), inv), "output")
    dy = rng.normal(size=y.shape).astype(np.float32)
    grads, dx = model._core.gradients_from_output(x, dy)
    gx, gg, gb = torch_grads(torch, yt, np.ascontiguousarray(np.transpose(dy, perm)), xt, gt, bt)
    assert_close(dx, np.transpose(gx, inv), "input gradient")
    grads = dict(zip([v.name for v in layer.weights], grads))
    if scale:
        assert named["gamma"].shape == tuple(shape[a] for a in axes)
        assert_close(grads["gamma"], gg, "gamma gradient")
    if center:
        assert_close(grads["beta"], gb, "beta gradient")


def test_layer_norm_rms_scaling_is_keras_formula():
    rng = np.random.default_rng(8)
    x = rng.normal(1.0, 2.0, size=(4, 3, 6)).astype(np.float32)
    with pytest.warns(DeprecationWarning, match="rms_scaling=True is deprecated"):
        layer = layers.LayerNormalization(rms_scaling=True)
    model = model_of(layer, x.shape[1:])
    assert [w.name for w in layer.weights] == ["gamma"]
    randomize(layer, rng)
    (gamma,) = layer.get_weights()
    x64 = x.astype(np.float64)
    expected = x64 / np.sqrt(x64.var(axis=-1, keepdims=True) + 1e-3) * gamma
    assert_close(model.predict(x, verbose=0), expected, "rms_scaling output")


GN_GRID = [  # (batch shape, groups, axis)
    ((4, 6), 3, -1),
    ((3, 5, 8), 4, -1),
    ((3, 5, 6, 8), 2, -1),
    ((3, 5, 6, 8), 8, -1),
    ((3, 5, 6, 8), 1, -1),
    ((2, 6, 4, 5), 3, 1),    # channels_first
    ((2, 4, 6, 3), 2, 2),    # channels in the middle
    ((2, 3, 4, 3, 4), 2, -1),
]


@pytest.mark.parametrize("shape,groups,axis", GN_GRID)
@pytest.mark.parametrize("center,scale", [(True, True), (False, True), (True, False)])
def test_group_norm_matches_torch(shape, groups, axis, center, scale):
    rng = np.random.default_rng(9)
    x = rng.normal(-1.0, 2.0, size=shape).astype(np.float32)
    layer = layers.GroupNormalization(groups=groups, axis=axis, center=center, scale=scale)
    model = model_of(layer, shape[1:])
    randomize(layer, rng)
    named = dict(zip([v.name for v in layer.weights], layer.get_weights()))
    xt = _to_torch(x, axis)
    gt = torch.tensor(named["gamma"], requires_grad=True) if scale else None
    bt = torch.tensor(named["beta"], requires_grad=True) if center else None
    c = shape[axis]  # torch's group_norm backward fails without a weight: pass ones instead
    yt = F.group_norm(xt, groups, gt if scale else torch.ones(c), bt if center else torch.zeros(c), eps=1e-3)
    y = model.predict(x, verbose=0)
    assert_close(y, _from_torch(yt, axis), "output")
    dy = rng.normal(size=y.shape).astype(np.float32)
    grads, dx = model._core.gradients_from_output(x, dy)
    gx, gg, gb = torch_grads(torch, yt, np.ascontiguousarray(np.moveaxis(dy, axis, 1)), xt, gt, bt)
    assert_close(dx, _from_torch(gx, axis), "input gradient")
    grads = dict(zip([v.name for v in layer.weights], grads))
    if scale:
        assert_close(grads["gamma"], gg, "gamma gradient")
    if center:
        assert_close(grads["beta"], gb, "beta gradient")


def test_group_norm_minus_one_is_instance_norm():
    rng = np.random.default_rng(10)
    x = rng.normal(size=(3, 5, 5, 4)).astype(np.float32)
    model = model_of(layers.GroupNormalization(groups=-1, center=False, scale=False), x.shape[1:])
    yt = F.instance_norm(torch.tensor(np.moveaxis(x, -1, 1)), eps=1e-3)
    assert_close(model.predict(x, verbose=0), np.moveaxis(yt.numpy(), 1, -1), "instance norm")


THREADS_SCRIPT = """
import sys, numpy as np, axon
from axon import layers
rng = np.random.default_rng(11)
x = rng.normal(size=(64, 12, 12, 16)).astype(np.float32)
model = axon.Sequential([axon.Input(shape=x.shape[1:]), layers.BatchNormalization(),
                         layers.GroupNormalization(groups=4), layers.LayerNormalization(axis=[1, 2, 3])])
model.compile(optimizer="sgd", loss="mse")
y = model(x, training=True)
grads, dx = model._core.gradients_from_output(x, rng.normal(size=y.shape).astype(np.float32))
np.savez(sys.argv[1], y, dx, *grads, *model.get_weights())
"""


@pytest.mark.parametrize("threads", ["1", "3"])
def test_results_do_not_depend_on_thread_count(tmp_path, threads):
    """Reductions are cut into blocks by shape only, each summed in a fixed order."""
    import os
    import subprocess
    import sys

    outs = []
    for n in ("2", threads):
        out = tmp_path / f"t{n}.npz"
        env = dict(os.environ, OMP_NUM_THREADS=n, PYTHONPATH=os.pathsep.join(sys.path))
        subprocess.run([sys.executable, "-c", THREADS_SCRIPT, str(out)], check=True, env=env)
        outs.append(np.load(out))
    for key in outs[0].files:
        np.testing.assert_array_equal(outs[0][key], outs[1][key], err_msg=key)
