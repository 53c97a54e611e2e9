"""Loading into an existing model: load_weights, and restore_training_state for resuming fit.

Everything is read and checked into temporary arrays first and only then copied into the
model, so a corrupted or mismatched file leaves the model as it was.
"""

import warnings

import numpy as np

from axon.saving import format as fmt
from axon.saving import model_io


def _layers_in_file(header):
    """{layer index: (layer name, [entries in weight order])} of the file's weight tensors."""
    layers = {}
    for entry in header.tensors:
        parts = entry["name"].split("/")
        if parts[0] != "weights" or len(parts) != 4 or not (parts[1].isdecimal() and len(parts[1]) < 10):
            continue
        layers.setdefault(int(parts[1]), (parts[2], []))[1].append(entry)
    return layers


def _read_all(f, header, entries):
    return [fmt.read_tensor(f, header, e) for e in entries]


def load_weights(model, path, skip_mismatch=False):
    """Keras' load_weights: the weight-bearing layers of the file and of the model are
    paired in order; a shape mismatch raises (or, with skip_mismatch, skips that layer with
    a warning)."""
    if model._core is None:
        raise ValueError(f"load_weights {path!r}: model '{model.name}' is not built; build it (or call it on "
                         "data) first so its weights exist")
    f, header = model_io.open_file(path)
    with f:
        stored = [v for _, v in sorted(_layers_in_file(header).items())]
        targets = [layer for layer in model.layers if layer._param_ids]
        if len(stored) != len(targets) and not skip_mismatch:
            raise ValueError(f"load_weights {path!r}: the file has weights for {len(stored)} layers, model "
                             f"'{model.name}' has {len(targets)} layers with weights")
        updates = []
        for (file_layer, entries), layer in zip(stored, targets):
            expected = [tuple(w.shape) for w in layer.weights]
            given = [tuple(e["shape"]) for e in entries]
            dtypes_ok = all(e["dtype"] == model._floatx for e in entries)
            if expected != given or not dtypes_ok:
                message = (f"load_weights {path!r}: layer '{layer.name}' expects weights of shapes {expected} "
                           f"({model._floatx}), the file's layer '{file_layer}' has {given} "
                           f"({', '.join(sorted({e['dtype'] for e in entries}))})")
                if not skip_mismatch:
                    raise ValueError(message)
                warnings.warn(message + "; skipped (skip_mismatch=True)", stacklevel=3)
                continue
            updates.append((layer, _read_all(f, header, entries)))
    for layer, values in updates:
        layer.set_weights(values)


def restore_training_state(model, path):
    """Loads weights, optimizer slots, iterations and scalar state, the learning rate, the
    engine seed and the layer seeds of a file saved by save_model into `model` (built and
    compiled, with the same architecture); returns the stored training_state (or {}).
    Everything the file says is checked before the model changes; a file that is malformed
    or describes another model raises FormatError (a ValueError) naming it and the field."""
    if model._core is None or not model.compiled:
        raise ValueError(f"restore_training_state {path!r}: model '{model.name}' must be built and compiled")
    f, header = model_io.open_file(path)
    with f:
        _check_same_architecture(model, header)
        # Layer names differ between processes ('dense' vs 'dense_4'): match by position.
        mine = [(_positional(name), pid) for name, _, _, pid in model_io.weight_entries(model)]
        weights = _read_positional(f, header, model, "weights/", mine)
        state = header.metadata.get("optimizer_state")
        if not isinstance(state, dict):
            fmt._fail(header.source, "restore_training_state: the file has no optimizer state (metadata "
                                     "'optimizer_state'); save it with axon.saving.save_model(model, path, "
                                     "include_optimizer=True)")
        num_slots = model._core.num_slots
        if state.get("num_slots") != num_slots:
            fmt._fail(header.source, f"restore_training_state: the file's optimizer has "
                                     f"{state.get('num_slots')!r:.40} slots (metadata 'optimizer_state'), model "
                                     f"'{model.name}''s {type(model.optimizer).__name__} has {num_slots}")
        slot_keys = [(f"{k}:{name}", pid, k) for k in range(num_slots) for name, pid in mine]
        slots = _read_positional(f, header, model, "optimizer/", [(key, pid) for key, pid, _ in slot_keys])
        iterations, scalar = model_io.check_optimizer_state(header, state)
        _check_same_optimizer(model, header, len(scalar))
        seeds = _checked_seeds(model, header)
        engine_seed = model_io.checked_engine_seed(header)
        learning_rate = _stored_learning_rate(header)
        training_state = header.metadata.get("training_state")
    # Nothing can fail from here on: the model changes only now.
    if seeds != [getattr(layer, "_seed", None) for layer in model.layers]:
        for layer, seed in zip(model.layers, seeds):
            if seed is not None:
                layer._seed = seed
        model.build()  # the engine's Dropout took its seed at creation: rebuild it (weights are set after)
    if engine_seed is not None:
        model._core.seed = engine_seed
    model.set_weights(weights)
    core = model._core
    for (_, pid, k), values in zip(slot_keys, slots):
        np.copyto(core.slot_view(k, pid), values)
    core.iterations = iterations
    core.optimizer_scalar_state = scalar
    if learning_rate is not None and isinstance(model.optimizer._learning_rate, float):
        model.optimizer.learning_rate = learning_rate  # e.g. lowered by ReduceLROnPlateau before the save
    return dict(training_state) if isinstance(training_state, dict) else {}


def _read_positional(f, header, model, prefix, wanted):
    """The file's tensors under `prefix` for `wanted` [(positional key, param id)], read into
    new arrays of the parameter's shape and the model's dtype (read_tensor refuses any other)."""
    by_key = {}
    for entry in header.tensors:
        if entry["name"].startswith(prefix):
            by_key.setdefault(_positional(entry["name"]), entry)
    missing = [key for key, _ in wanted if key not in by_key]
    if missing:
        fmt._fail(header.source, f"restore_training_state: tensors {missing[:3]} (by position) are missing")
    return [fmt.read_tensor(f, header, by_key[key], out=np.empty(tuple(model._core.param_shape(pid)),
                                                                 dtype=model._dtype()))
            for key, pid in wanted]


def _check_same_architecture(model, header):
    layers = header.architecture.get("layers") if isinstance(header.architecture, dict) else None
    stored = [layer.get("class_name") if isinstance(layer, dict) else layer
              for layer in (layers if isinstance(layers, list) else [])]
    stored = [name for name in stored if name != "InputLayer"]
    mine = [type(layer).__name__ for layer in model.layers]
    positional = {_positional(e["name"]): tuple(e["shape"]) for e in header.tensors if e["name"].startswith("weights/")}
    mine_positional = {_positional(n): tuple(model._core.param_shape(pid))
                       for n, _, _, pid in model_io.weight_entries(model)}
    if stored != mine or positional != mine_positional:
        fmt._fail(header.source, f"restore_training_state: the file's architecture differs from model "
                                 f"'{model.name}': file layers {stored!r:.300} with weights "
                                 f"{sorted(positional.items())!r:.300}, model layers {mine} with weights "
                                 f"{sorted(mine_positional.items())}")


def _stored_optimizer(header):
    """The metadata's compile.optimizer object, or {} where the file has none of that form."""
    compile_config = header.metadata.get("compile")
    optimizer = compile_config.get("optimizer") if isinstance(compile_config, dict) else None
    return optimizer if isinstance(optimizer, dict) else {}


def _check_same_optimizer(model, header, scalar_count):
    stored = _stored_optimizer(header).get("class_name")
    mine = type(model.optimizer).__name__
    if stored != mine or scalar_count != len(model._core.optimizer_scalar_state):
        fmt._fail(header.source, f"restore_training_state: the file's optimizer is {stored!r:.80}, model "
                                 f"'{model.name}' is compiled with {mine!r}; compile it with the same optimizer "
                                 "(the file's metadata 'compile' names it)")


def _checked_seeds(model, header):
    """Each layer's seed after the file's layer_seeds are applied (checked, nothing set)."""
    before = [getattr(layer, "_seed", None) for layer in model.layers]
    try:
        model_io._apply_layer_seeds(model, header)
        return [getattr(layer, "_seed", None) for layer in model.layers]
    except ValueError as e:
        raise fmt.FormatError(f"{header.source}: metadata 'layer_seeds': {e}") from e
    finally:
        for layer, seed in zip(model.layers, before):
            if seed is not None:
                layer._seed = seed


def _stored_learning_rate(header):
    config = _stored_optimizer(header).get("config")
    lr = config.get("learning_rate") if isinstance(config, dict) else None
    if not isinstance(lr, (int, float)) or isinstance(lr, bool):
        return None  # a schedule's config, or none: the compiled optimizer's stays
    value = model_io.finite_float(lr)
    if value is None or value < 0:
        fmt._fail(header.source, f"metadata 'compile': the optimizer's learning_rate {lr!r:.40} is not a "
                                 "finite non-negative number")
    return value


def _positional(name):
    """'weights/2/dense_7/kernel' -> '2/kernel', 'optimizer/1/2/dense_7/kernel' -> '1:2/kernel'."""
    parts = name.split("/")
    if parts[0] == "optimizer" and len(parts) == 5:
        return f"{parts[1]}:{parts[2]}/{parts[-1]}"
    return f"{parts[1]}/{parts[-1]}" if len(parts) == 4 else name
