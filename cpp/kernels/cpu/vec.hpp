// 64-byte SIMD vectors through GCC/Clang vector extensions: the kernels that keep a tile of
// accumulators in registers (direct convolution, small GEMMs) spell their vectors with
// these, and the compiler picks the instructions (AVX-512 with -march=native, pairs of
// AVX2 or quads of SSE registers otherwise).
#pragma once
#include <cstdint>
#include <type_traits>

namespace axon::kernels::simd {

constexpr int kVectorBytes = 64;

// The attribute must name a concrete type (GCC ignores it on a template parameter).
template <class T>
struct VectorOf;
template <>
struct VectorOf<float> {
  typedef float type __attribute__((vector_size(kVectorBytes)));
};
template <>
struct VectorOf<double> {
  typedef double type __attribute__((vector_size(kVectorBytes)));
};
template <class T>
using Vec = typename VectorOf<T>::type;

template <class T>
constexpr int64_t kLanes = kVectorBytes / int64_t(sizeof(T));

template <class T>
inline Vec<T> load(const T* p) {
  Vec<T> v;
  __builtin_memcpy(&v, p, sizeof(v));  // an unaligned vector load
  return v;
}

// x in every lane: one broadcast. (x - 0 is x for every x, -0 included, so the compiler
// drops the subtraction; x + 0 would not be an identity for -0 and costs an add.)
template <class T>
inline Vec<T> splat(T x) {
  return x - Vec<T>{};
}

template <class T>
inline void store(T* p, const Vec<T>& v) {
  __builtin_memcpy(p, &v, sizeof(v));
}

// Calls body(std::integral_constant<int, N>()) with N = n clamped to [1, Max]: the tile
// sizes (rows, vectors) the register-blocked kernels are compiled for, picked at run time.
template <int Max, class Body>
inline void with_count(int64_t n, Body&& body) {
  if constexpr (Max > 1) {
    if (n < Max) return with_count<Max - 1>(n, body);
  }
  body(std::integral_constant<int, Max>());
}

}  // namespace axon::kernels::simd
