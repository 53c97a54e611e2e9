// Splitting element-wise work among the OpenMP threads, only where it pays.
#pragma once
#include <omp.h>

#include <cstdint>

namespace axon::kernels {

// Below this many elements a loop stays in the calling thread: a batch of hidden activations
// (1024 x 128 and up) is split, a batch-1 prediction's handful is not.
constexpr int64_t kParallelElements = int64_t(1) << 15;

// body(begin, end) over [0, n): one contiguous range per thread when parallel, else the whole
// range in the calling thread without entering OpenMP at all (even a one-thread team costs a
// call into libgomp, a noticeable part of a ~7 us batch-1 prediction).
template <class Body>
void for_ranges(int64_t n, bool parallel, Body&& body) {
  if (!parallel) {
    body(int64_t(0), n);
    return;
  }
#pragma omp parallel
  {
    const int64_t t = omp_get_thread_num(), threads = omp_get_num_threads();
    body(n * t / threads, n * (t + 1) / threads);
  }
}

}  // namespace axon::kernels
