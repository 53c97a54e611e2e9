"""Models (`axon.models`)."""

from axon.models.sequential import Sequential

__all__ = ["Sequential"]
