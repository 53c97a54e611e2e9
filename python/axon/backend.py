"""The little of `keras.backend` that applies to axon."""

from axon.utils import naming


def clear_session():
    """Resets the automatic layer and model names ('dense', 'dense_1', ...)."""
    naming.reset_names()
