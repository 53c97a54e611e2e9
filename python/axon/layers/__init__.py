"""Layers (`axon.layers`)."""

from axon import _lazy
from axon.layers.base import Layer, Weight
from axon.layers.core import Activation, Dense, Dropout, Flatten, Input, InputLayer, Reshape

# The other families load on first use (axon.layers.Conv2D, `from axon.layers import
# MaxPooling2D`): a Dense network does not import them (8-18 ms under -X importtime on the
# 2-core development VM).
_LAZY = {
    "activations": ("ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"),
    "convolutional": ("Conv1D", "Conv2D", "Conv3D"),
    "convolutional_transpose": ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"),
    "depthwise": ("DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D"),
    "normalization": ("BatchNormalization", "GroupNormalization", "LayerNormalization"),
    "pooling": ("AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
                "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalAvgPool1D",
                "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
                "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "MaxPool1D", "MaxPool2D",
                "MaxPool3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D"),
    "reshaping": ("Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D",
                  "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"),
    "spatial_dropout": ("SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"),
}
__getattr__, __dir__ = _lazy.lazy_attributes(globals(), names_by_module=_LAZY)

__all__ = ["Layer", "Weight", "Input", "InputLayer", "Dense", "Activation", "Dropout", "Flatten", "Reshape",
           "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Conv1D", "Conv2D", "Conv3D",
           "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
           "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
           "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
           "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
           "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalAvgPool1D", "GlobalAvgPool2D",
           "GlobalAvgPool3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv1D",
           "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
           "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
           "UpSampling1D", "UpSampling2D", "UpSampling3D", "SpatialDropout1D", "SpatialDropout2D",
           "SpatialDropout3D", "BatchNormalization", "LayerNormalization",
           "GroupNormalization"]
