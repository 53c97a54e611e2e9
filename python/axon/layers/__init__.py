"""Layers (`axon.layers`)."""

from axon.layers.base import Layer, Weight
from axon.layers.core import Activation, Dense, Dropout, Flatten, Input, InputLayer, Reshape

__all__ = ["Layer", "Weight", "Input", "InputLayer", "Dense", "Activation", "Dropout", "Flatten", "Reshape"]
