"""Max/Average pooling (1D/2D/3D) and their global versions (Keras 3 arguments)."""

from axon.layers._window_args import normalize_data_format, normalize_padding, normalize_tuple
from axon.layers.base import Layer


class BasePooling(Layer):
    rank = None
    _max = None

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        where = self._where()
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size", where)  # 2 -> (2, 2) for 2-D
        # Keras: strides default to pool_size.
        self.strides = self.pool_size if strides is None else normalize_tuple(strides, self.rank, "strides", where)
        self.padding = normalize_padding(padding, where)
        self.data_format = normalize_data_format(data_format, where)

    def _add_to(self, core, input_node):
        return core.add_pooling(self.name, self._max, list(self.pool_size), list(self.strides), self.padding,
                                self.data_format, input_node)

    def get_config(self):
        config = super().get_config()
        config.update(pool_size=self.pool_size, padding=self.padding, strides=self.strides,
                      data_format=self.data_format)
        return config


class MaxPooling1D(BasePooling):
    rank, _max = 1, True


class MaxPooling2D(BasePooling):
    rank, _max = 2, True


class MaxPooling3D(BasePooling):
    rank, _max = 3, True


class AveragePooling1D(BasePooling):
    rank, _max = 1, False


class AveragePooling2D(BasePooling):
    rank, _max = 2, False


class AveragePooling3D(BasePooling):
    rank, _max = 3, False


class BaseGlobalPooling(Layer):
    rank = None
    _max = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format, self._where())
        self.keepdims = bool(keepdims)

    def _add_to(self, core, input_node):
        return core.add_global_pooling(self.name, self._max, self.rank, self.data_format, self.keepdims, input_node)

    def get_config(self):
        config = super().get_config()
        config.update(data_format=self.data_format, keepdims=self.keepdims)
        return config


class GlobalMaxPooling1D(BaseGlobalPooling):
    rank, _max = 1, True


class GlobalMaxPooling2D(BaseGlobalPooling):
    rank, _max = 2, True


class GlobalMaxPooling3D(BaseGlobalPooling):
    rank, _max = 3, True


class GlobalAveragePooling1D(BaseGlobalPooling):
    rank, _max = 1, False


class GlobalAveragePooling2D(BaseGlobalPooling):
    rank, _max = 2, False


class GlobalAveragePooling3D(BaseGlobalPooling):
    rank, _max = 3, False


# Keras' aliases.
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (GlobalAveragePooling1D, GlobalAveragePooling2D,
                                                     GlobalAveragePooling3D)
