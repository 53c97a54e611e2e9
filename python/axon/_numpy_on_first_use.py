"""NumPy, imported the first time an axon module uses it rather than at `import axon`.

NumPy's import is most of `import axon` (60-180 ms of it on the 2-core benchmark machine,
against ~30 ms for axon's own modules and engine). The modules that `import axon` loads
therefore bind `np` to a stand-in:

    from axon._numpy_on_first_use import numpy_on_first_use
    np = numpy_on_first_use(globals())

The stand-in's first attribute lookup (`np.asarray`, `np.ndarray`, ...) imports NumPy and
rebinds that module's global `np` to the real module, so every later call reads NumPy
directly and pays nothing. Only attribute access is forwarded: a module that passes `np`
itself around, or uses it at import time, must import NumPy normally.
"""


class _NumpyOnFirstUse:
    __slots__ = ("_module_globals",)

    def __init__(self, module_globals):
        self._module_globals = module_globals

    def __getattr__(self, name):
        import numpy

        self._module_globals["np"] = numpy
        return getattr(numpy, name)

    def __repr__(self):
        return f"<numpy, imported on first use by {self._module_globals.get('__name__')}>"


def numpy_on_first_use(module_globals):
    """A stand-in for `np` in the module whose globals() is given (see the module docstring)."""
    return _NumpyOnFirstUse(module_globals)
