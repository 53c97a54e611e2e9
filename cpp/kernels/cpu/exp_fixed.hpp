// exp for the softmax pass (kernels::shifted_exp), written out so that every build and CPU
// computes the same bits: Eigen's vectorized exp takes the elements past its last whole
// packet through std::exp instead, so which elements get which formula followed the
// vector width (AVX-512 and AVX2 builds gave different softmax outputs), and it fuses its
// polynomial's steps where the build has FMA. Here every step is a separate IEEE operation
// (the engine builds with -ffp-contract=off), in a loop GCC vectorizes at any width.
#pragma once
#include <cstdint>
#include <cstring>

namespace axon::kernels {

template <class T>
struct ExpConstants;

// exp(x) = 2^k exp(r), k = round(x / ln 2), r = x - k ln 2 (ln 2 in two parts, so r is exact
// enough), |r| <= ln 2 / 2; exp(r) by its Taylor polynomial to the term that drops below
// the type's rounding (r^8 / 8! < 5e-9 for float, r^14 / 14! < 5e-18 for double).
template <>
struct ExpConstants<float> {
  static constexpr float kLog2e = 1.44269504088896341f, kLn2Hi = 0.693145751953125f, kLn2Lo = 1.42860682030941723e-6f;
  static constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: x + kRound - kRound rounds x to an integer
  static constexpr float kMin = -103.972076f;   // below: exp underflows to 0 even as a denormal
  static constexpr int kTerms = 8, kMantissa = 23, kBias = 127;
  using Bits = int32_t;
};
template <>
struct ExpConstants<double> {
  static constexpr double kLog2e = 1.4426950408889634074, kLn2Hi = 0.693147180369123816490,
                          kLn2Lo = 1.90821492927058770002e-10;
  static constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52
  static constexpr double kMin = -745.13321910194111;
  static constexpr int kTerms = 14, kMantissa = 52, kBias = 1023;
  using Bits = int64_t;
};

// The Taylor coefficients 1 / t! for t = 0..N, each rounded once from long double, at
// compile time.
template <class T, int N>
struct InverseFactorials {
  T c[N + 1];
  constexpr InverseFactorials() : c() {
    long double f = 1;
    for (int t = 0; t <= N; ++t) {
      if (t > 1) f *= t;
      c[t] = T(1.0L / f);
    }
  }
};

// 2^k for integer k in [-2 * bias + 2, bias]: the product of two normal powers, so results in
// the denormal range come out right too.
template <class T>
inline T pow2(typename ExpConstants<T>::Bits k) {
  using C = ExpConstants<T>;
  using Bits = typename C::Bits;
  const Bits half = k / 2;
  const Bits a = (half + C::kBias) << C::kMantissa, b = (k - half + C::kBias) << C::kMantissa;
  T fa, fb;
  std::memcpy(&fa, &a, sizeof(fa));
  std::memcpy(&fb, &b, sizeof(fb));
  return fa * fb;
}

// e[i] = exp(e[i]) for e[i] <= 0 (a softmax's shifted logits; NaN stays NaN).
template <class T>
void exp_nonpositive_in_place(T* e, int64_t n) {
  using C = ExpConstants<T>;
  static constexpr InverseFactorials<T, C::kTerms> taylor{};
  for (int64_t i = 0; i < n; ++i) {
    const T x = e[i];
    const T clamped = x < C::kMin ? C::kMin : x;  // NaN compares false and stays NaN
    const T k = (clamped * C::kLog2e + C::kRound) - C::kRound;
    const T r = (clamped - k * C::kLn2Hi) - k * C::kLn2Lo;
    T p = taylor.c[C::kTerms];  // Horner
#pragma GCC unroll 16
    for (int t = C::kTerms - 1; t >= 0; --t) p = p * r + taylor.c[t];
    const T y = p * pow2<T>(typename C::Bits(k));
    e[i] = x < C::kMin ? T(0) : y;
  }
}

}  // namespace axon::kernels
