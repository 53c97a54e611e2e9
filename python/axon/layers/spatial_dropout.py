"""SpatialDropout1D/2D/3D (Keras 3): dropout of whole feature maps."""

from axon.layers._window_args import normalize_data_format
from axon.layers.base import Layer
from axon.utils.rng_utils import resolve_seed


class _SpatialDropout(Layer):
    """In training, zeroes each channel of each sample with probability `rate` (at every
    spatial position together) and scales the kept ones by 1/(1-rate); identity otherwise.
    The engine draws the mask from (seed, step, sample, channel)."""

    rank = None

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        where = self._where()
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(f"{where}: rate must be a number in [0, 1), got {rate!r}")
        self.rate = float(rate)
        self.data_format = normalize_data_format(data_format, where)
        self.seed = seed
        try:
            self._seed = resolve_seed(seed)  # drawn now, as Keras' SeedGenerator is
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None

    def _add_to(self, core, input_node):
        return core.add_spatial_dropout(self.name, self.rank, self.rate, self._seed, self.data_format, input_node)

    def get_config(self):
        # Keras' config has no 'trainable' (the constructor does not take it).
        config = super().get_config()
        config.pop("trainable", None)
        config.update(rate=self.rate, seed=self.seed, data_format=self.data_format)
        return config


class SpatialDropout1D(_SpatialDropout):
    """Input (batch, steps, channels); Keras' SpatialDropout1D has no data_format."""

    rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, "channels_last", seed=seed, name=name, dtype=dtype, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]
        return config


class SpatialDropout2D(_SpatialDropout):
    rank = 2

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, data_format, seed=seed, name=name, dtype=dtype, **kwargs)


class SpatialDropout3D(_SpatialDropout):
    rank = 3

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, data_format, seed=seed, name=name, dtype=dtype, **kwargs)
