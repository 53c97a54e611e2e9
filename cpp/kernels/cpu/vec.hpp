// 64-byte SIMD vectors through GCC/Clang vector extensions: the kernels that keep a tile of
// accumulators in registers (direct convolution, small GEMMs) spell their vectors with
// these, and the compiler picks the instructions (AVX-512 zmm registers, pairs of ymm or
// quads of xmm).
//
// No include guard: a kernel file includes this once per instruction-set variant it is
// compiled for (kernels/cpu/isa.hpp), inside that variant's namespace AXON_ISA_NS and with
// AXON_ISA_AVX512 / AXON_ISA_FMA saying what the variant may use.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <immintrin.h>

namespace axon::kernels::AXON_ISA_NS::simd {

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

// std::min for the kernel files, which instantiate no standard-library templates (isa.hpp).
constexpr int64_t lesser(int64_t a, int64_t b) { return a < b ? a : b; }

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
#if AXON_ISA_FMA && !AXON_ISA_AVX512
// AVX2's masks for the two 32-byte halves of a vector: lane i of half h is on when
// h * lanes_per_half + i < count.
template <class T>
inline void half_masks(int64_t count, __m256i mask[2]) {
  if constexpr (std::is_same_v<T, float>) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    mask[0] = _mm256_cmpgt_epi32(_mm256_set1_epi32(int(count)), lane);
    mask[1] = _mm256_cmpgt_epi32(_mm256_set1_epi32(int(count) - 8), lane);
  } else {
    const __m256i lane = _mm256_setr_epi64x(0, 1, 2, 3);
    mask[0] = _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), lane);
    mask[1] = _mm256_cmpgt_epi64(_mm256_set1_epi64x(count - 4), lane);
  }
}
#endif

template <class T>
inline Vec<T> load_partial(const T* p, int64_t count) {
#if AXON_ISA_AVX512
  if constexpr (std::is_same_v<T, float>)
    return _mm512_maskz_loadu_ps(__mmask16((1u << count) - 1), p);
  else
    return _mm512_maskz_loadu_pd(__mmask8((1u << count) - 1), p);
#elif AXON_ISA_FMA
  __m256i mask[2];
  half_masks<T>(count, mask);
  constexpr int64_t half = kLanes<T> / 2;
  Vec<T> v;
  if constexpr (std::is_same_v<T, float>) {
    const __m256 h[2] = {_mm256_maskload_ps(p, mask[0]), _mm256_maskload_ps(p + half, mask[1])};
    std::memcpy(&v, h, sizeof(v));
  } else {
    const __m256d h[2] = {_mm256_maskload_pd(p, mask[0]), _mm256_maskload_pd(p + half, mask[1])};
    std::memcpy(&v, h, sizeof(v));
  }
  return v;
#else
  Vec<T> v{};
  std::memcpy(&v, p, size_t(count) * sizeof(T));
  return v;
#endif
}

template <class T>
inline void store_partial(T* p, const Vec<T>& v, int64_t count) {
#if AXON_ISA_AVX512
  if constexpr (std::is_same_v<T, float>)
    _mm512_mask_storeu_ps(p, __mmask16((1u << count) - 1), v);
  else
    _mm512_mask_storeu_pd(p, __mmask8((1u << count) - 1), v);
#elif AXON_ISA_FMA
  __m256i mask[2];
  half_masks<T>(count, mask);
  constexpr int64_t half = kLanes<T> / 2;
  if constexpr (std::is_same_v<T, float>) {
    __m256 h[2];
    std::memcpy(h, &v, sizeof(v));
    _mm256_maskstore_ps(p, mask[0], h[0]);
    _mm256_maskstore_ps(p + half, mask[1], h[1]);
  } else {
    __m256d h[2];
    std::memcpy(h, &v, sizeof(v));
    _mm256_maskstore_pd(p, mask[0], h[0]);
    _mm256_maskstore_pd(p + half, mask[1], h[1]);
  }
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
#if AXON_ISA_AVX512
  if constexpr (std::is_same_v<T, float>)
    return _mm512_fmadd_ps(a, b, c);
  else
    return _mm512_fmadd_pd(a, b, c);
#elif AXON_ISA_FMA
  // The 64-byte vector is a pair of 32-byte registers here.
  Vec<T> out;
  if constexpr (std::is_same_v<T, float>) {
    __m256 ah[2], bh[2], ch[2];
    std::memcpy(ah, &a, sizeof(a));
    std::memcpy(bh, &b, sizeof(b));
    std::memcpy(ch, &c, sizeof(c));
    for (int h = 0; h < 2; ++h) ch[h] = _mm256_fmadd_ps(ah[h], bh[h], ch[h]);
    std::memcpy(&out, ch, sizeof(out));
  } else {
    __m256d ah[2], bh[2], ch[2];
    std::memcpy(ah, &a, sizeof(a));
    std::memcpy(bh, &b, sizeof(b));
    std::memcpy(ch, &c, sizeof(c));
    for (int h = 0; h < 2; ++h) ch[h] = _mm256_fmadd_pd(ah[h], bh[h], ch[h]);
    std::memcpy(&out, ch, sizeof(out));
  }
  return out;
#else
  return a * b + c;
#endif
}

// The scalar form, for the lanes a kernel handles one at a time.
template <class T>
inline T fma(T a, T b, T c) {
#if AXON_ISA_FMA
  // The builtins expand to the instruction in a function compiled with FMA.
  if constexpr (std::is_same_v<T, float>)
    return __builtin_fmaf(a, b, c);
  else
    return __builtin_fma(a, b, c);
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

}  // namespace axon::kernels::AXON_ISA_NS::simd
