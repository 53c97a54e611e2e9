"""Layers (`axon.layers`)."""

from axon.layers.activations import ELU, LeakyReLU, PReLU, ReLU, Softmax
from axon.layers.base import Layer, Weight
from axon.layers.core import Activation, Dense, Dropout, Flatten, Input, InputLayer, Reshape

__all__ = ["Layer", "Weight", "Input", "InputLayer", "Dense", "Activation", "Dropout", "Flatten", "Reshape",
           "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax"]
