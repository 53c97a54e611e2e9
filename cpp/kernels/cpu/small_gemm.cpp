// The GEMMs of kernels/small_gemm.hpp: gemm_kernels.inc compiled for each instruction-set
// variant (kernels/cpu/isa.hpp), and the public functions, which call the variant in use.
#include "kernels/small_gemm.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/cpu/isa.hpp"

// Every variant's copy of the kernels.
#define AXON_ISA_FILE "kernels/cpu/gemm_kernels.inc"
#include "kernels/cpu/isa_copies.hpp"

namespace axon::kernels {

template <class T>
void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
          int64_t ldb, T* c, int64_t ldc, bool accumulate) {
  // The calling thread's buffer for packing B: the other threads only read it, and a call
  // from inside a parallel region gets a buffer of its own. It only grows.
  static thread_local std::vector<T> pack;
  if (k > 0 && n > 0) {
    const auto size = size_t(isa_build::pack_size<T>(n, k));  // the same in every variant
    if (pack.size() < size) pack.resize(size);
  }
  AXON_WITH_ISA(gemm<T>(transpose_a, transpose_b, m, n, k, a, lda, b, ldb, c, ldc, accumulate, pack.data()))
}

template <class T>
bool gemm_tn_accumulate(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                        int64_t ldc) {
  AXON_WITH_ISA(gemm_tn_accumulate<T>(m, n, k, a, lda, b, ldb, c, ldc))
}

template <class T>
bool gemm_nn(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c, int64_t ldc) {
  AXON_WITH_ISA(gemm_nn<T>(m, n, k, a, lda, b, ldb, c, ldc))
}

#define AXON_INSTANTIATE(T)                                                                                         \
  template void gemm<T>(bool, bool, int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t, \
                        bool);                                                                                      \
  template bool gemm_tn_accumulate<T>(int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t); \
  template bool gemm_nn<T>(int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t);
AXON_INSTANTIATE(float)
AXON_INSTANTIATE(double)
#undef AXON_INSTANTIATE

}  // namespace axon::kernels
