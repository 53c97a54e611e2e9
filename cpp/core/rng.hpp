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

  // The blocks for counters (c0 + l, c1), l < kLanes, in out[l]: the same words as
  // kLanes calls of block(), computed side by side in 64-bit vector lanes (GCC/Clang vector
  // extensions; compilers do not vectorize the scalar rounds' widening multiplies), so a
  // dropout mask costs about one pass over the data instead of ten.
  static constexpr int kLanes = 16;
  void blocks(uint64_t c0, uint64_t c1, uint32_t out[kLanes][4]) const {
    using u64v = uint64_t __attribute__((vector_size(64)));  // 8 lanes
    constexpr int kVec = 8, kVecs = kLanes / kVec;
    const uint64_t low = 0xFFFFFFFFull;
    u64v x0[kVecs], x1[kVecs], x2[kVecs], x3[kVecs];
    for (int v = 0; v < kVecs; ++v)
      for (int l = 0; l < kVec; ++l) {
        const uint64_t c = c0 + uint64_t(v * kVec + l);
        x0[v][l] = c & low;
        x1[v][l] = c >> 32;
        x2[v][l] = c1 & low;
        x3[v][l] = c1 >> 32;
      }
    uint64_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; ++round) {
      for (int v = 0; v < kVecs; ++v) {
        const u64v p0 = x0[v] * 0xD2511F53ull;  // both factors < 2^32: exact in 64 bits
        const u64v p1 = x2[v] * 0xCD9E8D57ull;
        x0[v] = (p1 >> 32) ^ x1[v] ^ k0;
        x1[v] = p1 & low;
        x2[v] = (p0 >> 32) ^ x3[v] ^ k1;
        x3[v] = p0 & low;
      }
      k0 = (k0 + 0x9E3779B9ull) & low;
      k1 = (k1 + 0xBB67AE85ull) & low;
    }
    for (int v = 0; v < kVecs; ++v)
      for (int l = 0; l < kVec; ++l) {
        out[v * kVec + l][0] = uint32_t(x0[v][l]);
        out[v * kVec + l][1] = uint32_t(x1[v][l]);
        out[v * kVec + l][2] = uint32_t(x2[v][l]);
        out[v * kVec + l][3] = uint32_t(x3[v][l]);
      }
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
