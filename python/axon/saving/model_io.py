"""A model <-> the `.axon` file (layout in axon.saving.format).

What a file holds, beyond the architecture and the weights: the compile config, the
optimizer's slots, iteration count and scalar state, the engine's shuffling seed and each
layer's resolved seed (Dropout masks are keyed by it). With those, fit() on a loaded model
continues bit-identically: shuffling is keyed by (engine seed, epoch) and dropout masks by
(layer seed, optimizer iteration).
"""

import io
import json
import math
import os

import numpy as np

from axon.saving import format as fmt
from axon.saving.atomic import atomic_write

MAX_INPUT_VALUES = 1 << 40  # per sample; bounds what a hostile input shape makes the engine compute


def weight_entries(model):
    """[(tensor name, layer index, weight index, param id)] for every weight of a built model."""
    if model._core is None:
        return []
    return [(f"weights/{i}/{layer.name}/{wname}", i, j, pid)
            for i, layer in enumerate(model.layers)
            for j, (wname, pid) in enumerate(zip(layer._weight_names(), layer._param_ids))]


def _seeds(model):
    return {str(i): layer._seed for i, layer in enumerate(model.layers) if hasattr(layer, "_seed")}


def _compile_config(model):
    from axon import losses, metrics, optimizers

    def metric(m):
        return m if isinstance(m, str) else metrics.serialize(metrics.get(m))

    return {"optimizer": optimizers.serialize(model.optimizer), "loss": losses.serialize(model.loss),
            "metrics": [metric(m) for m in model._metric_specs]}


def _contents(model, kind, include_optimizer, training_state):
    """(header fields, [(name, array)]) for `model`; the arrays are views of the engine's arena."""
    core = model._core
    tensors = [(name, core.param_view(pid)) for name, _, _, pid in weight_entries(model)]
    metadata = {"kind": kind, "axon_version": axon_version(), "dtype": model._floatx,
                "engine_seed": None if core is None else int(core.seed), "layer_seeds": _seeds(model)}
    if kind == "model" and include_optimizer and model.compiled:
        metadata["compile"] = _compile_config(model)
        if core is not None and model._core_compiled:
            metadata["optimizer_state"] = {"iterations": int(core.iterations), "num_slots": int(core.num_slots),
                                           "scalar_state": list(core.optimizer_scalar_state)}
            tensors += [(f"optimizer/{k}/{name[len('weights/'):]}", core.slot_view(k, pid))
                        for k in range(core.num_slots) for name, _, _, pid in weight_entries(model)]
    if training_state is not None:
        metadata["training_state"] = training_state
    architecture = model.get_config() if kind == "model" else None
    return {"architecture": architecture, "metadata": metadata}, tensors


def axon_version():
    import axon

    return axon.__version__


def write_model(model, path, kind="model", include_optimizer=True, training_state=None):
    header, tensors = _contents(model, kind, include_optimizer, training_state)
    try:
        json.dumps(header, allow_nan=False)  # a clear error before a temporary file exists
    except (TypeError, ValueError) as e:
        raise ValueError(f"save {os.fspath(path)!r}: the config or training_state is not JSON-serializable: {e}") from e
    with atomic_write(path) as f:
        fmt.write(f, header, tensors)


def model_to_bytes(model):
    buffer = io.BytesIO()
    header, tensors = _contents(model, "model", True, None)
    fmt.write(buffer, header, tensors)
    return buffer.getvalue()


# ------------------------------------------------------------------ reading
def open_file(path):
    """(file object, validated header) for `path`."""
    source = os.fspath(path)
    f = open(source, "rb")
    try:
        return f, fmt.read_header(f, os.fstat(f.fileno()).st_size, repr(source))
    except BaseException:
        f.close()
        raise


def _rebuild(header):
    """A Sequential model from the header's architecture, with the stored seeds, not built."""
    from axon.models.sequential import Sequential

    if header.metadata.get("kind") != "model" or not isinstance(header.architecture, dict):
        fmt._fail(header.source, "holds weights only (no architecture); build the model in code and use "
                                 "model.load_weights(path)")
    try:
        model = Sequential.from_config(header.architecture, build=False)
        dtype = header.metadata.get("dtype", "float32")
        if dtype not in fmt.DTYPES:
            raise ValueError(f"dtype {dtype!r} is not one of {', '.join(fmt.DTYPES)}")
        model._set_dtype(dtype)
        _apply_layer_seeds(model, header)
    except fmt.FormatError:
        raise
    except Exception as e:  # a hostile config can fail anywhere in a constructor: report it as the file's fault
        raise fmt.FormatError(f"{header.source}: the architecture cannot be rebuilt: {e}") from e
    return model


def _apply_layer_seeds(model, header):
    seeds = header.metadata.get("layer_seeds") or {}
    if not isinstance(seeds, dict):
        raise ValueError("metadata 'layer_seeds' must be an object")
    for key, seed in seeds.items():
        i = int(key) if isinstance(key, str) and key.isdecimal() and len(key) < 10 else -1
        if not 0 <= i < len(model.layers) or not hasattr(model.layers[i], "_seed"):
            raise ValueError(f"layer_seeds names layer {key!r}, which has no seed in this architecture")
        if not fmt._is_int(seed) or not 0 <= seed < 1 << 64:
            raise ValueError(f"layer {key}: seed must be an integer in [0, 2**64), got {seed!r}")
        model.layers[i]._seed = seed


def _entries_by_name(header, prefix):
    return {e["name"]: e for e in header.tensors if e["name"].startswith(prefix)}


def read_model(f, header):
    """The model a validated file describes: built and loaded when it holds weights,
    compiled with its optimizer state when it was saved compiled."""
    model = _rebuild(header)
    weights = _entries_by_name(header, "weights/")
    try:
        if weights or header.metadata.get("engine_seed") is not None:
            build_untrusted(model, sum(int(np.prod(e["shape"], dtype=object)) for e in weights.values()),
                            "the architecture holds weights but no input shape")
    except Exception as e:
        raise fmt.FormatError(f"{header.source}: the architecture cannot be rebuilt: {e}") from e
    compile_config = header.metadata.get("compile")
    if compile_config is not None:
        try:
            _compile(model, compile_config)
        except Exception as e:
            raise fmt.FormatError(f"{header.source}: the compile config cannot be restored: {e}") from e
    if model._core is not None:
        _read_weights(f, header, model, weights)
        _read_optimizer(f, header, model)
        _set_engine_seed(header, model)
    return model


def build_untrusted(model, max_values, no_shape_message):
    """Builds a model rebuilt from a file's config: its input shape must exist and be bounded,
    and its parameters may not need more than max_values values (refused before allocating)."""
    if model._input_shape is None:
        raise ValueError(no_shape_message)
    if np.prod(model._input_shape, dtype=object) > MAX_INPUT_VALUES:
        raise ValueError(f"input shape {model._input_shape} is larger than {MAX_INPUT_VALUES} values")
    model._build_core(max_values=max_values)


def _compile(model, config):
    from axon import losses, metrics, optimizers

    if not isinstance(config, dict) or not isinstance(config.get("metrics", []), list):
        raise ValueError("metadata 'compile' must be an object with a 'metrics' list")
    ms = [m if isinstance(m, str) else metrics.deserialize(m) for m in config.get("metrics", [])]
    model.compile(optimizer=optimizers.deserialize(config.get("optimizer")),
                  loss=losses.deserialize(config.get("loss")), metrics=ms)


def _read_weights(f, header, model, weights):
    expected = weight_entries(model)
    if sorted(weights) != sorted(name for name, _, _, _ in expected):
        missing = sorted(set(name for name, _, _, _ in expected) - set(weights))
        extra = sorted(set(weights) - set(name for name, _, _, _ in expected))
        fmt._fail(header.source, f"the weights do not match the architecture (missing {missing[:5]}, "
                                 f"unexpected {extra[:5]})")
    for name, _, _, pid in expected:
        fmt.read_tensor(f, header, weights[name], out=model._core.param_view(pid))


def _read_optimizer(f, header, model):
    state = header.metadata.get("optimizer_state")
    if state is None or not model._core_compiled:
        return
    core = model._core
    if not isinstance(state, dict) or state.get("num_slots") != core.num_slots:
        fmt._fail(header.source, f"invalid optimizer state: the optimizer has {core.num_slots} slots, the file "
                                 f"{state.get('num_slots') if isinstance(state, dict) else state!r:.100}")
    iterations, scalar = check_optimizer_state(header, state)
    if len(scalar) != len(core.optimizer_scalar_state):
        fmt._fail(header.source, f"invalid optimizer state: {type(model.optimizer).__name__} has "
                                 f"{len(core.optimizer_scalar_state)} scalar state values, the file {len(scalar)}")
    slots = _entries_by_name(header, "optimizer/")
    for k in range(core.num_slots):
        for name, _, _, pid in weight_entries(model):
            key = f"optimizer/{k}/{name[len('weights/'):]}"
            if key not in slots:
                fmt._fail(header.source, f"optimizer slot tensor {key!r} is missing")
            fmt.read_tensor(f, header, slots[key], out=core.slot_view(k, pid))
    core.iterations = iterations
    core.optimizer_scalar_state = scalar


def check_optimizer_state(header, state):
    """(iterations, scalar state) of the file's optimizer_state, validated."""
    iterations, scalar = state.get("iterations"), state.get("scalar_state")
    if not fmt._is_int(iterations) or not 0 <= iterations < 1 << 62:
        fmt._fail(header.source, f"invalid optimizer state: iterations must be a non-negative integer, "
                                 f"got {iterations!r:.100}")
    values = [finite_float(v) for v in scalar] if isinstance(scalar, list) and len(scalar) <= 16 else None
    if values is None or None in values:
        fmt._fail(header.source, "invalid optimizer state: scalar_state must be a list of at most 16 finite numbers")
    return iterations, values


def finite_float(value):
    """float(value) for a JSON number that is finite as a float, else None (an integer past
    float's range would raise OverflowError in float())."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > 2 ** 1000:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def checked_engine_seed(header):
    """The file's engine_seed (None when absent), validated."""
    seed = header.metadata.get("engine_seed")
    if seed is not None and (not fmt._is_int(seed) or not 0 <= seed < 1 << 64):
        fmt._fail(header.source, f"engine_seed must be an integer in [0, 2**64), got {seed!r:.40}")
    return seed


def _set_engine_seed(header, model):
    seed = checked_engine_seed(header)
    if seed is not None:
        model._core.seed = seed


def load_model(path):
    f, header = open_file(path)
    with f:
        return read_model(f, header)


def model_from_bytes(data):
    data = bytes(data)
    f = io.BytesIO(data)
    return read_model(f, fmt.read_header(f, len(data), "<bytes>"))
