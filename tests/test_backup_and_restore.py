"""BackupAndRestore and ModelCheckpoint: resuming after SIGKILL ends with the same weights
as an uninterrupted run, bit for bit; checkpoints are written where and when Keras would."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import axon
from axon import layers

# Trains a small model with Dropout, shuffling and Adam under BackupAndRestore, printing a
# line after every batch so the parent can kill it mid-epoch; saves the final weights.
CHILD = textwrap.dedent("""
    import sys
    import numpy as np
    import axon
    from axon import layers

    backup_dir, out, save_freq, feed = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    save_freq = save_freq if save_freq == "epoch" else int(save_freq)
    axon.utils.set_random_seed(11)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 6)).astype("float32")
    y = axon.utils.to_categorical((x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int), 3).astype("float32")
    model = axon.Sequential([layers.Input((6,)), layers.Dense(16, activation="relu"), layers.Dropout(0.25),
                             layers.Dense(3, activation="softmax")])
    model.compile(axon.optimizers.Adam(0.01), "categorical_crossentropy", metrics=["accuracy"])

    class Batches(axon.utils.PyDataset):
        def __len__(self):
            return 12
        def __getitem__(self, i):
            return x[i * 10:(i + 1) * 10], y[i * 10:(i + 1) * 10]

    class Beat(axon.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            print("BATCH", flush=True)

    data = dict(x=x, y=y, batch_size=10) if feed == "arrays" else dict(x=Batches())
    model.fit(**data, epochs=6, shuffle=True, verbose=0, steps_per_epoch=None if feed == "arrays" else 7,
              callbacks=[axon.callbacks.BackupAndRestore(backup_dir, save_freq=save_freq), Beat()])
    np.savez(out, *model.get_weights(), iterations=model.optimizer.iterations)
    print("DONE", flush=True)
""")


def run_child(tmp_path, name, save_freq, feed, kill_after=None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = tmp_path / f"{name}.npz"
    args = [sys.executable, "-c", CHILD, str(tmp_path / f"backup-{name}"), str(out), str(save_freq), feed]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if kill_after is not None:
        for _ in range(kill_after):
            assert child.stdout.readline().strip() == "BATCH", child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        return None
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 0 and stdout.strip().endswith("DONE"), stderr
    return np.load(out)


@pytest.mark.parametrize("save_freq, feed, kills", [
    ("epoch", "arrays", [25]),      # killed in epoch 3: resumes at the start of epoch 3
    (4, "arrays", [9, 30]),         # killed twice, mid-epoch: resumes at the saved batch
    (3, "pydataset", [17]),         # steps_per_epoch=7 over 12-batch passes, shuffled by pass
])
def test_resume_after_sigkill_gives_the_uninterrupted_weights(tmp_path, save_freq, feed, kills):
    straight = run_child(tmp_path, "straight", save_freq, feed)
    for kill_after in kills:
        run_child(tmp_path, "killed", save_freq, feed, kill_after=kill_after)
        assert (tmp_path / "backup-killed" / "latest.axon").exists()
    resumed = run_child(tmp_path, "killed", save_freq, feed)
    assert int(resumed["iterations"]) == int(straight["iterations"])
    for key in straight.files:
        np.testing.assert_array_equal(resumed[key], straight[key], err_msg=key)
    assert not (tmp_path / "backup-killed" / "latest.axon").exists()  # deleted after a finished run


def small_model(seed=2):
    axon.utils.set_random_seed(seed)
    m = axon.Sequential([layers.Input((4,)), layers.Dense(3, activation="softmax")])
    m.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    return m


def small_data(n=40):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    return x, axon.utils.to_categorical(np.argmax(x[:, :3], axis=1), 3).astype(np.float32)


def test_model_checkpoint_templates_every_epoch(tmp_path):
    x, y = small_data()
    m = small_model()
    path = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.axon")
    history = m.fit(x, y, epochs=3, validation_data=(x, y), verbose=0,
                    callbacks=[axon.callbacks.ModelCheckpoint(path)])
    expected = sorted(f"ckpt-{e + 1:02d}-{v:.2f}.axon" for e, v in enumerate(history.history["val_loss"]))
    assert sorted(os.listdir(tmp_path)) == expected
    last = axon.models.load_model(tmp_path / expected[-1])
    np.testing.assert_array_equal(last.predict(x, verbose=0), m.predict(x, verbose=0))


def test_model_checkpoint_save_best_only_keeps_the_best_epoch(tmp_path):
    x, y = small_data()
    m = small_model()
    path = tmp_path / "best.weights.axon"
    best = {}

    class Track(axon.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if logs["val_accuracy"] > best.get("acc", -1):
                best.update(acc=logs["val_accuracy"], weights=self.model.get_weights())

    cb = axon.callbacks.ModelCheckpoint(str(path), monitor="val_accuracy", save_best_only=True,
                                        save_weights_only=True)
    m.fit(x, y, epochs=8, validation_data=(x[:20], y[:20]), verbose=0, callbacks=[cb, Track()])
    assert cb.best == best["acc"]
    restored = small_model()
    restored.load_weights(path)
    for got, want in zip(restored.get_weights(), best["weights"]):
        np.testing.assert_array_equal(got, want)


def test_model_checkpoint_every_n_batches(tmp_path):
    x, y = small_data(40)
    m = small_model()
    cb = axon.callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}-b{batch}.weights.axon"), save_weights_only=True,
                                        save_freq=3)
    m.fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=[cb])  # 5 batches per epoch: 10 in all
    assert sorted(os.listdir(tmp_path)) == sorted(["e1-b3.weights.axon", "e2-b1.weights.axon",
                                                   "e2-b4.weights.axon"])


def test_model_checkpoint_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="must end in '.weights.axon'"):
        axon.callbacks.ModelCheckpoint(str(tmp_path / "w.axon"), save_weights_only=True)
    with pytest.raises(ValueError, match="must end in '.axon'"):
        axon.callbacks.ModelCheckpoint(str(tmp_path / "m.h5"))
    with pytest.raises(ValueError, match="save_freq must be 'epoch' or a positive integer"):
        axon.callbacks.ModelCheckpoint(str(tmp_path / "m.axon"), save_freq=0)
    m = small_model()
    x, y = small_data()
    with pytest.raises(KeyError, match="failed to format this callback filepath"):
        m.fit(x, y, epochs=1, verbose=0, callbacks=[axon.callbacks.ModelCheckpoint(str(tmp_path / "{nope}.axon"))])
