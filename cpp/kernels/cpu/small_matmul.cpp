// Small-inner-size products (see kernels/small_matmul.hpp). The innermost loops run over a
// row of n contiguous values, which the compiler vectorizes; `__restrict` tells it the rows
// do not alias.
#include "kernels/small_matmul.hpp"

#include <algorithm>

namespace axon::kernels {

namespace {
// Columns per register block: one AVX-512 register of floats (two of doubles). A block's
// accumulators stay in registers for the whole inner-size loop.
constexpr int64_t kCols = 16;
// Rows computed together, so kRows independent FMA chains hide the FMA latency.
constexpr int64_t kRows = 4;

// c rows [r, r + R) x columns [j, j + kCols) = a b. Fixed trip counts, so the compiler keeps
// acc in registers and turns each jj loop into one vector operation.
template <class T, int64_t R>
inline void small_k_block(const T* a, int64_t k, const T* b, int64_t n, T* c, int64_t r, int64_t j) {
  T acc[R][kCols] = {};
  for (int64_t t = 0; t < k; ++t) {
    const T* __restrict br = b + t * n + j;
    for (int64_t i = 0; i < R; ++i) {
      const T v = a[(r + i) * k + t];
      for (int64_t jj = 0; jj < kCols; ++jj) acc[i][jj] += v * br[jj];
    }
  }
  for (int64_t i = 0; i < R; ++i)
    for (int64_t jj = 0; jj < kCols; ++jj) c[(r + i) * n + j + jj] = acc[i][jj];
}

// The columns past the last full block, one row at a time.
template <class T>
inline void small_k_tail(const T* a, int64_t m, int64_t k, const T* b, int64_t n, T* c, int64_t j) {
  for (int64_t r = 0; r < m; ++r)
    for (int64_t jj = j; jj < n; ++jj) {
      T sum = T(0);
      for (int64_t t = 0; t < k; ++t) sum += a[r * k + t] * b[t * n + jj];
      c[r * n + jj] = sum;
    }
}
}  // namespace

template <class T>
void small_k_matmul(const T* a, int64_t m, int64_t k, const T* b, int64_t n, T* c) {
  int64_t j = 0;
  for (; j + kCols <= n; j += kCols) {
    int64_t r = 0;
    for (; r + kRows <= m; r += kRows) small_k_block<T, kRows>(a, k, b, n, c, r, j);
    for (; r < m; ++r) small_k_block<T, 1>(a, k, b, n, c, r, j);
  }
  if (j < n) small_k_tail(a, m, k, b, n, c, j);
}

template <class T>
void small_k_matmul_tn_accumulate(const T* a, int64_t m, int64_t k, const T* d, int64_t n, T* c) {
  // c(t, j-block) in registers over all m rows; kRows partial sums hide the FMA latency and
  // are added in a fixed order at the end.
  for (int64_t t = 0; t < k; ++t) {
    for (int64_t j = 0; j < n; j += kCols) {
      const int64_t width = std::min(kCols, n - j);
      T acc[kRows][kCols] = {};
      int64_t r = 0;
      for (; r + kRows <= m; r += kRows)
        for (int64_t i = 0; i < kRows; ++i) {
          const T v = a[(r + i) * k + t];
          const T* dr = d + (r + i) * n + j;
          for (int64_t jj = 0; jj < width; ++jj) acc[i][jj] += v * dr[jj];
        }
      for (; r < m; ++r) {
        const T v = a[r * k + t];
        const T* dr = d + r * n + j;
        for (int64_t jj = 0; jj < width; ++jj) acc[0][jj] += v * dr[jj];
      }
      T* cr = c + t * n + j;
      for (int64_t jj = 0; jj < width; ++jj) cr[jj] += ((acc[0][jj] + acc[1][jj]) + (acc[2][jj] + acc[3][jj]));
    }
  }
}

template <class T>
void small_k_matmul_nt(const T* d, int64_t m, int64_t n, const T* b, int64_t k, T* c) {
  for (int64_t r = 0; r < m; ++r) {
    const T* __restrict dr = d + r * n;
    for (int64_t t = 0; t < k; ++t) {
      const T* __restrict br = b + t * n;
      T sum = T(0);
#pragma omp simd reduction(+ : sum)
      for (int64_t j = 0; j < n; ++j) sum += dr[j] * br[j];
      c[r * k + t] = sum;
    }
  }
}

#define AXON_INSTANTIATE(T)                                                                 \
  template void small_k_matmul<T>(const T*, int64_t, int64_t, const T*, int64_t, T*);      \
  template void small_k_matmul_tn_accumulate<T>(const T*, int64_t, int64_t, const T*, int64_t, T*); \
  template void small_k_matmul_nt<T>(const T*, int64_t, int64_t, const T*, int64_t, T*);
AXON_INSTANTIATE(float)
AXON_INSTANTIATE(double)
#undef AXON_INSTANTIATE

}  // namespace axon::kernels
