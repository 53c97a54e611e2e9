// Register-tiled GEMMs for the products a convolution's backward pass makes on one chunk of
// rows: a few hundred rows by a few hundred columns, single-threaded, called thousands of
// times per epoch. OpenBLAS packs both operands on every call and reached 74-84 GFLOP/s on
// one core for the 13x13x32 -> 64 layer's shapes; these read A and B in place and keep a
// 6-row tile of C in vector registers.
//
// gemm_packed is the same tile for whole-batch products (a Dense layer's x W and x^T dz):
// it packs B once and shares C's row tiles among the OpenMP threads. On the MNIST MLP's
// shapes it runs within 10% of OpenBLAS either way (kernels/cpu/matmul.cpp has the figures).
//
// All return false, doing nothing, where they have no tile layout: n not a multiple of the
// 64-byte vector's lanes, or a build without AVX-512 (too few vector registers for the
// tile). Sums run over k in order, so results do not depend on the thread count.
#pragma once
#include <cstdint>

namespace axon::kernels {

// C (m x n, row stride ldc) += A^T B, for A (k x m, row stride lda) and B (k x n, ldb).
template <class T>
bool gemm_tn_accumulate(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                        int64_t ldc);

// C (m x n, row stride ldc) = (accumulate ? C : 0) + op(A) B for op(A) = A^T (A: k x m) or
// A (A: m x k), B (k x n, ldb); multithreaded.
template <class T>
bool gemm_packed(bool transpose_a, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
                 int64_t ldb, T* c, int64_t ldc, bool accumulate);

// C (m x n, row stride ldc) = A B, for A (m x k, row stride lda) and B (k x n, ldb).
template <class T>
bool gemm_nn(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c, int64_t ldc);

}  // namespace axon::kernels
