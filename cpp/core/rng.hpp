// Counter-based random numbers (Philox-4x32-10, Salmon et al., SC'11).
//
// A random value is a pure function of (key, counter): masks and shuffles do not depend on
// the number of threads or the order elements are visited, which is what makes training
// bit-reproducible. Keys are (seed, stream); counters are (element, step).
#pragma once
#include <cmath>
#include <cstdint>

namespace axon {

struct Philox {
  uint32_t key[2];

  Philox(uint64_t seed, uint64_t stream) {
    // Mix the stream into the seed so neighbouring streams give unrelated keys.
    uint64_t k = seed ^ (stream * 0x9E3779B97F4A7C15ull);
    k ^= k >> 31;
    k *= 0xBF58476D1CE4E5B9ull;
    k ^= k >> 29;
    key[0] = static_cast<uint32_t>(k);
    key[1] = static_cast<uint32_t>(k >> 32);
  }

  // Four 32-bit random words for the 128-bit counter (c0, c1).
  void block(uint64_t c0, uint64_t c1, uint32_t out[4]) const {
    uint32_t x0 = uint32_t(c0), x1 = uint32_t(c0 >> 32), x2 = uint32_t(c1), x3 = uint32_t(c1 >> 32);
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; ++round) {
      const uint64_t p0 = uint64_t(0xD2511F53u) * x0;
      const uint64_t p1 = uint64_t(0xCD9E8D57u) * x2;
      const uint32_t y0 = uint32_t(p1 >> 32) ^ x1 ^ k0;
      const uint32_t y2 = uint32_t(p0 >> 32) ^ x3 ^ k1;
      x0 = y0;
      x1 = uint32_t(p1);
      x2 = y2;
      x3 = uint32_t(p0);
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    out[0] = x0;
    out[1] = x1;
    out[2] = x2;
    out[3] = x3;
  }

  // Uniform in [0, 1) with 24 bits (exactly representable in float).
  float uniform(uint64_t element, uint64_t step) const {
    uint32_t r[4];
    block(element, step, r);
    return float(r[0] >> 8) * (1.0f / 16777216.0f);
  }

  // Uniform in [0, 1) with 53 bits.
  double uniform_double(uint64_t element, uint64_t step) const {
    uint32_t r[4];
    block(element, step, r);
    const uint64_t bits = (uint64_t(r[0]) << 21) ^ (uint64_t(r[1]) >> 11);
    return double(bits & ((1ull << 53) - 1)) * (1.0 / 9007199254740992.0);
  }

  // Standard normal by Box-Muller on one block.
  double normal(uint64_t element, uint64_t step) const {
    uint32_t r[4];
    block(element, step, r);
    const double u1 = (double(r[0]) + 1.0) * (1.0 / 4294967297.0);  // (0, 1]
    const double u2 = double(r[1]) * (1.0 / 4294967296.0);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  // Uniform integer in [0, n) (n < 2^32; the modulo bias is below 2^-32 * n).
  uint64_t below(uint64_t n, uint64_t element, uint64_t step) const {
    uint32_t r[4];
    block(element, step, r);
    const uint64_t wide = (uint64_t(r[0]) << 32) | r[1];
    return wide % n;
  }
};

}  // namespace axon
