"""Callback base, CallbackList dispatch, LambdaCallback, TerminateOnNaN, CSVLogger."""

import csv
import math

import numpy as np
import pytest

import axon
from axon import layers
from axon.callbacks import (CSVLogger, Callback, CallbackList, History, LambdaCallback, ProgbarLogger,
                            TerminateOnNaN)
from axon.callbacks.callback_list import _overrides_batch_methods

HOOKS = ["on_batch_begin", "on_batch_end", "on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
         "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
         "on_predict_batch_end", "on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
         "on_predict_begin", "on_predict_end"]


def small_model():
    model = axon.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    return model


class FakeModel:
    stop_training = False


def test_callback_base_has_keras_attributes_and_hooks():
    cb = Callback()
    assert cb.model is None and cb.params is None
    model = object()
    cb.set_model(model)
    cb.set_params({"epochs": 3})
    assert cb.model is model and cb.params == {"epochs": 3}
    for name in HOOKS:
        assert getattr(cb, name)(*([0] if "batch" in name or "epoch" in name else [])) is None


def test_train_batch_hooks_forward_to_legacy_aliases():
    calls = []

    class Legacy(Callback):
        def on_batch_begin(self, batch, logs=None):
            calls.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            calls.append(("end", batch, logs["loss"]))

    model = small_model()
    rng = np.random.default_rng(0)
    model.fit(rng.normal(size=(6, 2)), rng.normal(size=6), batch_size=4, epochs=1, verbose=0, callbacks=[Legacy()])
    assert [c[:2] for c in calls] == [("begin", 0), ("end", 0), ("begin", 1), ("end", 1)]


def test_params_as_keras(rng):
    seen = {}
    cb = LambdaCallback(on_train_begin=lambda logs: seen.update(cb.params))
    small_model().fit(rng.normal(size=(10, 2)), rng.normal(size=10), batch_size=4, epochs=3, verbose=0,
                      callbacks=[cb])
    assert seen == {"verbose": 0, "epochs": 3, "steps": 3}


def test_callback_list_adds_history_and_progbar_last_and_reuses_given_ones():
    model = FakeModel()
    cbs = CallbackList([Callback()], model, verbose=1, epochs=2, steps=5)
    assert [type(cb) for cb in cbs.callbacks] == [Callback, History, ProgbarLogger]
    assert cbs.progbar is cbs.callbacks[2] and cbs.history is cbs.callbacks[1]
    assert all(cb.model is model and cb.params == {"verbose": 1, "epochs": 2, "steps": 5} for cb in cbs.callbacks)
    history, bar = History(), ProgbarLogger()
    cbs = CallbackList([bar, history], model, verbose=0, epochs=1, steps=1)
    assert cbs.callbacks == [bar, history] and cbs.history is history
    assert CallbackList(None, model, verbose=0, epochs=1, steps=1).progbar is None
    with pytest.raises(TypeError, match="fit: callbacks must be axon.callbacks.Callback instances, got function"):
        CallbackList([lambda: None], model, 0, 1, 1)


def test_history_accumulates_across_fits_like_keras(rng):
    model, history = small_model(), History()
    x, y = rng.normal(size=(8, 2)), rng.normal(size=8)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[history])
    returned = model.fit(x, y, epochs=1, verbose=0, callbacks=[history])
    assert returned is history and model.history is history
    assert len(history.history["loss"]) == 3 and history.epoch == [0]


def test_lambda_callback_calls_given_functions(rng):
    events = []
    cb = LambdaCallback(on_train_begin=lambda logs: events.append("train_begin"),
                        on_epoch_begin=lambda epoch, logs: events.append(f"epoch_begin {epoch}"),
                        on_epoch_end=lambda epoch, logs: events.append(f"epoch_end {epoch} {sorted(logs)}"),
                        on_train_end=lambda logs: events.append("train_end"))
    small_model().fit(rng.normal(size=(8, 2)), rng.normal(size=8), epochs=2, verbose=0, callbacks=[cb])
    assert events == ["train_begin", "epoch_begin 0", "epoch_end 0 ['loss']", "epoch_begin 1",
                      "epoch_end 1 ['loss']", "train_end"]


@pytest.mark.parametrize("kwargs", [{"on_train_batch_end": "f"}, {"on_train_batch_begin": "f"},
                                    {"on_batch_end": "f"}, {"on_batch_begin": "f"}])
def test_lambda_batch_functions_make_fit_call_every_batch(kwargs, rng):
    calls = []
    cb = LambdaCallback(**{name: (lambda batch, logs: calls.append(batch)) for name in kwargs})
    assert _overrides_batch_methods(cb)
    assert CallbackList([cb], FakeModel(), 0, 1, 3).needs_every_batch
    small_model().fit(rng.normal(size=(10, 2)), rng.normal(size=10), batch_size=4, epochs=2, verbose=0,
                      callbacks=[cb])
    assert calls == [0, 1, 2, 0, 1, 2]


def test_epoch_only_callbacks_need_no_batch_calls():
    cbs = [LambdaCallback(on_epoch_end=lambda epoch, logs: None), History(), ProgbarLogger(),
           axon.callbacks.EarlyStopping(), axon.callbacks.CSVLogger("unused.csv"), TerminateOnNaN(),
           axon.callbacks.ReduceLROnPlateau(), axon.callbacks.LearningRateScheduler(lambda e: 0.1)]
    assert not any(_overrides_batch_methods(cb) for cb in cbs)
    assert not CallbackList(cbs, FakeModel(), 1, 2, 3).needs_every_batch


def test_lambda_callback_errors():
    with pytest.raises(TypeError, match="LambdaCallback: unexpected argument.s. on_epoch_ends"):
        LambdaCallback(on_epoch_ends=print)
    with pytest.raises(TypeError, match="LambdaCallback: on_epoch_end must be callable, got 3"):
        LambdaCallback(on_epoch_end=3)


# ---------------------------------------------------------------- TerminateOnNaN

@pytest.mark.parametrize("loss", [float("nan"), float("inf"), -float("inf")])
def test_terminate_on_nan_stops_on_non_finite_loss(loss, capsys):
    cb = TerminateOnNaN()
    cb.set_model(FakeModel())
    cb.on_batch_end(7, {"loss": 0.5})
    assert not cb.model.stop_training and capsys.readouterr().out == ""
    cb.on_batch_end(7, {"loss": loss})
    assert cb.model.stop_training
    assert capsys.readouterr().out == "Batch 7: Invalid loss, terminating training\n"


def test_terminate_on_nan_raise_error_and_missing_loss():
    cb = TerminateOnNaN(raise_error=True)
    cb.set_model(FakeModel())
    cb.on_batch_end(0, {})  # no loss in the logs: nothing to check
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 2. Loss value: nan."):
        cb.on_train_batch_end(2, {"loss": float("nan")})


def test_terminate_on_nan_does_not_force_batch_calls_and_gets_on_nan_batch():
    calls = []

    class Recording(TerminateOnNaN):
        def on_train_batch_end(self, batch, logs=None):
            calls.append(("train_batch_end", batch))
            super().on_train_batch_end(batch, logs)

        def on_batch_end(self, batch, logs=None):
            calls.append(("batch_end", batch))
            super().on_batch_end(batch, logs)

    other = LambdaCallback(on_train_batch_end=lambda batch, logs: calls.append(("other", batch)))
    nan_cb, model = Recording(), FakeModel()
    assert not CallbackList([nan_cb], model, 0, 1, 3).needs_every_batch
    cbs = CallbackList([nan_cb, other], model, 0, 1, 3)
    assert cbs.stop_on_nan and cbs.needs_every_batch
    assert not CallbackList([other], model, 0, 1, 3).stop_on_nan
    cbs.on_train_batch_end(0, {"loss": 1.0})  # ordinary batches reach only `other`
    assert calls == [("other", 0)]
    cbs.on_nan_batch(1, {"loss": float("nan")})
    assert calls[1:] == [("train_batch_end", 1), ("batch_end", 1)] and model.stop_training


def test_terminate_on_nan_stops_fit(rng, capsys):
    model = small_model()
    x = rng.normal(size=(16, 2))
    x[5, 0] = np.nan  # the batch holding sample 5 has a NaN loss, and so has the epoch
    h = model.fit(x, rng.normal(size=16), batch_size=4, epochs=5, shuffle=False, verbose=0,
                  callbacks=[TerminateOnNaN()])
    assert len(h.history["loss"]) == 1 and math.isnan(h.history["loss"][0])
    out = capsys.readouterr().out
    assert out.count("Invalid loss, terminating training") == 1
    assert out.startswith("Batch ") and out.endswith(": Invalid loss, terminating training\n")


# ---------------------------------------------------------------- CSVLogger

def test_csv_logger_format_and_append(tmp_path):
    path = tmp_path / "log.csv"
    cb = CSVLogger(path)
    cb.set_model(FakeModel())
    cb.on_train_begin()
    cb.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.25, "val_loss": 0.75})
    cb.on_epoch_end(1, {"loss": 0.125, "accuracy": 0.5, "val_loss": 0.625})
    cb.on_train_end()
    # The csv module's excel dialect ends rows with \r\n, as in Keras' files.
    assert path.read_bytes() == b"epoch,accuracy,loss,val_loss\r\n0,0.25,0.5,0.75\r\n1,0.5,0.125,0.625\r\n"
    again = CSVLogger(str(path), append=True)
    again.set_model(FakeModel())
    again.on_train_begin()
    again.on_epoch_end(2, {"loss": 0.0625, "accuracy": 0.75, "val_loss": 0.5})
    again.on_train_end()
    assert path.read_text().count("epoch,") == 1
    assert path.read_bytes().endswith(b"1,0.5,0.125,0.625\r\n2,0.75,0.0625,0.5\r\n")
    new = tmp_path / "new.csv"
    first = CSVLogger(new, append=True)  # append to a missing file: header written
    first.set_model(FakeModel())
    first.on_train_begin()
    first.on_epoch_end(0, {"loss": 1.0})
    first.on_train_end()
    assert new.read_bytes() == b"epoch,loss\r\n0,1.0\r\n"


def test_csv_logger_separator_vectors_and_missing_values(tmp_path):
    path = tmp_path / "log.tsv"
    cb = CSVLogger(path, separator="\t")
    cb.set_model(FakeModel())
    cb.on_train_begin()
    cb.on_epoch_end(0, {"loss": 0.5, "f1_score": np.array([0.25, 0.75])})
    cb.on_epoch_end(1, {"f1_score": np.array([0.5, 0.5])})
    cb.on_train_end()
    assert path.read_bytes() == (b'epoch\tf1_score\tloss\r\n0\t"""[0.25, 0.75]"""\t0.5\r\n'
                                 b'1\t"""[0.5, 0.5]"""\tNA\r\n')
    with pytest.raises(ValueError, match="CSVLogger: separator must be a one-character string, got ';;'"):
        CSVLogger(path, separator=";;")
    with pytest.raises(TypeError, match="CSVLogger: filename must be a path .str or os.PathLike., got 3"):
        CSVLogger(3)


def test_csv_logger_in_fit_matches_history(rng, tmp_path):
    path = tmp_path / "fit.csv"
    model = small_model()
    h = model.fit(rng.normal(size=(20, 2)), rng.normal(size=20), epochs=3, verbose=0, validation_split=0.2,
                  callbacks=[CSVLogger(path)])
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["epoch", "loss", "val_loss"]
    assert [int(r[0]) for r in rows[1:]] == [0, 1, 2]
    assert [float(r[1]) for r in rows[1:]] == h.history["loss"]
    assert [float(r[2]) for r in rows[1:]] == h.history["val_loss"]
