// The engine's matrix products: register-tiled GEMMs in which every element of C is one
// chain of fused multiply-adds over k in order, c = fma(a(i, p), b(p, j), c) for
// p = 0, 1, ..., k - 1, starting from 0 (or from C when accumulating). Tile shapes, cache
// blocking, packing and the split among threads only decide which chains run where, never
// the order inside one, so a product's bits depend on neither the thread count, nor the
// instruction set a build or a CPU dispatches to (given FMA), nor the CPU's cache sizes.
// (OpenBLAS and Eigen choose their blocking and kernels by CPU and thread count.)
//
// gemm is the general entry (kernels::matmul calls it); gemm_tn_accumulate and gemm_nn are
// single-threaded forms for a convolution's per-chunk products, reading A and B in place.
#pragma once
#include <cstdint>

namespace axon::kernels {

// C (m x n, row stride ldc) = (accumulate ? C : 0) + op(A) op(B), op(A) = A^T (A: k x m)
// when transpose_a else A (m x k), op(B) = B^T (B: n x k) when transpose_b else B (k x n).
// Multithreaded on large products (not when called inside a parallel region).
template <class T>
void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
          int64_t ldb, T* c, int64_t ldc, bool accumulate);

// C (m x n, row stride ldc) += A^T B, for A (k x m, row stride lda) and B (k x n, ldb).
// Returns false, doing nothing, when n is not a multiple of the 64-byte vector's lanes.
template <class T>
bool gemm_tn_accumulate(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                        int64_t ldc);

// C (m x n, row stride ldc) = A B, for A (m x k, row stride lda) and B (k x n, ldb).
// Returns false, doing nothing, when n is not a multiple of the 64-byte vector's lanes.
template <class T>
bool gemm_nn(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c, int64_t ldc);

}  // namespace axon::kernels
