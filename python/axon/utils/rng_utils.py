"""One seed for everything: initializers, dropout masks and shuffling.

`set_random_seed(s)` resets a counter; every component that needs randomness and was not
given its own seed draws the next value of a SplitMix64 sequence keyed by s. The same
script therefore gets the same seeds in the same order, and the C++ engine (counter-based
Philox) turns them into bit-identical results whatever the thread count.
"""

import os
import random

from axon._numpy_on_first_use import numpy_on_first_use

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast

_MASK = (1 << 64) - 1
_state = {"seed": None, "counter": 0}


def set_random_seed(seed):
    """Fixes initialization, dropout and shuffling (and Python's and NumPy's generators)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"set_random_seed: expected a non-negative integer seed, got {seed!r}")
    _state["seed"] = int(seed)
    _state["counter"] = 0
    random.seed(int(seed))
    np.random.seed(int(seed) % (1 << 32))


def _splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def draw_seed():
    """The next seed: deterministic after set_random_seed, from the OS otherwise."""
    if _state["seed"] is None:
        return int.from_bytes(os.urandom(8), "little")
    _state["counter"] += 1
    return _splitmix64(_splitmix64(_state["seed"]) ^ _state["counter"])


def resolve_seed(seed):
    """A user's explicit seed, or the next global one."""
    if seed is None:
        return draw_seed()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected None or a non-negative integer, got {seed!r}")
    return int(seed) & _MASK
