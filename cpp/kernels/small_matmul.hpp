// Matrix products whose inner size (or output) is too small for a blocked GEMM to pay off:
// a first convolution layer has K = taps x channels = 9 for a 3x3 kernel over one channel,
// where Eigen's and OpenBLAS's packing and micro-kernels run at a few GFLOP/s. Plain loops
// vectorized over the output's columns keep everything in L1 instead. Single-threaded: the
// caller runs one chunk per thread. All matrices are row-major and contiguous.
#pragma once
#include <cstdint>

namespace axon::kernels {

// c (m x n) = a (m x k) b (k x n)
template <class T>
void small_k_matmul(const T* a, int64_t m, int64_t k, const T* b, int64_t n, T* c);

// c (k x n) += a^T d, for a (m x k) and d (m x n): the weight gradient, summed over m rows.
template <class T>
void small_k_matmul_tn_accumulate(const T* a, int64_t m, int64_t k, const T* d, int64_t n, T* c);

// c (m x k) = d b^T, for d (m x n) and b (k x n): the input gradient.
template <class T>
void small_k_matmul_nt(const T* d, int64_t m, int64_t n, const T* b, int64_t k, T* c);

}  // namespace axon::kernels
