// Flush denormal floats to zero while the engine trains or predicts, as TensorFlow does.
//
// Why: parameters whose gradient is exactly zero (dead ReLU units, pixels that are never
// lit) have Adam moments that decay into denormals and stay there; every arithmetic op on
// a denormal costs ~100 cycles on x86. Measured on MNIST: a batch-32 step goes from 682 us
// to 302 us after the first epoch.
#pragma once
#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define AXON_HAS_MXCSR 1
#endif
#include <omp.h>

namespace axon {

class FlushDenormals {
 public:
  // all_threads: also set it on every thread of the OpenMP pool (which Eigen and OpenBLAS
  // use); otherwise only on the calling thread (cheap enough for batch-1 prediction).
  explicit FlushDenormals(bool all_threads) : all_threads_(all_threads) {
#ifdef AXON_HAS_MXCSR
    saved_ = _mm_getcsr();
    apply(saved_ | kFtzDaz);
#endif
  }
  ~FlushDenormals() {
#ifdef AXON_HAS_MXCSR
    apply(saved_);
#endif
  }
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;

 private:
#ifdef AXON_HAS_MXCSR
  static constexpr unsigned kFtzDaz = 0x8040;  // flush-to-zero | denormals-are-zero
  void apply(unsigned csr) const {
    if (all_threads_) {
#pragma omp parallel
      _mm_setcsr(csr);
    } else {
      _mm_setcsr(csr);
    }
  }
  unsigned saved_ = 0;
#endif
  bool all_threads_;
};

}  // namespace axon
