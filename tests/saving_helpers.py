"""Small valid .axon files and a way to rewrite their header with a valid CRC, so tests reach
the checks behind the CRC (what a deliberate attacker, not a flipped bit, would send)."""

import json
import struct

import axon
from axon import layers
from axon.saving import format as fmt
from axon.saving import model_io


def small_model(compiled=True):
    axon.utils.set_random_seed(5)
    model = axon.Sequential([axon.Input((4,)), layers.Dense(3, activation="relu"), layers.Dropout(0.2),
                             layers.Dense(2)])
    if compiled:
        model.compile(optimizer="adam", loss="mse")
        model._compile_core()
    return model


def small_file(compiled=True):
    return model_io.model_to_bytes(small_model(compiled))


def split(data):
    """(header dict, data bytes) of a valid file."""
    _, _, _, length = struct.unpack_from("<8sIIQ", data)
    return json.loads(data[fmt.PREFIX_SIZE:fmt.PREFIX_SIZE + length]), data[fmt.PREFIX_SIZE + length:]


def seal(header, body, version=fmt.FORMAT_VERSION):
    """A file with `header` (any JSON-able value, or raw bytes) and a correct header CRC."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<8sIIQ", fmt.MAGIC, version, fmt.checksum(raw), len(raw)) + raw + body


def reseal(data, mutate):
    """`data` with its header passed through mutate(header) (in place) and resealed."""
    header, body = split(data)
    mutate(header)
    return seal(header, body)


def assert_config_round_trips(layer):
    """layer's config survives JSON and from_config unchanged."""
    config = json.loads(json.dumps(layer.get_config()))
    again = type(layer).from_config(config)
    assert json.loads(json.dumps(again.get_config())) == config
