"""Keras 3 `config.json` <-> axon configs, for the layers axon has.

Keras and axon share class names and argument names (Keras is axon's API reference), so
the translation is mostly bookkeeping: Keras wraps every nested object as
{"module", "class_name", "config", "registered_name"}, stores dtypes as DTypePolicy
objects, and has options axon does not implement. An option axon lacks is accepted only
at its Keras default (dropped); any other value raises, naming the layer, so a model never
loads computing something other than what Keras computed. Nothing is imported or looked
up by the file's module names: classes resolve through axon's own tables and registry.
"""

from axon.saving.format import FormatError

SUPPORTED = ("InputLayer", "Dense", "Activation", "Dropout", "Flatten", "Reshape", "ReLU", "LeakyReLU", "PReLU",
             "ELU", "Softmax")
_CONV = ("Conv1D", "Conv2D", "Conv3D")
_CONV_FAMILY = ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D",
                "SeparableConv1D", "SeparableConv2D")
_POOLING = tuple(f"{kind}Pooling{rank}D" for kind in ("Max", "Average", "GlobalMax", "GlobalAverage")
                 for rank in (1, 2, 3))
_SPATIAL = tuple(f"{kind}{rank}D" for kind in ("ZeroPadding", "Cropping", "UpSampling", "SpatialDropout")
                 for rank in (1, 2, 3))
SUPPORTED += _CONV + _POOLING + _SPATIAL + _CONV_FAMILY + ("BatchNormalization", "LayerNormalization",
                                                          "GroupNormalization")
# Keras options axon does not implement -> the values at which they change nothing.
_KERAS_DEFAULTS = {"quantization_config": (None,), "sparse": (False,), "ragged": (False,), "optional": (False,),
                   "noise_shape": (None,), "input_axes": (None,), "output_axes": (None,), "lora_rank": (None,),
                   "lora_alpha": (None,), "activity_regularizer": (None,), "data_format": ("channels_last", None)}
_LAYER_KEYS_KEPT = {"Dense": {"activity_regularizer"}}  # axon implements these for that layer
_LAYER_KEYS_KEPT.update({cls: {"data_format"} for cls in _POOLING + _SPATIAL})  # both data formats
_LAYER_KEYS_KEPT.update({cls: {"activity_regularizer", "data_format"} for cls in _CONV + _CONV_FAMILY})
_FLOAT_DTYPES = ("float32", "float64")
_COMPILE_IGNORED = ("run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss")


def _dtype_name(value, where):
    """'float32' for a dtype string or a Keras DTypePolicy dict; float32/float64 only."""
    if isinstance(value, dict):  # Keras' {"class_name": "DTypePolicy", "config": {"name": "float32"}}
        policy = value.get("config")
        if not isinstance(policy, dict):
            raise FormatError(f"{where}: dtype policy {value!r:.80} must have a 'config' object naming the dtype")
        value = policy.get("name")
    if value is None:
        return None
    if not isinstance(value, str) or value not in _FLOAT_DTYPES:
        raise FormatError(f"{where}: dtype {value!r:.80} is not supported (axon computes in float32 or float64)")
    return value


def _strip_objects(value):
    """Keras' nested {"module", "class_name", "config", "registered_name"} -> axon's dicts."""
    if isinstance(value, list):
        return [_strip_objects(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _strip_objects(v) for k, v in value.items() if k not in ("module", "shared_object_id")}
    if "class_name" in out and out.get("registered_name") in (None, out["class_name"]):
        out.pop("registered_name", None)  # a built-in: axon finds it by class name
    if isinstance(out.get("config"), dict) and "class_name" in out:
        out["config"] = _drop_defaults(out["config"], f"{out['class_name']}", set())
    return out


def _drop_defaults(config, where, kept):
    out = {}
    for key, value in config.items():
        if key in _KERAS_DEFAULTS and key not in kept:
            if value not in _KERAS_DEFAULTS[key]:
                raise FormatError(f"{where}: the Keras option {key}={value!r:.80} is not supported by axon "
                                  f"(only {' or '.join(repr(v) for v in _KERAS_DEFAULTS[key])})")
            continue
        out[key] = value
    return out


def layer_from_keras(entry, index):
    """(axon class name, axon config) for one entry of a Keras Sequential's 'layers'."""
    if not isinstance(entry, dict) or not isinstance(entry.get("class_name"), str):
        raise FormatError(f"layer #{index}: expected an object with a string 'class_name', got {entry!r:.200}")
    cls, config = entry["class_name"], entry.get("config")
    name = config.get("name") if isinstance(config, dict) else None
    where = f"layer #{index} '{name}' ({cls})"
    if cls == "Lambda":
        raise FormatError(f"{where}: Lambda layers hold Python code, which axon never runs from a file; "
                          "rewrite it as a built-in layer")
    if cls not in SUPPORTED:
        raise FormatError(f"{where}: Keras layer {cls!r:.80} is not supported by axon; supported layers are "
                          f"{', '.join(SUPPORTED)}")
    if not isinstance(config, dict):
        raise FormatError(f"{where}: 'config' must be an object")
    registered = entry.get("registered_name")
    if registered not in (None, cls):
        raise FormatError(f"{where}: registered name {registered!r:.80} is a custom Keras class, not supported")
    config = _drop_defaults(dict(config), where, _LAYER_KEYS_KEPT.get(cls, set()))
    config = {k: _strip_objects(v) for k, v in config.items()}
    if "dtype" in config:
        config["dtype"] = _dtype_name(config["dtype"], where)
    return cls, config


def model_from_keras(config):
    """(axon Sequential config, dtype, compile config or None) for a Keras config.json."""
    if not isinstance(config, dict):
        raise FormatError(f"config.json must be an object, got {type(config).__name__}")
    cls = config.get("class_name")
    if cls != "Sequential":
        kind = "functional models" if cls in ("Functional", "Model") else "models"
        raise FormatError(f"Keras {kind} of class {cls!r:.80} are not supported; axon loads Sequential models")
    inner = config.get("config")
    if not isinstance(inner, dict) or not isinstance(inner.get("layers"), list):
        raise FormatError("the Sequential config must be an object with a 'layers' list")
    layers = []
    for i, entry in enumerate(inner["layers"]):
        cls_name, layer_config = layer_from_keras(entry, i)
        layers.append({"class_name": cls_name, "config": layer_config})
    shape = inner.get("build_input_shape")
    if (not layers or layers[0]["class_name"] != "InputLayer") and isinstance(shape, list) and len(shape) >= 2:
        layers.insert(0, {"class_name": "InputLayer", "config": {"batch_shape": shape}})  # built without Input
    # Keras keeps a dtype per layer (a float64 model's own policy may still say float32);
    # axon computes the whole model in one dtype, so the layers must agree.
    dtypes = {layer["config"].get("dtype") for layer in layers} - {None}
    if len(dtypes) > 1:
        raise FormatError(f"the layers mix dtypes {sorted(dtypes)}; axon computes a model in one dtype")
    dtype = dtypes.pop() if dtypes else _dtype_name(inner.get("dtype"), "the Sequential model") or "float32"
    axon_config = {"name": inner.get("name"), "trainable": inner.get("trainable", True), "layers": layers}
    return axon_config, dtype, compile_from_keras(config.get("compile_config"))


def compile_from_keras(config):
    """compile() arguments for a Keras compile_config (None when the model was not compiled:
    Keras writes {} then; a model compiled without a loss cannot be compiled in axon either)."""
    if config is None:
        return None
    if not isinstance(config, dict):
        raise FormatError(f"compile_config must be an object, got {type(config).__name__}")
    if config.get("loss") is None:
        return None
    for key in ("loss_weights", "weighted_metrics"):
        if config.get(key) is not None:
            raise FormatError(f"compile_config: {key} is not supported by axon")
    unknown = set(config) - {"optimizer", "loss", "metrics", "loss_weights", "weighted_metrics", *_COMPILE_IGNORED}
    if unknown:
        raise FormatError(f"compile_config: unknown keys {sorted(unknown)}")
    metrics = config.get("metrics") or []
    if not isinstance(metrics, list) or not all(isinstance(m, str) or isinstance(m, dict) and "class_name" in m
                                                for m in metrics):
        raise FormatError("compile_config: metrics must be a flat list (per-output metrics are not supported)")
    return {"optimizer": _strip_objects(config.get("optimizer")), "loss": _strip_objects(config.get("loss")),
            "metrics": _strip_objects(metrics)}


# ------------------------------------------------------------------ axon -> Keras
_MODULES = {"kernel_initializer": "keras.initializers", "bias_initializer": "keras.initializers",
            "alpha_initializer": "keras.initializers", "kernel_regularizer": "keras.regularizers",
            "bias_regularizer": "keras.regularizers", "activity_regularizer": "keras.regularizers",
            "alpha_regularizer": "keras.regularizers", "kernel_constraint": "keras.constraints",
            "bias_constraint": "keras.constraints", "alpha_constraint": "keras.constraints",
            # the normalization layers
            "beta_initializer": "keras.initializers", "gamma_initializer": "keras.initializers",
            "moving_mean_initializer": "keras.initializers", "moving_variance_initializer": "keras.initializers",
            "beta_regularizer": "keras.regularizers", "gamma_regularizer": "keras.regularizers",
            "beta_constraint": "keras.constraints", "gamma_constraint": "keras.constraints"}
_MODULES.update({f"{w}_{kind}": f"keras.{kind}s" for w in ("depthwise", "pointwise")
                 for kind in ("initializer", "regularizer", "constraint")})


def _keras_object(obj, module, where):
    """axon's {"class_name", "config"} -> Keras' form; strings (names) pass through."""
    if obj is None or isinstance(obj, str):
        return obj
    if obj.get("registered_name") is not None or not isinstance(obj.get("config"), dict):
        raise ValueError(f"{where}: {obj.get('registered_name') or obj.get('class_name')!r} is not a Keras "
                         "built-in, so Keras could not load it")
    config = {k: _keras_object(v, "keras.optimizers.schedules", where) if isinstance(v, dict) and "class_name" in v
              else v for k, v in obj["config"].items()}
    return {"module": module, "class_name": obj["class_name"], "config": config, "registered_name": None}


def layer_to_keras(entry, dtype):
    """A Keras layer entry for one of axon's Sequential config entries."""
    cls, config = entry["class_name"], dict(entry["config"])
    where = f"save .keras: layer '{config.get('name')}' ({cls})"
    if cls not in SUPPORTED or entry.get("registered_name") is not None:
        raise ValueError(f"{where} cannot be written as a Keras layer yet (a custom layer, or one the .keras "
                         f"writer does not convert); supported layers are {', '.join(SUPPORTED)}")
    config.pop("batch_input_shape", None)  # the InputLayer entry carries the shape
    if cls != "InputLayer":
        config["dtype"] = config.get("dtype") or dtype
    if not isinstance(config.get("activation", ""), str):
        raise ValueError(f"{where}: activation {config['activation']!r:.120} has arguments, which Keras' "
                         "activation config cannot express")
    for key, module in _MODULES.items():
        if key in config:
            config[key] = _keras_object(config[key], module, f"{where}: {key}")
    return {"module": "keras.layers", "class_name": cls, "config": config, "registered_name": None}


def model_to_keras(axon_config, dtype, compile_config):
    layers = [layer_to_keras(entry, dtype) for entry in axon_config["layers"]]
    inner = {"name": axon_config["name"], "trainable": axon_config["trainable"], "dtype": dtype, "layers": layers}
    config = {"module": "keras", "class_name": "Sequential", "config": inner, "registered_name": None}
    if compile_config is not None:
        where = "save .keras: compile config"
        config["compile_config"] = {
            "optimizer": _keras_object(compile_config["optimizer"], "keras.optimizers", f"{where} optimizer"),
            "loss": _keras_object(compile_config["loss"], "keras.losses", f"{where} loss"),
            "metrics": [_keras_object(m, "keras.metrics", f"{where} metric") for m in compile_config["metrics"]],
            "loss_weights": None, "weighted_metrics": None}
    return config
