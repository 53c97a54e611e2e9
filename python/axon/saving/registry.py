"""Which classes a saved file may name: the built-in tables plus an explicit registry.

Loading never imports a module or looks up an attribute named by the file: a class name
is only ever a key into these dictionaries, so a config naming `os.system` (or any class
nobody registered) is refused with an error naming it.
"""

_REGISTRY = {}  # "package>name" -> class
_NAMES = {}  # class -> "package>name"


def register_serializable(package="Custom", name=None):
    """Class decorator (Keras' register_keras_serializable): makes a custom layer, initializer,
    regularizer, constraint, loss, metric or optimizer loadable under "package>name"."""
    if not isinstance(package, str) or ">" in package or not package:
        raise ValueError(f"register_serializable: package must be a non-empty string without '>', got {package!r}")

    def decorator(cls):
        key = f"{package}>{name or cls.__name__}"
        if not hasattr(cls, "get_config"):
            raise ValueError(f"register_serializable: {cls!r} cannot be serialized because it does not implement "
                             "get_config()")
        _REGISTRY[key] = cls
        _NAMES[cls] = key
        return cls

    return decorator


def get_registered_name(obj_or_cls):
    """The registered "package>name" of a class (or an instance's class), else its __name__."""
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return _NAMES.get(cls, cls.__name__)


def get_registered_object(name, custom_objects=None):
    """The class registered as `name` ("package>name"), or from custom_objects, or None."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return _REGISTRY.get(name)


class custom_object_scope:
    """`with custom_object_scope({"MyLayer": MyLayer}):` makes those classes loadable by
    class name inside the block (Keras' custom_objects)."""

    def __init__(self, objects):
        self._objects, self._saved = dict(objects or {}), {}

    def __enter__(self):
        for name, cls in self._objects.items():
            self._saved[name] = _REGISTRY.get(name)
            _REGISTRY[name] = cls
        return self

    def __exit__(self, *exc):
        for name, previous in self._saved.items():
            if previous is None:
                _REGISTRY.pop(name, None)
            else:
                _REGISTRY[name] = previous


def clear_registry_for_tests(*names):
    for name in names:
        cls = _REGISTRY.pop(name, None)
        _NAMES.pop(cls, None)


def resolve(config, builtins, what, base=None):
    """The class for a serialized {"class_name", "registered_name", "config"} dict: the
    registry by registered_name, then the built-in table by class_name. Raises ValueError."""
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(f"{what}: expected a dict with a string 'class_name', got {config!r:.200}")
    registered = config.get("registered_name")
    cls = _REGISTRY.get(registered) if isinstance(registered, str) else None
    if cls is None:  # a custom_object_scope entry first: the user named it for this load
        cls = _REGISTRY.get(config["class_name"]) or builtins.get(config["class_name"])
    if cls is None:
        name = registered if isinstance(registered, str) else config["class_name"]
        raise ValueError(f"{what}: unknown class {name!r:.200}. It is neither built in nor registered; if it is "
                         "your own class, decorate it with @axon.saving.register_serializable() before loading")
    if base is not None and not (isinstance(cls, type) and issubclass(cls, base)):
        raise ValueError(f"{what}: class {config['class_name']!r} is registered but is not a {base.__name__}")
    return cls
