// 64-byte SIMD vectors through GCC/Clang vector extensions: the kernels that keep a tile of
// accumulators in registers (direct convolution, small GEMMs) spell their vectors with
// these, and the compiler picks the instructions (AVX-512 with -march=native, pairs of
// AVX2 or quads of SSE registers otherwise).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__FMA__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

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

// Up to `count` lanes from p, the rest zero; and the first `count` lanes of v to p (the last,
// partial vector of a row whose length is not a multiple of the lanes). Masked where the
// instruction set has masks: lanes past `count` are never touched, so p + count may end a page.
template <class T>
inline Vec<T> load_partial(const T* p, int64_t count) {
#if defined(__AVX512F__)
  if constexpr (std::is_same_v<T, float>)
    return _mm512_maskz_loadu_ps(__mmask16((1u << count) - 1), p);
  else
    return _mm512_maskz_loadu_pd(__mmask8((1u << count) - 1), p);
#else
  Vec<T> v{};
  std::memcpy(&v, p, size_t(count) * sizeof(T));
  return v;
#endif
}

template <class T>
inline void store_partial(T* p, const Vec<T>& v, int64_t count) {
#if defined(__AVX512F__)
  if constexpr (std::is_same_v<T, float>)
    _mm512_mask_storeu_ps(p, __mmask16((1u << count) - 1), v);
  else
    _mm512_mask_storeu_pd(p, __mmask8((1u << count) - 1), v);
#else
  std::memcpy(p, &v, size_t(count) * sizeof(T));
#endif
}

// a * b + c rounded once, spelled with the instruction itself: the engine builds with
// -ffp-contract=off, so that no compiler or tuning (GCC avoids FMA chains on AMD's Zen, for
// one) decides where products are fused, and results are the same on every CPU with FMA.
// Without FMA (x86-64 before Haswell or Piledriver) the product is rounded before the add.
template <class T>
inline Vec<T> fma(const Vec<T>& a, const Vec<T>& b, const Vec<T>& c) {
#if defined(__AVX512F__)
  if constexpr (std::is_same_v<T, float>)
    return _mm512_fmadd_ps(a, b, c);
  else
    return _mm512_fmadd_pd(a, b, c);
#elif defined(__FMA__)
  // The 64-byte vector is a pair of 32-byte registers here.
  using Half = std::conditional_t<std::is_same_v<T, float>, __m256, __m256d>;
  Half ah[2], bh[2], ch[2];
  std::memcpy(ah, &a, sizeof(a));
  std::memcpy(bh, &b, sizeof(b));
  std::memcpy(ch, &c, sizeof(c));
  for (int h = 0; h < 2; ++h) {
    if constexpr (std::is_same_v<T, float>)
      ch[h] = _mm256_fmadd_ps(ah[h], bh[h], ch[h]);
    else
      ch[h] = _mm256_fmadd_pd(ah[h], bh[h], ch[h]);
  }
  Vec<T> out;
  std::memcpy(&out, ch, sizeof(out));
  return out;
#else
  return a * b + c;
#endif
}

// The scalar form, for the lanes a kernel handles one at a time.
template <class T>
inline T fma(T a, T b, T c) {
#if defined(__FMA__) || defined(__AVX512F__)
  return std::fma(a, b, c);  // one instruction with FMA enabled
#else
  return a * b + c;
#endif
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
