"""The .axon format's checksum: CRC-32C (Castagnoli), in hardware where x86 has it."""

import numpy as np

from axon import _core


def reference_crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def test_standard_check_value():
    assert _core.crc32c(b"123456789") == 0xE3069283


def test_every_length_and_offset_matches_the_bitwise_definition():
    data = np.random.default_rng(0).integers(0, 256, 300, dtype=np.uint8).tobytes()
    for start in range(9):  # unaligned starts exercise the 8-byte loop's tail handling
        for length in (0, 1, 7, 8, 9, 63, 64, 65, 200):
            chunk = data[start:start + length]
            assert _core.crc32c(chunk) == reference_crc32c(chunk), (start, length)


def test_continuing_a_crc_equals_one_pass():
    data = bytes(range(256)) * 5
    assert _core.crc32c(data[700:], _core.crc32c(data[:700])) == _core.crc32c(data)
    big = np.arange(1 << 18, dtype=np.float32)  # large enough to release the GIL
    assert _core.crc32c(memoryview(big).cast("B")) == _core.crc32c(big.tobytes())
