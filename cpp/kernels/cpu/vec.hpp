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

// Calls body(std::integral_constant<int, N>()) for n in 1..4 (4 for anything larger): the
// tile sizes the register-blocked kernels are compiled for.
template <class Body>
inline void with_count_up_to_4(int64_t n, Body&& body) {
  switch (n) {
    case 1: body(std::integral_constant<int, 1>()); break;
    case 2: body(std::integral_constant<int, 2>()); break;
    case 3: body(std::integral_constant<int, 3>()); break;
    default: body(std::integral_constant<int, 4>()); break;
  }
}

}  // namespace axon::kernels::simd
