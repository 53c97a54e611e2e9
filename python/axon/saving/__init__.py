"""Saving and loading (`axon.saving`): the native `.axon` format (see axon.saving.format),
and Keras 3's `.keras` / `.weights.h5` files, chosen by the path's suffix (axon.saving.keras_io).

    model.save("model.axon");                 model = axon.models.load_model("model.axon")
    model.save_weights("w.weights.axon");     model.load_weights("w.weights.axon")
    axon.saving.save_model(model, "ckpt.axon", training_state={"epoch": 3})
    state = axon.saving.restore_training_state(model, "ckpt.axon")

Files are untrusted input: a bad one raises FormatError (a ValueError) and nothing in it
is executed. Custom classes load only when registered with @register_serializable().
"""

import os

from axon.saving.format import FORMAT_VERSION, FormatError
from axon.saving.registry import custom_object_scope, get_registered_name, get_registered_object, register_serializable

# model_io pulls in the models package: imported on first use (axon.utils.serialization
# imports this package for the registry).


def save_model(model, filepath, include_optimizer=True, training_state=None, overwrite=True):
    """Writes `model` to `filepath` atomically. `training_state`, a JSON-able dict, is stored
    in the header for restore_training_state (the resumable fit)."""
    from axon.saving import keras_io, model_io

    if training_state is not None and not isinstance(training_state, dict):
        raise TypeError(f"save_model: training_state must be a dict, got {type(training_state).__name__}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save_model: {os.fspath(filepath)!r} exists and overwrite=False")
    if keras_io.is_keras_model_path(filepath):
        if training_state is not None:
            raise ValueError(f"save_model {os.fspath(filepath)!r}: training_state needs the .axon format")
        keras_io.save_model(model, filepath, include_optimizer)
        return
    _refuse_h5(filepath, "save_model")
    model_io.write_model(model, filepath, "model", include_optimizer, training_state)


def _refuse_h5(filepath, what):
    from axon.saving import keras_io

    if keras_io.is_keras_weights_path(filepath):
        raise ValueError(f"{what} {os.fspath(filepath)!r}: whole models in HDF5 (Keras 2's .h5) are not supported; "
                         "use a .keras or .axon file (an .h5 path holds weights: save_weights/load_weights)")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model saved in `filepath` (architecture, weights, and compile state when saved compiled).
    custom_objects and safe_mode are accepted for Keras compatibility; classes come from
    the registry and loading is always safe."""
    from axon.saving import keras_io, model_io

    _refuse_h5(filepath, "load_model")
    with custom_object_scope(custom_objects):
        model = (keras_io.load_model if keras_io.is_keras_model_path(filepath) else model_io.load_model)(filepath)
    if not compile:
        model._init_training()
        if model._core is not None:
            model._core_compiled = False
    return model


def save_weights(model, filepath, overwrite=True):
    from axon.saving import keras_io, model_io

    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save_weights: {os.fspath(filepath)!r} exists and overwrite=False")
    if keras_io.is_keras_weights_path(filepath):
        keras_io.save_weights(model, filepath)  # Keras 3's layout: keras.Model.load_weights reads it
    else:
        model_io.write_model(model, filepath, "weights", include_optimizer=False)


def load_weights(model, filepath, skip_mismatch=False):
    from axon.saving import keras_io, weights_io

    if keras_io.is_keras_weights_path(filepath):
        keras_io.load_weights(model, filepath, skip_mismatch)
    else:
        weights_io.load_weights(model, filepath, skip_mismatch)


def restore_training_state(model, filepath):
    """Loads into an existing built and compiled model of the same architecture its
    weights, optimizer slots and iterations, learning rate, engine and layer seeds from a
    file written by save_model; returns the stored training_state dict (or {})."""
    from axon.saving import weights_io

    return weights_io.restore_training_state(model, filepath)


__all__ = ["FORMAT_VERSION", "FormatError", "custom_object_scope", "get_registered_name", "get_registered_object", "load_model",
           "load_weights", "register_serializable", "restore_training_state", "save_model", "save_weights"]
