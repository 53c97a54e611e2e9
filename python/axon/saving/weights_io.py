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
        if parts[0] != "weights" or len(parts) != 4 or not parts[1].isdigit():
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
    compiled, with the same architecture); returns the stored training_state (or {})."""
    if model._core is None or not model.compiled:
        raise ValueError(f"restore_training_state {path!r}: model '{model.name}' must be built and compiled")
    f, header = model_io.open_file(path)
    with f:
        _check_same_architecture(model, header, path)
        # Layer names differ between processes ('dense' vs 'dense_4'): match by position.
        entries = {_positional(e["name"]): e for e in header.tensors}
        mine = [_positional(name) for name, _, _, _ in model_io.weight_entries(model)]
        weights = _read_all(f, header, [entries[name] for name in mine])
        state = header.metadata.get("optimizer_state")
        if not isinstance(state, dict):
            raise ValueError(f"restore_training_state {path!r}: the file has no optimizer state; save it with "
                             "axon.saving.save_model(model, path, include_optimizer=True)")
        if state.get("num_slots") != model._core.num_slots:
            raise ValueError(f"restore_training_state {path!r}: the file's optimizer has {state.get('num_slots')!r} "
                             f"slots, model '{model.name}''s {type(model.optimizer).__name__} has "
                             f"{model._core.num_slots}")
        slot_names = [f"{k}:{name}" for k in range(model._core.num_slots) for name in mine]
        missing = [n for n in slot_names if n not in entries]
        if missing:
            fmt._fail(header.source, f"optimizer slot tensors are missing: {missing[:3]}")
        slots = _read_all(f, header, [entries[n] for n in slot_names])
        iterations, scalar = model_io.check_optimizer_state(header, state)
        _check_same_optimizer(model, header, path, len(scalar))
    _apply_seeds(model, header)
    model.set_weights(weights)
    core = model._core
    params = [pid for _, _, _, pid in model_io.weight_entries(model)]
    for i, values in enumerate(slots):
        np.copyto(core.slot_view(i // len(params), params[i % len(params)]), values)
    core.iterations = iterations
    core.optimizer_scalar_state = scalar
    _restore_learning_rate(model, header)
    training_state = header.metadata.get("training_state")
    return dict(training_state) if isinstance(training_state, dict) else {}


def _check_same_architecture(model, header, path):
    stored = header.architecture.get("layers", []) if isinstance(header.architecture, dict) else []
    stored = [layer.get("class_name") for layer in stored if isinstance(layer, dict)]
    stored = [name for name in stored if name != "InputLayer"]
    mine = [type(layer).__name__ for layer in model.layers]
    file_shapes = {e["name"]: tuple(e["shape"]) for e in header.tensors}
    expected = {name: tuple(model._core.param_shape(pid)) for name, _, _, pid in model_io.weight_entries(model)}
    positional = {_positional(n): s for n, s in file_shapes.items() if n.startswith("weights/")}
    # the layers' weight names and shapes, by position
    mine_positional = {_positional(n): s for n, s in expected.items()}
    if stored != mine or positional != mine_positional:
        raise ValueError(f"restore_training_state {path!r}: the file's architecture differs from model "
                         f"'{model.name}': file layers {stored} with weights {sorted(positional.items())}, "
                         f"model layers {mine} with weights {sorted(mine_positional.items())}")


def _check_same_optimizer(model, header, path, scalar_count):
    stored = ((header.metadata.get("compile") or {}).get("optimizer") or {}).get("class_name")
    mine = type(model.optimizer).__name__
    if stored != mine or scalar_count != len(model._core.optimizer_scalar_state):
        raise ValueError(f"restore_training_state {path!r}: the file's optimizer is {stored!r}, model "
                         f"'{model.name}' is compiled with {mine!r}; compile it with the same optimizer")


def _positional(name):
    """'weights/2/dense_7/kernel' -> '2/kernel', 'optimizer/1/2/dense_7/kernel' -> '1:2/kernel'."""
    parts = name.split("/")
    if parts[0] == "optimizer" and len(parts) == 5:
        return f"{parts[1]}:{parts[2]}/{parts[-1]}"
    return f"{parts[1]}/{parts[-1]}" if len(parts) == 4 else name


def _apply_seeds(model, header):
    before = [getattr(layer, "_seed", None) for layer in model.layers]
    try:
        model_io._apply_layer_seeds(model, header)
    except ValueError as e:
        raise fmt.FormatError(f"{header.source}: {e}") from e
    if before != [getattr(layer, "_seed", None) for layer in model.layers]:  # the engine's Dropout took its seed at creation: rebuild it (weights are reloaded after)
        model.build()
    model_io._set_engine_seed(header, model)


def _restore_learning_rate(model, header):
    compile_config = header.metadata.get("compile") or {}
    lr = (compile_config.get("optimizer") or {}).get("config", {}).get("learning_rate")
    if isinstance(lr, (int, float)) and not isinstance(lr, bool) and not isinstance(
            model.optimizer._learning_rate, dict) and isinstance(model.optimizer._learning_rate, float):
        model.optimizer.learning_rate = float(lr)  # e.g. lowered by ReduceLROnPlateau before the save
