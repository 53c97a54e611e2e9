"""The Keras `serialize` / `deserialize` / `get` pattern shared by initializers, losses,
optimizers and regularizers: {"class_name": ..., "config": {...}} dictionaries."""


def serialize(obj):
    from axon.saving import registry

    config = {"class_name": type(obj).__name__, "config": obj.get_config()}
    name = registry.get_registered_name(obj)
    if name != config["class_name"]:  # a custom class: loading finds it under this name
        config["registered_name"] = name
    return config


def deserialize(config, classes, module):
    """Rebuilds an object from `serialize`'s dict; `classes` maps class names to classes."""
    if not isinstance(config, dict):
        raise ValueError(f"{module}.deserialize: expected a dict with 'class_name' and 'config', got {config!r}")
    from axon.saving import registry

    registered = config.get("registered_name")
    cls = registry.get_registered_object(registered) if isinstance(registered, str) else None
    cls = cls or classes.get(config.get("class_name")) or registry.get_registered_object(config.get("class_name"))
    if cls is None:
        raise ValueError(f"{module}.deserialize: unknown class {config.get('class_name')!r}; "
                         f"expected one of {', '.join(sorted(classes))}")
    return cls.from_config(config.get("config", {}))


def class_table(*classes):
    return {cls.__name__: cls for cls in classes}


def get(identifier, base, names, classes, module, expected):
    # "losses" -> "loss", "initializers" -> "initializer", as the messages name one.
    """An instance of `base` for an instance, a serialized dict, an alias or a class name."""
    if isinstance(identifier, base):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier, classes, module)
    if isinstance(identifier, str):
        factory = names.get(identifier) or classes.get(identifier)
        if factory is not None:
            return factory()
    kind = module[:-2] if module.endswith("sses") else module[:-1]
    # Every accepted name, sorted, so a typo can be fixed from the message alone.
    valid = ", ".join(sorted(set(names) | set(classes)))
    raise ValueError(f"{module}: unknown {kind} {identifier!r}; expected {expected}. Valid names: {valid}")
