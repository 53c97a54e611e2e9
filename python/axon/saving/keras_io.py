"""Keras 3 files in and out: `.keras` models and `.weights.h5` weights.

    model = axon.models.load_model("model.keras")    # written by Keras 3 (or by axon)
    model.save("model.keras")                         # keras.saving.load_model reads it
    model.load_weights("w.weights.h5"); model.save_weights("w.weights.h5")

What crosses: a Sequential model of the layers in keras_config.SUPPORTED with their
activation / initializer / regularizer / constraint configs, the weights, and the compile
config (optimizer class and hyperparameters, loss, metrics). What does not: optimizer
state (slots, iteration count); a loaded model's optimizer starts fresh, in both
directions. The archive, config and HDF5 checks live in keras_archive, keras_config and
keras_h5; every problem with a file raises FormatError (a ValueError) naming it.
"""

import datetime
import io
import os

from axon.saving import format as fmt
from axon.saving import keras_archive, keras_config, keras_h5
from axon.saving.atomic import atomic_write

KERAS_VERSION = "3.0.0"  # the config dialect written: every Keras 3 reads it


def is_keras_model_path(path):
    return os.fspath(path).endswith(".keras")


def is_keras_weights_path(path):
    return os.fspath(path).endswith(".h5")


def _fail_from(source, error):
    raise fmt.FormatError(f"{source}: {error}") from error


def load_model(path):
    return _read_model(keras_archive.Archive(path))


def model_from_bytes(data):
    """The model of a `.keras` file's bytes (errors name the file "<bytes>")."""
    return _read_model(keras_archive.Archive(io.BytesIO(bytes(data)), "<bytes>"))


def _read_model(archive):
    from axon.models.sequential import Sequential
    from axon.saving import model_io

    with archive:
        source = archive.source
        archive.read_json(keras_archive.METADATA)  # present and well-formed; its contents are informational
        keras_json = archive.read_json(keras_archive.CONFIG)
        weights_size = archive.declared_size(keras_archive.WEIGHTS)  # present and within the limits
        try:
            config, dtype, compile_config = keras_config.model_from_keras(keras_json)
        except fmt.FormatError as e:
            _fail_from(source, e)
        try:
            model = Sequential.from_config(config, build=False)
            model._set_dtype(dtype)
            # Every parameter is read from the weights member, at least 2 bytes each (float16):
            # a config declaring more than it holds is refused before anything is allocated.
            model_io.build_untrusted(model, weights_size // 2,
                                     "the model has no input shape (no InputLayer and no build_input_shape)")
        except Exception as e:  # a hostile config can fail anywhere in a constructor
            raise fmt.FormatError(f"{source}: the architecture cannot be rebuilt: {e}") from e
        weights = keras_h5.read_weights(model, io.BytesIO(archive.read(keras_archive.WEIGHTS)), source)
    for layer, values in weights.items():
        layer.set_weights(values)
    if compile_config is not None:
        try:
            _compile(model, compile_config)
        except Exception as e:
            raise fmt.FormatError(f"{source}: the compile config cannot be restored: {e}") from e
    return model


def _compile(model, config):
    from axon import losses, metrics, optimizers

    def get(module, value):
        return value if value is None or isinstance(value, str) else module.deserialize(value)

    model.compile(optimizer=get(optimizers, config["optimizer"]) or "rmsprop", loss=get(losses, config["loss"]),
                  metrics=[get(metrics, m) for m in config["metrics"]])


def _check_writable(model, what):
    if model._core is None:
        raise ValueError(f"{what}: model '{model.name}' is not built, so it has no weights to save; build it first")


def save_model(model, path, include_optimizer=True):
    from axon.saving import model_io

    _check_writable(model, f"save {os.fspath(path)!r}")
    compiled = include_optimizer and model.compiled
    try:
        config = keras_config.model_to_keras(model.get_config(), model._floatx,
                                             model_io._compile_config(model) if compiled else None)
    except ValueError as e:
        raise ValueError(f"save {os.fspath(path)!r}: {e}") from e
    metadata = {"keras_version": KERAS_VERSION, "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
                "saved_by": f"axon {model_io.axon_version()}"}
    weights = keras_h5.weights_bytes(model, with_optimizer=compiled)
    with atomic_write(path) as f:
        keras_archive.write(f, config, metadata, weights)


def save_weights(model, path):
    _check_writable(model, f"save_weights {os.fspath(path)!r}")
    weights = keras_h5.weights_bytes(model, with_optimizer=False)
    with atomic_write(path) as f:
        f.write(weights)


def load_weights(model, path, skip_mismatch=False):
    """Reads and checks every weight before assigning any: a bad file leaves the model as it was."""
    if model._core is None:
        raise ValueError(f"load_weights {os.fspath(path)!r}: model '{model.name}' is not built; build it (or call "
                         "it on data) first so its weights exist")
    source = repr(os.fspath(path))
    with open(path, "rb") as f:
        if f.read(8) != b"\x89HDF\r\n\x1a\n":
            fmt._fail(source, "not an HDF5 file (a Keras .weights.h5 starts with the HDF5 signature)")
        f.seek(0)
        weights = keras_h5.read_weights(model, f, source, skip_mismatch)
    for layer, values in weights.items():
        layer.set_weights(values)
