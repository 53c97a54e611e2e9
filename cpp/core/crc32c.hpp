// CRC-32C (Castagnoli), the checksum of the .axon file format. x86's SSE4.2 computes it
// in hardware at several GB/s (zlib's CRC-32 runs at ~1 GB/s, which made checksumming as
// slow as the disk when saving or loading a large model); elsewhere a table does.
#pragma once
#include <cstddef>
#include <cstdint>

namespace axon {

// The CRC of n bytes, continuing from `crc` (the CRC of the bytes before them; 0 to start).
uint32_t crc32c(const void* data, size_t n, uint32_t crc = 0);

}  // namespace axon
