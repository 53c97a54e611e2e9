// GEMM and the bias helpers, on Eigen (which threads its GEMM with OpenMP).
#include "kernels/kernels.hpp"

namespace axon::kernels {

template <class T>
void matmul(ConstMatMap<T> a, bool ta, ConstMatMap<T> b, bool tb, MatMap<T> c, T alpha, T beta) {
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
  for (int64_t r = 0; r < rows; ++r) {
    T* row = data + r * cols;
    for (int64_t c = 0; c < cols; ++c) row[c] += bias[c];
  }
}

template <class T>
void column_sums_accumulate(ConstMatMap<T> dz, T* db) {
  const int64_t rows = dz.rows(), cols = dz.cols();
  const T* data = dz.data();
  // Row order is fixed, so the sum is the same whatever the thread count.
  for (int64_t r = 0; r < rows; ++r) {
    const T* row = data + r * cols;
    for (int64_t c = 0; c < cols; ++c) db[c] += row[c];
  }
}

template <class T>
void gather_rows(const T* src, int64_t cols, const int64_t* index, int64_t rows, T* dst) {
#pragma omp parallel for schedule(static) if (rows * cols > (1 << 16))
  for (int64_t r = 0; r < rows; ++r) {
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
