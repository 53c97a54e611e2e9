"""EarlyStopping against Keras 3: stop epoch, best weights, baseline, start_from_epoch, modes."""

import numpy as np
import pytest

import axon
from axon import layers
from axon.callbacks import EarlyStopping, LambdaCallback


def fit_scripted(values, stopper, monitor="val_loss", epochs=None, seed=0):
    """fit() where logs[monitor] at epoch i is values[i]; returns (history, model, weights at each epoch end)."""
    rng = np.random.default_rng(seed)
    model = axon.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    weights = []

    def script(epoch, logs):
        logs[monitor] = values[epoch]
        weights.append(model.get_weights())

    h = model.fit(rng.normal(size=(16, 2)), rng.normal(size=16), epochs=epochs or len(values), verbose=0,
                  callbacks=[LambdaCallback(on_epoch_end=script), stopper])
    return h, model, weights


def assert_weights_equal(actual, expected):
    assert len(actual) == len(expected)
    for a, b in zip(actual, expected):
        np.testing.assert_array_equal(a, b)


def test_stops_after_patience_and_restores_best_epoch(capsys):
    es = EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    h, model, weights = fit_scripted([1.0, 0.5, 0.7, 0.8, 0.9, 0.95], es)
    assert len(h.history["loss"]) == 4 and es.stopped_epoch == 3 and es.best_epoch == 1 and es.best == 0.5
    assert_weights_equal(model.get_weights(), weights[1])
    assert not np.array_equal(weights[1][0], weights[3][0])  # training did move the weights
    assert capsys.readouterr().out == ("Epoch 4: early stopping\n"
                                       "Restoring model weights from the end of the best epoch: 2.\n")


def test_without_restore_keeps_last_weights():
    es = EarlyStopping(patience=1)
    h, model, weights = fit_scripted([1.0, 2.0, 3.0], es)
    assert es.stopped_epoch == 1 and es.best_weights is None
    assert_weights_equal(model.get_weights(), weights[-1])


def test_min_delta_counts_small_gains_as_no_improvement():
    es = EarlyStopping(patience=1, min_delta=0.1)
    h, _, _ = fit_scripted([1.0, 0.95, 0.5, 0.45], es)
    assert es.stopped_epoch == 1 and len(h.history["loss"]) == 2  # 0.05 < 0.1
    es = EarlyStopping(patience=1, min_delta=0.01)
    h, _, _ = fit_scripted([1.0, 0.95, 0.5, 0.45], es)
    assert es.stopped_epoch == 0 and len(h.history["loss"]) == 4


def test_baseline_stops_after_patience_when_never_beaten():
    # Without a baseline the first epoch is an improvement and patience counts from it.
    es = EarlyStopping(patience=2)
    h, _, _ = fit_scripted([1.0, 1.0, 1.0, 1.0, 1.0], es)
    assert es.stopped_epoch == 2 and len(h.history["loss"]) == 3
    # With baseline 0.5 nothing counts as beating it: Keras stops after `patience` epochs.
    es = EarlyStopping(patience=2, baseline=0.5, restore_best_weights=True)
    h, model, weights = fit_scripted([1.0, 1.0, 1.0, 1.0, 1.0], es)
    assert es.stopped_epoch == 1 and len(h.history["loss"]) == 2
    assert es.best_epoch == 0
    assert_weights_equal(model.get_weights(), weights[0])
    # Beating the baseline restarts patience.
    es = EarlyStopping(patience=2, baseline=0.5)
    h, _, _ = fit_scripted([0.4, 0.45, 0.45, 0.45], es)
    assert es.stopped_epoch == 2


def test_start_from_epoch_ignores_warm_up_epochs():
    es = EarlyStopping(monitor="loss", patience=0)
    h, _, _ = fit_scripted([0.1, 0.2, 0.3, 0.4, 0.3], es, monitor="loss")
    assert es.stopped_epoch == 1
    es = EarlyStopping(monitor="loss", patience=0, start_from_epoch=2, restore_best_weights=True)
    h, model, weights = fit_scripted([0.1, 0.2, 0.3, 0.4, 0.3], es, monitor="loss")
    # epochs 0 and 1 are not looked at, so 0.1 is never the best: 0.3 at epoch 2 is.
    assert es.stopped_epoch == 3 and es.best_epoch == 2 and es.best == 0.3
    assert_weights_equal(model.get_weights(), weights[2])


def test_max_mode_and_auto_direction():
    es = EarlyStopping(monitor="val_accuracy", patience=1, restore_best_weights=True)
    h, model, weights = fit_scripted([0.5, 0.7, 0.6, 0.65], es, monitor="val_accuracy")
    assert es.monitor_op is np.greater and es.stopped_epoch == 2 and es.best_epoch == 1
    assert_weights_equal(model.get_weights(), weights[1])
    for name, op in [("val_auc", np.greater), ("precision_1", np.greater), ("val_mae", np.less),
                     ("loss", np.less), ("val_categorical_crossentropy", np.less)]:
        es = EarlyStopping(monitor=name)
        es._set_monitor_op()
        assert es.monitor_op is op, name
    es = EarlyStopping(monitor="custom_score")
    with pytest.raises(ValueError, match="monitor=custom_score but Keras isn't able to automatically determine"):
        es._set_monitor_op()
    es = EarlyStopping(monitor="custom_score", mode="max")
    es._set_monitor_op()
    assert es.monitor_op is np.greater and es.best == -np.inf


def test_reuse_across_fits_resets_state():
    es = EarlyStopping(patience=1)
    fit_scripted([1.0, 2.0, 3.0], es)
    assert es.stopped_epoch == 1
    h, _, _ = fit_scripted([5.0, 4.0, 3.0], es)  # 5.0 must not compare with the old best 1.0
    assert es.stopped_epoch == 0 and len(h.history["loss"]) == 3


def test_missing_monitor_warns_and_does_not_stop():
    es = EarlyStopping(monitor="val_loss", patience=0)
    with pytest.warns(UserWarning, match="Early stopping conditioned on metric `val_loss` which is not available"):
        h, _, _ = fit_scripted([1.0, 2.0, 3.0], es, monitor="other_key")
    assert len(h.history["loss"]) == 3


def test_defaults_and_argument_errors():
    es = EarlyStopping()
    assert (es.monitor, es.min_delta, es.patience, es.verbose, es.mode, es.baseline, es.restore_best_weights,
            es.start_from_epoch) == ("val_loss", 0, 0, 0, "auto", None, False, 0)
    with pytest.raises(ValueError, match="EarlyStopping: mode must be 'auto', 'min' or 'max', got 'best'"):
        EarlyStopping(mode="best")
    with pytest.raises(ValueError, match="EarlyStopping: patience must be >= 0, got -1"):
        EarlyStopping(patience=-1)
    with pytest.raises(TypeError, match="EarlyStopping: baseline must be a number, got '0.5'"):
        EarlyStopping(baseline="0.5")
    with pytest.raises(TypeError, match="EarlyStopping: monitor must be the name of a logged quantity .* got None"):
        EarlyStopping(monitor=None)
