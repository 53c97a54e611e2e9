// GEMM and the bias helpers. Every product runs on the engine's own fixed-order kernels
// (kernels/small_gemm.hpp), whatever its size: a BLAS library picks its kernel and blocking
// by CPU and its split of k by thread count, which changed the bits of a training run.
#include <algorithm>
#include <vector>

#include "kernels/cpu/parallel_ranges.hpp"
#include "kernels/kernels.hpp"
#include "kernels/small_gemm.hpp"

namespace axon::kernels {

template <class T>
void matmul(ConstMatMap<T> a, bool ta, ConstMatMap<T> b, bool tb, MatMap<T> c, T alpha, T beta) {
  const int64_t m = c.rows(), n = c.cols(), k = ta ? a.rows() : a.cols();
  auto product = [&](T* out, int64_t ldc, bool accumulate) {
    gemm<T>(ta, tb, m, n, k, a.data(), a.cols(), b.data(), b.cols(), out, ldc, accumulate);
  };
  if (alpha == T(1) && (beta == T(0) || beta == T(1))) return product(c.data(), c.cols(), beta == T(1));
  // Scaled forms: the product on its own, then combined element by element.
  static thread_local std::vector<T> scratch;
  scratch.resize(size_t(m * n));
  product(scratch.data(), n, false);
  T* out = c.data();
  for (int64_t i = 0; i < m * n; ++i) {
    const T scaled = alpha * scratch[size_t(i)];
    out[i] = beta == T(0) ? scaled : scaled + beta * out[i];
  }
}

template <class T>
void add_row_vector(MatMap<T> y, const T* bias) {
  const int64_t rows = y.rows(), cols = y.cols();
  T* data = y.data();
  for_ranges(rows, rows * cols > kParallelElements, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      T* row = data + r * cols;
      for (int64_t c = 0; c < cols; ++c) row[c] += bias[c];
    }
  });
}

template <class T>
void column_sums_accumulate(ConstMatMap<T> dz, T* db) {
  const int64_t rows = dz.rows(), cols = dz.cols();
  const T* data = dz.data();
  // Row order is fixed, so the sum is the same whatever the thread count. (Splitting the
  // columns among threads took 19-22 us against 8-9 here for 1024 x 128.)
  for (int64_t r = 0; r < rows; ++r) {
    const T* row = data + r * cols;
    for (int64_t c = 0; c < cols; ++c) db[c] += row[c];
  }
}

template <class T>
void gather_rows(const T* src, int64_t cols, const int64_t* index, int64_t rows, T* dst) {
  constexpr int64_t kAhead = 4;  // rows are scattered: ask for later rows' first lines early
#pragma omp parallel for schedule(static) if (rows * cols > (1 << 16))
  for (int64_t r = 0; r < rows; ++r) {
    if (r + kAhead < rows) {
      const char* next = reinterpret_cast<const char*>(src + index[r + kAhead] * cols);
      for (int64_t line = 0; line < 4; ++line) __builtin_prefetch(next + line * 64);
    }
    const T* from = src + index[r] * cols;
    T* to = dst + r * cols;
    for (int64_t c = 0; c < cols; ++c) to[c] = from[c];
  }
}

#define AXON_INSTANTIATE(T)                                                                   \
  template void matmul<T>(ConstMatMap<T>, bool, ConstMatMap<T>, bool, MatMap<T>, T, T);     \
  template void add_row_vector<T>(MatMap<T>, const T*);                                     \
  template void column_sums_accumulate<T>(ConstMatMap<T>, T*);                              \
  template void gather_rows<T>(const T*, int64_t, const int64_t*, int64_t, T*);
AXON_INSTANTIATE(float)
AXON_INSTANTIATE(double)
#undef AXON_INSTANTIATE

}  // namespace axon::kernels
