"""ZeroPadding1D/2D/3D, Cropping1D/2D/3D and UpSampling1D/2D/3D (Keras 3 arguments,
defaults and configs). None has weights; the engine moves the values (layers/reshaping.cpp)."""

from axon.layers._sizes import check_int64, is_int
from axon.layers._window_args import normalize_data_format, normalize_tuple
from axon.layers.base import Layer


def _pair(value, what, where):
    """An int or a (before, after) pair of non-negative ints -> (before, after)."""
    values = (value, value) if is_int(value) else value
    try:
        values = tuple(values)
    except TypeError:
        values = None
    if values is None or len(values) != 2 or not all(is_int(v) and v >= 0 for v in values):
        raise ValueError(f"{where}: {what} must be a non-negative integer or a (before, after) pair of them, "
                         f"got {value!r}")
    return tuple(check_int64(v, what, where) for v in values)


def normalize_pairs(value, rank, what, where):
    """Keras' forms of padding/cropping -> one (before, after) pair per spatial axis.

    rank 1: an int (both sides) or (before, after). rank 2/3: an int (every side), or one
    entry per spatial axis, each an int (both sides) or (before, after)."""
    if rank == 1:
        return (_pair(value, what, where),)
    if is_int(value):
        return (_pair(value, what, where),) * rank
    try:
        entries = tuple(value)
    except TypeError:
        entries = None
    if entries is None or len(entries) != rank:
        raise ValueError(f"{where}: {what} must be an int, a tuple of {rank} ints or a tuple of {rank} "
                         f"(before, after) pairs, got {value!r}")
    return tuple(_pair(e, f"{what} entry {i + 1}", where) for i, e in enumerate(entries))


class _PadCrop(Layer):
    rank = None
    _crop = None
    _has_data_format = True

    def __init__(self, amount, data_format=None, **kwargs):
        super().__init__(**kwargs)
        what = "cropping" if self._crop else "padding"
        self._pairs = normalize_pairs(amount, self.rank, what, self._where())
        self.data_format = normalize_data_format(data_format, self._where())

    def _add_to(self, core, input_node):
        return core.add_pad_crop(self.name, self._crop, [p[0] for p in self._pairs], [p[1] for p in self._pairs],
                                 self.data_format, input_node)

    def _amount(self):  # the config's form: (before, after) in 1-D, a pair per axis otherwise
        return self._pairs[0] if self.rank == 1 else self._pairs

    def get_config(self):
        config = super().get_config()
        config["cropping" if self._crop else "padding"] = self._amount()
        if self._has_data_format:
            config["data_format"] = self.data_format
        return config


class ZeroPadding1D(_PadCrop):
    """Adds zeros before and after the steps axis: padding is an int or (before, after)."""
    rank, _crop = 1, False

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
        self.padding = self._amount()


class ZeroPadding2D(_PadCrop):
    """padding: an int, (symmetric_height, symmetric_width) or ((top, bottom), (left, right))."""
    rank, _crop = 2, False

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
        self.padding = self._amount()


class ZeroPadding3D(_PadCrop):
    rank, _crop = 3, False

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
        self.padding = self._amount()


class Cropping1D(_PadCrop):
    """Removes (before, after) steps; Keras' Cropping1D has no data_format (channels_last)."""
    rank, _crop, _has_data_format = 1, True, False

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, "channels_last", **kwargs)
        self.cropping = self._amount()


class Cropping2D(_PadCrop):
    rank, _crop = 2, True

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
        self.cropping = self._amount()


class Cropping3D(_PadCrop):
    rank, _crop = 3, True

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
        self.cropping = self._amount()


class _UpSampling(Layer):
    rank = None

    def __init__(self, size, data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        where = self._where()
        self._factors = normalize_tuple(size, self.rank, "size", where)
        self.size = self._factors
        self.data_format = normalize_data_format(data_format, where)
        mode = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if mode not in ("nearest", "bilinear"):
            raise ValueError(f"{where}: interpolation must be 'nearest' or 'bilinear' (the ones axon implements), "
                             f"got {interpolation!r}")
        self.interpolation = mode

    def _add_to(self, core, input_node):
        return core.add_upsampling(self.name, list(self._factors), self.data_format, self.interpolation, input_node)

    def get_config(self):
        config = super().get_config()
        config.update(size=self.size, data_format=self.data_format)
        return config


class UpSampling1D(_UpSampling):
    """Repeats each step `size` times; Keras' UpSampling1D has no data_format (channels_last)."""
    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(size, "channels_last", **kwargs)
        self.size = self._factors[0]  # an int in Keras' config

    def get_config(self):
        config = super().get_config()
        del config["data_format"]
        return config


class UpSampling2D(_UpSampling):
    """interpolation='bilinear' computes what Keras' torch backend does:
    F.interpolate(mode='bilinear', align_corners=False)."""
    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format, interpolation, **kwargs)

    def get_config(self):
        config = super().get_config()
        config["interpolation"] = self.interpolation
        return config


class UpSampling3D(_UpSampling):
    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format, **kwargs)
