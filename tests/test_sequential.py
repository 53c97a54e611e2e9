"""The Sequential API: construction, summary, fit/evaluate/predict, weights, callbacks."""

import io
import subprocess
import sys
from contextlib import redirect_stdout

import numpy as np
import pytest

import axon
from axon import layers

COURSE_SUMMARY_ROWS = ["flatten (Flatten)", "(None, 784)", "dense (Dense)", "(None, 128)", "100,480",
                       "dense_1 (Dense)", "(None, 10)", "1,290"]


def course_model():
    return axon.Sequential([layers.Flatten(input_shape=(28, 28)), layers.Dense(128, activation="relu"),
                            layers.Dense(10, activation="softmax")])


def test_course_model_summary():
    model = course_model()
    out = io.StringIO()
    with redirect_stdout(out):
        model.summary()
    text = out.getvalue()
    assert 'Model: "sequential"' in text
    for cell in COURSE_SUMMARY_ROWS:
        assert cell in text
    assert "Total params: 101,770 (397.54 KB)" in text
    assert "Trainable params: 101,770 (397.54 KB)" in text
    assert "Non-trainable params: 0 (0.00 B)" in text
    assert model.count_params() == 101_770


def test_frozen_layer_counts_as_non_trainable_and_is_not_updated(rng):
    model = course_model()
    model.layers[1].trainable = False
    lines = []
    model.summary(print_fn=lines.append)
    text = "".join(lines)
    assert "Trainable params: 1,290 (5.04 KB)" in text
    assert "Non-trainable params: 100,480 (392.50 KB)" in text
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    frozen = model.layers[1].get_weights()
    head = model.layers[2].get_weights()
    model.fit(rng.random((64, 28, 28)), rng.integers(0, 10, 64), epochs=2, verbose=0)
    for a, b in zip(frozen, model.layers[1].get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(head[0], model.layers[2].get_weights()[0])


def test_model_trainable_false_freezes_every_layer(rng):
    """As Keras: model.trainable sets every layer's flag; Sequential(trainable=False) and a
    layer added to a frozen model train nothing."""
    model = course_model()
    model.trainable = False
    assert [layer.trainable for layer in model.layers] == [False, False, False]
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    before = model.get_weights()
    model.fit(rng.random((64, 28, 28)), rng.integers(0, 10, 64), epochs=1, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.trainable = True
    assert all(layer.trainable for layer in model.layers) and len(model.trainable_weights) == 4
    frozen = axon.Sequential([layers.Dense(3, input_dim=2)], trainable=False)
    frozen.add(layers.Dense(1))
    assert not frozen.trainable and frozen.trainable_weights == [] and len(frozen.non_trainable_weights) == 4
    assert frozen.get_config()["trainable"] is False


def test_ways_to_declare_the_input():
    a = axon.Sequential([axon.Input(shape=(4,)), layers.Dense(2)])
    b = axon.Sequential([layers.Dense(2, input_dim=4)])
    c = axon.Sequential()
    c.add(layers.Dense(2, input_shape=(4,)))
    d = axon.Sequential([layers.Dense(2)])
    assert not d.built
    d.build((None, 4))
    for m in (a, b, c, d):
        assert m.built and m.input_shape == (None, 4) and m.output_shape == (None, 2)
        assert m.count_params() == 10


def test_add_pop_keep_existing_weights(rng):
    model = axon.Sequential([layers.Dense(3, input_shape=(2,))])
    w = model.layers[0].get_weights()
    model.add(layers.Dense(1))
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], w[0])
    popped = model.pop()
    assert popped.name == "dense_1" and len(model.layers) == 1
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], w[0])
    assert models_layers_names(model) == ["dense"]


def models_layers_names(model):
    return [layer.name for layer in model.layers]


def test_unbuilt_model_builds_on_fit(rng):
    model = axon.Sequential([layers.Dense(4, activation="relu"), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    with pytest.raises(ValueError, match="not yet been built"):
        model.summary()
    history = model.fit(rng.normal(size=(40, 3)), rng.integers(0, 2, 40), epochs=2, verbose=0)
    assert model.input_shape == (None, 3)
    assert list(history.history) == ["accuracy", "loss"]
    assert len(history.history["loss"]) == 2


def test_history_keys_and_validation(rng):
    model = axon.Sequential([layers.Dense(3, activation="softmax", input_shape=(5,))])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    x, y = rng.normal(size=(50, 5)), axon.utils.to_categorical(rng.integers(0, 3, 50), 3)
    h = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.2, verbose=0)
    assert list(h.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert h.epoch == [0, 1, 2]
    # validation_split uses the last 20% of the samples: the last epoch's val_loss is the
    # model's loss on exactly those.
    val_loss = model.evaluate(x[40:], y[40:], verbose=0, return_dict=True)["loss"]
    assert h.history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-6)
    h2 = model.fit(x, y, epochs=1, validation_data=(x[:10], y[:10]), verbose=0)
    assert h2.history["val_loss"][0] == pytest.approx(model.evaluate(x[:10], y[:10], verbose=0)[0], rel=1e-6)


def test_evaluate_predict_and_batch_methods(rng):
    model = axon.Sequential([layers.Dense(4, activation="softmax", input_shape=(3,))])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = rng.normal(size=(20, 3)), rng.integers(0, 4, 20)
    probs = model.predict(x, verbose=0)
    assert probs.shape == (20, 4) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(model(x), probs)
    np.testing.assert_array_equal(model.predict_on_batch(x), probs)
    expected_loss = np.mean(-np.log(probs[np.arange(20), y]))
    expected_acc = np.mean(probs.argmax(1) == y)
    loss, acc = model.evaluate(x, y, verbose=0)
    assert loss == pytest.approx(expected_loss, rel=1e-5) and acc == pytest.approx(expected_acc)
    assert model.test_on_batch(x, y) == pytest.approx([expected_loss, expected_acc], rel=1e-5)
    logs = model.train_on_batch(x, y, return_dict=True)
    assert logs["loss"] == pytest.approx(expected_loss, rel=1e-5)
    assert model.evaluate(x, y, verbose=0)[0] < expected_loss  # one SGD step on the same batch helps


def test_get_set_weights_round_trip(rng):
    model = course_model()
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in model.get_weights()]
    model.set_weights(weights)
    for a, b in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    kernel = model.layers[1].kernel
    assert kernel.shape == (784, 128)
    np.testing.assert_array_equal(kernel.numpy(), weights[0])


def test_regularizer_penalty_is_in_the_loss(rng):
    model = axon.Sequential([layers.Dense(2, input_shape=(3,), kernel_regularizer=axon.regularizers.l2(0.5),
                                          kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="mse")
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    pred = model.predict(x, verbose=0)
    expected = np.mean((pred - y) ** 2) + 0.5 * 6  # six unit weights
    assert model.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-5)


def test_callbacks_order_and_batch_calls(rng):
    events = []

    class Recorder(axon.callbacks.Callback):
        def on_train_begin(self, logs=None):
            events.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            events.append(f"epoch_begin {epoch}")

        def on_train_batch_end(self, batch, logs=None):
            events.append(f"batch_end {batch} {sorted(logs)}")

        def on_epoch_end(self, epoch, logs=None):
            events.append(f"epoch_end {epoch} {sorted(logs)}")

        def on_train_end(self, logs=None):
            events.append("train_end")

    model = axon.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(rng.normal(size=(10, 2)), rng.normal(size=10), batch_size=4, epochs=2, verbose=0,
              callbacks=[Recorder()])
    assert events == ["train_begin", "epoch_begin 0", "batch_end 0 ['loss']", "batch_end 1 ['loss']",
                      "batch_end 2 ['loss']", "epoch_end 0 ['loss']", "epoch_begin 1", "batch_end 0 ['loss']",
                      "batch_end 1 ['loss']", "batch_end 2 ['loss']", "epoch_end 1 ['loss']", "train_end"]


def test_stop_training_from_a_batch_callback(rng):
    class StopAfterTwo(axon.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                self.model.stop_training = True

    model = axon.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(rng.normal(size=(40, 2)), rng.normal(size=40), batch_size=4, epochs=5, verbose=0,
              callbacks=[StopAfterTwo()])
    assert model.optimizer.iterations == 2


def test_early_stopping_restores_best_weights(rng):
    class ScriptedLoss(axon.callbacks.Callback):
        """Overwrites val_loss with a fixed sequence and remembers each epoch's weights."""
        values = [1.0, 0.5, 0.7, 0.8, 0.9, 0.95]

        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = self.values[epoch]
            self.weights = getattr(self, "weights", []) + [self.model.get_weights()]

    scripted = ScriptedLoss()
    stopper = axon.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    model = axon.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    h = model.fit(rng.normal(size=(16, 2)), rng.normal(size=16), epochs=6, verbose=0, callbacks=[scripted, stopper])
    assert len(h.history["loss"]) == 4  # best at epoch 1, patience 2 -> stops after epoch 3
    assert stopper.stopped_epoch == 3 and stopper.best_epoch == 1
    for a, b in zip(model.get_weights(), scripted.weights[1]):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_modes_and_min_delta():
    es = axon.callbacks.EarlyStopping(monitor="val_accuracy", min_delta=0.1)
    es.on_train_begin()
    es._set_monitor_op()
    assert es.monitor_op is np.greater and es.min_delta == 0.1
    es = axon.callbacks.EarlyStopping(min_delta=0.1)
    es._set_monitor_op()
    assert es.monitor_op is np.less and es.min_delta == -0.1


SEEDED_SCRIPT = """
import numpy as np, axon
axon.utils.set_random_seed(42)
x = np.random.default_rng(0).normal(size=(256, 20)).astype('float32')
y = (x[:, 0] > 0).astype('float32')
model = axon.Sequential([axon.Input((20,)), axon.layers.Dense(32, activation='relu'),
                         axon.layers.Dropout(0.3), axon.layers.Dense(1, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(x, y, epochs=3, batch_size=16, verbose=0)
np.save(OUT, np.concatenate([w.ravel() for w in model.get_weights()]))
"""


def test_same_seed_same_weights_across_processes(tmp_path):
    outs = []
    for i in range(2):
        path = tmp_path / f"w{i}.npy"
        subprocess.run([sys.executable, "-c", f"OUT = {str(path)!r}\n" + SEEDED_SCRIPT], check=True)
        outs.append(np.load(path))
    np.testing.assert_array_equal(outs[0], outs[1])


def test_different_seeds_differ():
    weights = []
    for seed in (1, 2):
        axon.utils.set_random_seed(seed)
        weights.append(axon.Sequential([layers.Dense(3, input_shape=(4,))]).get_weights()[0])
    assert not np.array_equal(*weights)


def test_float64_models(rng):
    axon.config.set_floatx("float64")
    model = axon.Sequential([layers.Dense(2, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(rng.normal(size=(8, 3)), rng.normal(size=(8, 2)), verbose=0)
    assert model.get_weights()[0].dtype == np.float64
    assert model.predict(rng.normal(size=(2, 3)), verbose=0).dtype == np.float64


def test_normal_initializer_is_keras_random_normal():
    axon.utils.set_random_seed(0)
    model = axon.Sequential([layers.Dense(500, input_dim=400, kernel_initializer="normal")])
    kernel = model.get_weights()[0]
    assert abs(kernel.mean()) < 1e-3 and kernel.std() == pytest.approx(0.05, rel=0.01)
    limit = np.sqrt(6 / (400 + 500))
    glorot = axon.Sequential([layers.Dense(500, input_dim=400)]).get_weights()[0]
    assert glorot.min() >= -limit and glorot.max() <= limit and glorot.std() == pytest.approx(limit / np.sqrt(3), rel=0.01)


def test_progress_output_when_not_a_terminal(rng, capsys):
    model = axon.Sequential([layers.Dense(2, activation="softmax", input_shape=(3,))])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = rng.normal(size=(3000, 3)), rng.integers(0, 2, 3000)
    model.fit(x, y, epochs=2, validation_split=0.1)
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(" ")[0] for line in lines] == ["Epoch", "85/85", "Epoch", "85/85"]
    assert lines[1].endswith(tuple("0123456789")) and " - accuracy: " in lines[1] and " - val_loss: " in lines[1]
    model.fit(x, y, epochs=1, verbose=2)
    line, = capsys.readouterr().out.strip().splitlines()  # Keras prints no 'Epoch 1/1'
    assert line.startswith("94/94 - ") and "/step - accuracy: " in line
    model.evaluate(x, y)
    assert len(capsys.readouterr().out.strip().splitlines()) == 1
    model.fit(x, y, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert capsys.readouterr().out == ""
