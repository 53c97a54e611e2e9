// GEMM and the bias helpers. Large products go to OpenBLAS when the build found it;
// small ones (batch-1 prediction, tiny layers) stay on Eigen, whose GEMV has no threading
// or dispatch overhead.
#include <algorithm>

#include "kernels/cpu/parallel_ranges.hpp"
#include "kernels/kernels.hpp"
#include "kernels/small_gemm.hpp"

#ifdef AXON_HAVE_CBLAS
#include <cblas.h>
#endif

namespace axon::kernels {

namespace {

constexpr int64_t kFewRows = 4;

#ifdef AXON_HAVE_CBLAS
// OpenBLAS wins (up to 1.5x) on big products; Eigen is as fast or faster on small ones
// and on skinny ones such as a 10-unit output layer (measured with bench_mlp --profile).
constexpr double kBlasMinWork = 64.0 * 64.0 * 64.0;
constexpr int kBlasMinDim = 16;
// ...except a long reduction: a convolution's kernel gradient cols^T dz is (taps*C, F) summed
// over N*positions rows (9 x 32 over 86,528 for the MNIST convnet's first layer), where
// Eigen took 45-4,000 ms and OpenBLAS 9-27 ms (bench_conv, 2-core Xeon).
constexpr int kBlasLongInner = 4096;

inline void blas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha, const float* a,
                      int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void blas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha, const double* a,
                      int lda, const double* b, int ldb, double beta, double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

template <class T>
bool try_blas(ConstMatMap<T> a, bool ta, ConstMatMap<T> b, bool tb, MatMap<T> c, T alpha, T beta) {
  const int m = int(c.rows()), n = int(c.cols()), k = int(ta ? a.rows() : a.cols());
  if (double(m) * double(n) * double(k) < kBlasMinWork) return false;
  if (std::min({m, n, k}) < kBlasMinDim && k < kBlasLongInner) return false;
  blas_gemm(ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a.data(), int(a.cols()),
            b.data(), int(b.cols()), beta, c.data(), int(c.cols()));
  return true;
}
#else
template <class T>
bool try_blas(ConstMatMap<T>, bool, ConstMatMap<T>, bool, MatMap<T>, T, T) {
  return false;
}
#endif

// Products with many rows of C and a short inner dimension (a Dense layer's x W at batch
// >= 256, its x^T dz for 256+ inputs) go to the packed tile kernel, which sums in a fixed
// order, so Dense results do not depend on the thread count. Speed against OpenBLAS on the
// MNIST MLP's shapes (2-core Xeon, medians of 200 alternating calls): x W at batch 1024
// 3-6% faster, x^T dz 5-12% faster at batch 32-128 and 4-7% slower at batch 1024. B is
// packed whole on each call (and the buffer kept), so a long inner dimension (a
// convolution's kernel gradient over every position) or a huge B stays with OpenBLAS.
constexpr int64_t kPackedMinRows = 256;
constexpr int64_t kPackedMaxInner = 4096;
constexpr int64_t kPackedMaxElements = int64_t(1) << 22;  // B up to 16 MB in float32

template <class T>
bool try_packed(ConstMatMap<T> a, bool ta, ConstMatMap<T> b, bool tb, MatMap<T> c, T alpha, T beta) {
  const int64_t k = ta ? a.rows() : a.cols();
  if (tb || alpha != T(1) || (beta != T(0) && beta != T(1))) return false;
  if (c.rows() < kPackedMinRows || k < 1 || k > kPackedMaxInner || k * c.cols() > kPackedMaxElements) return false;
  return gemm_packed<T>(ta, c.rows(), c.cols(), k, a.data(), a.cols(), b.data(), b.cols(), c.data(), c.cols(),
                        beta == T(1));
}

}  // namespace

template <class T>
void matmul(ConstMatMap<T> a, bool ta, ConstMatMap<T> b, bool tb, MatMap<T> c, T alpha, T beta) {
  if (try_packed<T>(a, ta, b, tb, c, alpha, beta)) return;
  if (try_blas<T>(a, ta, b, tb, c, alpha, beta)) return;
  // A few rows (batch-1 prediction): the register-tiled kernel keeps each row's outputs in
  // registers over the whole inner loop, where Eigen's GEMV stores and reloads them.
  if (!ta && !tb && c.rows() <= kFewRows && alpha == T(1) && beta == T(0) &&
      gemm_nn<T>(c.rows(), c.cols(), a.cols(), a.data(), a.cols(), b.data(), b.cols(), c.data(), c.cols()))
    return;
  // Four spelled-out cases so Eigen sees the transposes as expression types (no copies).
  if (beta == T(0)) {
    if (!ta && !tb) c.noalias() = alpha * (a * b);
    else if (ta && !tb) c.noalias() = alpha * (a.transpose() * b);
    else if (!ta && tb) c.noalias() = alpha * (a * b.transpose());
    else c.noalias() = alpha * (a.transpose() * b.transpose());
    return;
  }
  if (beta != T(1)) c *= beta;
  if (!ta && !tb) c.noalias() += alpha * (a * b);
  else if (ta && !tb) c.noalias() += alpha * (a.transpose() * b);
  else if (!ta && tb) c.noalias() += alpha * (a * b.transpose());
  else c.noalias() += alpha * (a.transpose() * b.transpose());
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
