"""Package attributes loaded on first use (PEP 562 module __getattr__), so that `import axon`
skips what a script may never touch: whole submodules (axon.losses, ...) and names defined
in submodules (axon.layers.Conv2D, axon.utils.plot_model, ...)."""

import importlib


def lazy_attributes(package_globals, submodules=(), names_by_module=None):
    """(__getattr__, __dir__) for the package whose globals() is given: `submodules` load as
    attributes of their own name, each name in names_by_module[module] as that name from
    the submodule. A loaded attribute is stored in the package, so later lookups skip
    __getattr__; an unknown name raises AttributeError naming the package."""
    package = package_globals["__name__"]
    module_of = {name: module for module, names in (names_by_module or {}).items() for name in names}

    def __getattr__(name):
        if name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        elif name in module_of:
            value = getattr(importlib.import_module(f"{package}.{module_of[name]}"), name)
        else:
            raise AttributeError(f"module '{package}' has no attribute {name!r}")
        package_globals[name] = value
        return value

    def __dir__():
        return sorted(set(package_globals) | set(submodules) | set(module_of))

    return __getattr__, __dir__
