"""ReduceLROnPlateau and LearningRateScheduler: the rate changes at exactly Keras' epoch."""

import math

import numpy as np
import pytest

import axon
from axon import layers
from axon.callbacks import CallbackList, LambdaCallback, LearningRateScheduler, ReduceLROnPlateau


def f32(x):
    return float(np.float32(x))


def small_model(lr, optimizer="sgd"):
    model = axon.Sequential([layers.Dense(1, input_shape=(2,))])
    opt = axon.optimizers.SGD(learning_rate=lr) if optimizer == "sgd" else optimizer
    model.compile(optimizer=opt, loss="mse")
    return model


def scripted(name, values):
    """A LambdaCallback that overwrites logs[name] with values[epoch] (placed first in the list)."""
    return LambdaCallback(on_epoch_end=lambda epoch, logs: logs.__setitem__(name, values[epoch]))


def rates_seen(model):
    """Records the learning rate each epoch trains with (read at epoch begin)."""
    seen = []
    return seen, LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append(model.optimizer.learning_rate))


class FakeOptimizer:
    def __init__(self, lr):
        self.learning_rate = lr


class FakeModel:
    def __init__(self, lr):
        self.optimizer = FakeOptimizer(lr)
        self.stop_training = False


def test_reduce_lr_synthetic_logs_patience_cooldown_min_lr(capsys):
    model = FakeModel(1.0)
    cb = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, cooldown=2, min_lr=0.2, verbose=1)
    cb.set_model(model)
    cb.on_train_begin()
    losses = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    logged = []
    for epoch, loss in enumerate(losses):
        logs = {"loss": loss}
        cb.on_epoch_end(epoch, logs)
        logged.append(logs["learning_rate"])
    # best at epoch 0; waits 1, 2 -> cut after epoch 2. Keras' cooldown counts down at the
    # start of each check, so cooldown=2 skips epoch 3 only; waits 1, 2 (epochs 4, 5) -> cut;
    # epoch 8 cuts to 0.125 but min_lr holds it at 0.2.
    assert logged == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]
    assert model.optimizer.learning_rate == 0.2
    out = capsys.readouterr().out
    assert out == ("\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.5.\n"
                   "\nEpoch 6: ReduceLROnPlateau reducing learning rate to 0.25.\n"
                   "\nEpoch 9: ReduceLROnPlateau reducing learning rate to 0.2.\n")


def test_reduce_lr_min_delta_and_max_mode():
    model = FakeModel(0.1)
    cb = ReduceLROnPlateau(monitor="val_accuracy", patience=1, min_delta=0.05)  # auto: 'acc' -> max
    cb.set_model(model)
    cb.on_train_begin()
    for epoch, acc in enumerate([0.5, 0.54, 0.6]):  # +0.04 is not an improvement; +0.1 would be
        cb.on_epoch_end(epoch, {"val_accuracy": acc})
        if epoch == 0:
            assert model.optimizer.learning_rate == 0.1
    assert model.optimizer.learning_rate == pytest.approx(0.01)  # cut after epoch 1
    assert cb.best == 0.6 and cb.wait == 0


def test_reduce_lr_defaults_and_errors():
    cb = ReduceLROnPlateau()
    assert (cb.monitor, cb.factor, cb.patience, cb.verbose, cb.mode, cb.min_delta, cb.cooldown, cb.min_lr) == (
        "val_loss", 0.1, 10, 0, "auto", 1e-4, 0, 0.0)
    with pytest.raises(ValueError, match="factor >= 1.0. Received factor=1.5"):
        ReduceLROnPlateau(factor=1.5)
    with pytest.raises(ValueError, match="ReduceLROnPlateau: mode must be 'auto', 'min' or 'max', got 'up'"):
        ReduceLROnPlateau(mode="up")
    with pytest.raises(TypeError, match="ReduceLROnPlateau: patience must be an integer, got 2.5"):
        ReduceLROnPlateau(patience=2.5)


def test_reduce_lr_missing_monitor_warns_but_logs_rate():
    cb = ReduceLROnPlateau(monitor="val_loss")
    cb.set_model(FakeModel(0.3))
    logs = {"loss": 1.0}
    with pytest.warns(UserWarning, match="`val_loss` which is not available. Available metrics are: loss,"):
        cb.on_epoch_end(0, logs)
    assert logs["learning_rate"] == 0.3


def test_reduce_lr_in_fit_scripted_val_loss(rng):
    model = small_model(0.1)
    seen, recorder = rates_seen(model)
    val = [1.0, 0.8, 0.8, 0.8, 0.9, 0.7, 0.7, 0.7]
    h = model.fit(rng.normal(size=(16, 2)), rng.normal(size=16), epochs=8, verbose=0,
                  callbacks=[scripted("val_loss", val), recorder, ReduceLROnPlateau(factor=0.5, patience=3)])
    # no improvement at epochs 2, 3, 4 -> cut after epoch 4; epoch 5 improves; 6, 7 wait.
    expected = [f32(0.1)] * 5 + [f32(0.05)] * 3
    assert seen == pytest.approx(expected, rel=1e-7)
    assert h.history["learning_rate"] == pytest.approx(expected, rel=1e-7)
    assert model.optimizer.learning_rate == pytest.approx(0.05, rel=1e-6)


def test_reduce_lr_on_a_real_plateau(rng):
    """A rate so small that the training loss moves less than min_delta: a true plateau."""
    model = small_model(1e-7)
    x, y = rng.normal(size=(32, 2)), rng.normal(size=32)
    h = model.fit(x, y, epochs=6, batch_size=8, shuffle=False, verbose=0,
                  callbacks=[ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)])
    assert max(h.history["loss"]) - min(h.history["loss"]) < 1e-4
    # best at epoch 0; waits 1, 2 -> cut after epoch 2; waits 1, 2 -> cut after epoch 4. The log
    # holds the rate each epoch trained with.
    assert h.history["learning_rate"] == pytest.approx([1e-7] * 3 + [5e-8] * 2 + [2.5e-8], rel=1e-6)
    assert model.optimizer.learning_rate == pytest.approx(2.5e-8, rel=1e-6)


def test_scheduler_keras_docstring_example():
    # Keras' own example: SGD(0.01), constant for 10 epochs then *exp(-0.1): 0.00607 after 15.
    model = axon.Sequential([layers.Dense(10)])
    model.compile(axon.optimizers.SGD(), loss="mse")
    assert round(model.optimizer.learning_rate, 5) == 0.01
    sched = LearningRateScheduler(lambda epoch, lr: lr if epoch < 10 else lr * math.exp(-0.1))
    h = model.fit(np.arange(100).reshape(5, 20), np.zeros((5, 10)), epochs=15, callbacks=[sched], verbose=0)
    assert round(model.optimizer.learning_rate, 5) == 0.00607
    assert h.history["learning_rate"][9] == pytest.approx(0.01, rel=1e-6)
    assert h.history["learning_rate"][10] == pytest.approx(0.01 * math.exp(-0.1), rel=1e-6)


def test_scheduler_one_argument_form_sets_rate_at_epoch_begin(rng, capsys):
    model = small_model(0.1)
    seen, recorder = rates_seen(model)
    sched = LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1), verbose=1)
    model.fit(rng.normal(size=(8, 2)), rng.normal(size=8), epochs=3, verbose=0, callbacks=[sched, recorder])
    assert seen == pytest.approx([0.1, 0.05, 0.1 / 3], rel=1e-6)
    assert capsys.readouterr().out == (
        "\nEpoch 1: LearningRateScheduler setting learning rate to 0.1.\n"
        "\nEpoch 2: LearningRateScheduler setting learning rate to 0.05.\n"
        f"\nEpoch 3: LearningRateScheduler setting learning rate to {0.1 / 3}.\n")


def test_scheduler_rejects_non_float_and_non_callable(rng):
    model = small_model(0.1)
    with pytest.raises(ValueError, match="should be a float. Got: 1"):
        model.fit(rng.normal(size=(8, 2)), rng.normal(size=8), epochs=1, verbose=0,
                  callbacks=[LearningRateScheduler(lambda epoch: 1)])
    with pytest.raises(TypeError, match="LearningRateScheduler: schedule must be a callable"):
        LearningRateScheduler(0.1)


def test_rate_logs_appear_in_history_and_progress_bar_after_val_metrics(rng, capsys):
    model = small_model(0.1)
    cbs = CallbackList([ReduceLROnPlateau(monitor="loss")], model, verbose=1, epochs=2, steps=1)
    # History and ProgbarLogger come after the user's callbacks, so they see learning_rate.
    assert [type(cb).__name__ for cb in cbs.callbacks] == ["ReduceLROnPlateau", "History", "ProgbarLogger"]
    model.fit(rng.normal(size=(8, 2)), rng.normal(size=8), epochs=2, verbose=1, validation_split=0.25,
              callbacks=[ReduceLROnPlateau(monitor="loss")])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert " - loss: " in last and last.endswith(" - learning_rate: 0.1000")
    assert last.index(" - val_loss: ") < last.index(" - learning_rate: ")
