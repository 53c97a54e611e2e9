"""The normalization layers in the Sequential API: summary() as Keras prints it, weights and
their trainability, frozen BatchNormalization, config round trips, native saving, resuming,
argument and build errors, and a small convnet with BatchNormalization learning MNIST."""


import numpy as np
import pytest

import axon
from axon import layers
from saving_helpers import assert_config_round_trips


def normnet():
    return axon.Sequential([
        axon.Input(shape=(8, 8, 3)),
        layers.Conv2D(4, 3),
        layers.BatchNormalization(),
        layers.LayerNormalization(axis=[1, 2]),
        layers.GroupNormalization(groups=2),
        layers.Flatten(),
        layers.Dense(2),
    ])


# The same model's model.summary() with Keras 3.15 (KERAS_BACKEND=torch).
KERAS_SUMMARY = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                 │ (None, 6, 6, 4)        │           112 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization             │ (None, 6, 6, 4)        │            16 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ layer_normalization             │ (None, 6, 6, 4)        │            72 │
│ (LayerNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ group_normalization             │ (None, 6, 6, 4)        │             8 │
│ (GroupNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ flatten (Flatten)               │ (None, 144)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 2)              │           290 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 498 (1.95 KB)
 Trainable params: 490 (1.91 KB)
 Non-trainable params: 8 (32.00 B)"""


def test_summary_is_keras():
    lines = []
    normnet().summary(print_fn=lines.append, line_length=None)
    assert "\n".join(lines).strip() == KERAS_SUMMARY


def test_weights_names_shapes_and_trainability():
    model = normnet()
    bn, ln, gn = model.layers[1:4]
    assert [(w.name, w.shape, w.trainable) for w in bn.weights] == [
        ("gamma", (4,), True), ("beta", (4,), True), ("moving_mean", (4,), False), ("moving_variance", (4,), False)]
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert [(w.name, w.shape) for w in ln.weights] == [("gamma", (6, 6)), ("beta", (6, 6))]
    assert [(w.name, w.shape) for w in gn.weights] == [("gamma", (4,)), ("beta", (4,))]
    np.testing.assert_array_equal(bn.moving_variance.numpy(), np.ones(4, np.float32))
    np.testing.assert_array_equal(bn.gamma.numpy(), np.ones(4, np.float32))
    assert len(model.trainable_weights) == 10 and len(model.non_trainable_weights) == 2
    # Freezing and unfreezing never makes the moving statistics trainable.
    bn.trainable = False
    assert bn.trainable_weights == [] and len(bn.non_trainable_weights) == 4
    bn.trainable = True
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert [model._core.param_trainable(pid) for pid in bn._param_ids] == [True, True, False, False]


def test_no_center_no_scale_weights():
    model = axon.Sequential([axon.Input((5,)), layers.BatchNormalization(center=False, scale=False),
                             layers.LayerNormalization(center=False), layers.GroupNormalization(5, scale=False)])
    bn, ln, gn = model.layers
    assert [w.name for w in bn.weights] == ["moving_mean", "moving_variance"]
    assert [w.name for w in ln.weights] == ["gamma"] and [w.name for w in gn.weights] == ["beta"]
    assert bn.gamma is None and bn.beta is None and model.count_params() == 20


def _classification(n=128, d=6, seed=0):
    g = np.random.default_rng(seed)
    x = (g.normal(size=(n, d)) * 5 + 3).astype(np.float32)
    y = axon.utils.to_categorical((x[:, 0] > 3).astype(int) + (x[:, 1] > 3).astype(int), 3).astype(np.float32)
    return x, y


def _bn_model(seed=1, optimizer=None):
    axon.utils.set_random_seed(seed)
    model = axon.Sequential([axon.Input((6,)), layers.Dense(16, use_bias=False), layers.BatchNormalization(momentum=0.9),
                             layers.Activation("relu"), layers.Dropout(0.1), layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer or axon.optimizers.Adam(0.02), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_fit_evaluate_predict_with_batch_normalization():
    x, y = _classification()
    model = _bn_model()
    bn = model.layers[1]
    history = model.fit(x, y, batch_size=16, epochs=15, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    # The moving statistics moved towards the data's statistics (Dense output, ~ N(?, large)).
    assert not np.allclose(bn.moving_variance.numpy(), 1.0)
    loss, acc = model.evaluate(x, y, verbose=0)
    assert acc > 0.7
    # evaluate and predict use the moving statistics and leave them alone.
    before = bn.get_weights()
    p = model.predict(x, verbose=0)
    assert p.shape == (128, 3)
    for a, b in zip(before, bn.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_frozen_batch_normalization_uses_and_keeps_moving_statistics():
    x, y = _classification()
    model = _bn_model()
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    bn = model.layers[1]
    bn.trainable = False
    before = bn.get_weights()
    dense_before = model.layers[0].get_weights()[0]
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    for a, b in zip(before, bn.get_weights()):
        np.testing.assert_array_equal(a, b)  # neither gamma/beta nor the moving statistics change
    assert not np.array_equal(dense_before, model.layers[0].get_weights()[0])  # the rest trains
    # In training mode the frozen layer gives its inference output.
    sub = axon.Sequential([axon.Input((6,)), model.layers[0], bn])
    sub.compile("sgd", "mse")
    np.testing.assert_allclose(sub(x, training=True), sub.predict(x, verbose=0), rtol=1e-6, atol=1e-6)


def test_set_weights_roundtrip_includes_moving_statistics(rng):
    model = _bn_model()
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in model.get_weights()]
    model.set_weights(weights)
    for a, b in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_native_save_load_keeps_moving_statistics(tmp_path):
    x, y = _classification()
    model = _bn_model()
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    model.save(tmp_path / "bn.axon")
    loaded = axon.models.load_model(tmp_path / "bn.axon")
    for a, b in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert [w.name for w in loaded.non_trainable_weights] == ["moving_mean", "moving_variance"]


def test_fit_resumes_bit_identically_with_batch_normalization(tmp_path):
    x, y = _classification()
    straight = _bn_model(seed=5)
    straight.fit(x, y, batch_size=16, epochs=4, verbose=0)
    first = _bn_model(seed=5)
    first.fit(x, y, batch_size=16, epochs=2, verbose=0)
    first.save(tmp_path / "half.axon")
    resumed = axon.models.load_model(tmp_path / "half.axon")
    resumed.fit(x, y, batch_size=16, epochs=4, initial_epoch=2, verbose=0)
    for a, b in zip(resumed.get_weights(), straight.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


class _Interrupt(axon.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if self.model.optimizer.iterations == 19:
            raise KeyboardInterrupt


def test_backup_and_restore_with_batch_normalization(tmp_path):
    x, y = _classification()
    straight = _bn_model(seed=9)
    straight.fit(x, y, batch_size=16, epochs=4, verbose=0)
    backup = axon.callbacks.BackupAndRestore(tmp_path / "backup", save_freq=5)
    # Stops like Ctrl-C after step 19; the backup of step 15 stays.
    _bn_model(seed=9).fit(x, y, batch_size=16, epochs=4, verbose=0, callbacks=[backup, _Interrupt()])
    assert (tmp_path / "backup" / "latest.axon").exists()
    resumed = _bn_model(seed=123)
    resumed.fit(x, y, batch_size=16, epochs=4, verbose=0,
                callbacks=[axon.callbacks.BackupAndRestore(tmp_path / "backup", save_freq=5)])
    for a, b in zip(resumed.get_weights(), straight.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


CONFIG_LAYERS = [
    lambda: layers.BatchNormalization(axis=1, momentum=0.9, epsilon=1e-5, center=False,
                                      gamma_regularizer="l2", beta_constraint="non_neg",
                                      moving_variance_initializer="zeros"),
    lambda: layers.LayerNormalization(axis=[-2, -1], epsilon=1e-6, scale=False, beta_initializer="ones"),
    lambda: layers.LayerNormalization(rms_scaling=True),
    lambda: layers.GroupNormalization(groups=4, axis=1, gamma_initializer="random_normal"),
]


@pytest.mark.parametrize("make", CONFIG_LAYERS)
def test_config_round_trips_through_json(make):
    assert_config_round_trips(make())


def test_keras_config_keys():
    bn = layers.BatchNormalization().get_config()
    assert list(bn)[3:] == ["axis", "momentum", "epsilon", "center", "scale", "beta_initializer",
                            "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
                            "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
                            "synchronized", "renorm", "renorm_clipping", "renorm_momentum"]
    assert bn["momentum"] == 0.99 and bn["epsilon"] == 1e-3
    gn = layers.GroupNormalization().get_config()
    assert gn["groups"] == 32 and gn["axis"] == -1


@pytest.mark.parametrize("make,input_shape,match", [
    (lambda: layers.BatchNormalization(axis=3), (4, 5),
     r"BatchNormalization 'batch_normalization': axis 3 is out of bounds for input shape \(None, 4, 5\)"),
    (lambda: layers.BatchNormalization(axis=0), (4,), r"BatchNormalization 'batch_normalization'.*batch axis"),
    (lambda: layers.LayerNormalization(axis=[2, -2]), (2, 3, 4),
     r"LayerNormalization 'layer_normalization': axis lists an axis twice"),
    (lambda: layers.LayerNormalization(axis=-4), (2, 3), r"LayerNormalization.*out of bounds"),
    (lambda: layers.GroupNormalization(groups=3), (5, 8),
     r"GroupNormalization 'group_normalization'.*channels \(8\) must be divisible by groups \(3\)"),
    (lambda: layers.GroupNormalization(), (5, 8),
     r"GroupNormalization 'group_normalization'.*groups \(32\) cannot be more than the number of channels \(8\)"),
])
def test_build_errors_name_the_layer(make, input_shape, match):
    with pytest.raises(ValueError, match=match):
        axon.Sequential([axon.Input(shape=input_shape), make()])


@pytest.mark.parametrize("make,match", [
    (lambda: layers.BatchNormalization(epsilon=-1e-3), r"BatchNormalization '.*': epsilon must be a number >= 0"),
    (lambda: layers.BatchNormalization(momentum=1.5), r"BatchNormalization '.*': momentum must be a number in"),
    (lambda: layers.BatchNormalization(axis=1.5), r"BatchNormalization '.*': axis must be an integer"),
    (lambda: layers.BatchNormalization(renorm=True), r"renorm=True .* not supported"),
    (lambda: layers.BatchNormalization(synchronized=True), r"synchronized=True is not supported"),
    (lambda: layers.LayerNormalization(epsilon="big"), r"LayerNormalization '.*': epsilon must be a number"),
    (lambda: layers.LayerNormalization(axis=[]), r"LayerNormalization '.*': axis must name at least one axis"),
    (lambda: layers.GroupNormalization(groups=0), r"GroupNormalization '.*': groups must be a positive integer"),
    (lambda: layers.GroupNormalization(groups=2.0), r"GroupNormalization '.*': groups must be an integer"),
])
def test_argument_errors_name_the_layer(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_layer_norm_axis_type_error():
    with pytest.raises(TypeError, match="LayerNormalization .*expected an int or a list/tuple of ints"):
        layers.LayerNormalization(axis="last")


def test_convnet_with_batch_normalization_learns_mnist():
    (x, y), (xt, yt) = axon.datasets.mnist.load_data()
    x, xt = x[:1200, :, :, None] / np.float32(255), xt[:500, :, :, None] / np.float32(255)
    y, yt = axon.utils.to_categorical(y[:1200], 10), axon.utils.to_categorical(yt[:500], 10)
    axon.utils.set_random_seed(0)
    model = axon.Sequential([
        axon.Input((28, 28, 1)),
        layers.Conv2D(8, 3, use_bias=False), layers.BatchNormalization(), layers.Activation("relu"),
        layers.MaxPooling2D(2), layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=axon.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=2, verbose=0)
    assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]
    _, acc = model.evaluate(xt, yt, verbose=0)  # with the moving statistics
    assert acc > 0.85


def test_frozen_batch_normalization_stays_frozen_after_loading(tmp_path):
    x, y = _classification()
    model = _bn_model()
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    model.layers[1].trainable = False
    model.save(tmp_path / "frozen.axon")
    loaded = axon.models.load_model(tmp_path / "frozen.axon")
    bn = loaded.layers[1]
    assert not bn.trainable and len(bn.non_trainable_weights) == 4
    before = bn.get_weights()
    loaded.fit(x, y, batch_size=16, epochs=1, verbose=0)
    for a, b in zip(before, bn.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_batch_of_one_and_constant_features():
    """A batch of one (zero variance) normalizes to beta, as in Keras; nothing is NaN."""
    model = axon.Sequential([axon.Input((3,)), layers.BatchNormalization(beta_initializer="ones"),
                             layers.LayerNormalization(), layers.GroupNormalization(groups=3)])
    model.compile("sgd", "mse")
    y = model(np.array([[1.0, 2.0, 3.0]], np.float32), training=True)
    assert np.isfinite(y).all()
    grads, dx = model._core.gradients_from_output(np.ones((2, 3), np.float32), np.ones((2, 3), np.float32))
    assert np.isfinite(dx).all() and all(np.isfinite(g).all() for g in grads)
