// The engine's GEMM (kernels::gemm) on the MNIST MLP's products, against OpenBLAS where the
// build found it (CMake: AXON_BUILD_BENCH=ON and libopenblas-dev or libopenblas-openmp-dev).
//
//   ./build/bench/bench_gemm [threads=1]
//
// Each product runs in rounds that alternate the two libraries; the table shows the best
// round of each. With one thread the time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID),
// which a competing process does not inflate; with more, wall time.
#include <omp.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "kernels/small_gemm.hpp"

#ifdef AXON_BENCH_OPENBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
#endif

namespace {

struct Product {
  const char* name;
  bool ta, tb;
  int m, n, k;
};

double seconds(bool thread_time) {
  timespec t;
  clock_gettime(thread_time ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// The forward and backward products of Flatten -> Dense(128) -> Dense(10) at one batch size.
std::vector<Product> mlp_products(int b) {
  return {{"x W (784->128)", false, false, b, 128, 784}, {"x^T dz (784x128)", true, false, 784, 128, b},
          {"x W (128->10)", false, false, b, 10, 128},   {"dz W^T (10->128)", false, true, b, 128, 10},
          {"x^T dz (128x10)", true, false, 128, 10, b},  {"dz W^T (128->128)", false, true, b, 128, 128}};
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  if (threads < 1) {
    std::fprintf(stderr, "bench_gemm: threads must be a positive count, got %s\n", argv[1]);
    return 2;
  }
  omp_set_num_threads(threads);
#ifdef AXON_BENCH_OPENBLAS
  openblas_set_num_threads(threads);
#endif
  const bool thread_time = threads == 1;
  std::printf("%d thread(s), %s time, best of 7 alternating rounds\n", threads, thread_time ? "CPU" : "wall");
  std::printf("%-20s %6s %12s %10s %12s %10s %8s\n", "product", "batch", "axon us", "GFLOP/s", "OpenBLAS us",
              "GFLOP/s", "ratio");
  std::mt19937 gen(1);
  std::normal_distribution<float> normal;
  for (int batch : {1, 32, 128, 1024}) {
    for (const Product& p : mlp_products(batch)) {
      std::vector<float> a(size_t(p.m) * p.k), b(size_t(p.k) * p.n), c(size_t(p.m) * p.n), c_blas(c.size());
      for (float& v : a) v = normal(gen);
      for (float& v : b) v = normal(gen);
      const int lda = p.ta ? p.m : p.k, ldb = p.tb ? p.k : p.n;
      const double flops = 2.0 * p.m * p.n * p.k;
      const int reps = std::clamp(int(2e8 / flops), 5, 20000);
      double best_axon = 1e30, best_blas = 1e30;
      for (int round = 0; round < 7; ++round) {
        double t0 = seconds(thread_time);
        for (int r = 0; r < reps; ++r)
          axon::kernels::gemm<float>(p.ta, p.tb, p.m, p.n, p.k, a.data(), lda, b.data(), ldb, c.data(), p.n, false);
        best_axon = std::min(best_axon, (seconds(thread_time) - t0) / reps);
#ifdef AXON_BENCH_OPENBLAS
        t0 = seconds(thread_time);
        for (int r = 0; r < reps; ++r)
          cblas_sgemm(CblasRowMajor, p.ta ? CblasTrans : CblasNoTrans, p.tb ? CblasTrans : CblasNoTrans, p.m, p.n, p.k,
                      1.f, a.data(), lda, b.data(), ldb, 0.f, c_blas.data(), p.n);
        best_blas = std::min(best_blas, (seconds(thread_time) - t0) / reps);
#endif
      }
#ifdef AXON_BENCH_OPENBLAS
      std::printf("%-20s %6d %12.2f %10.1f %12.2f %10.1f %7.2fx\n", p.name, batch, best_axon * 1e6,
                  flops / best_axon * 1e-9, best_blas * 1e6, flops / best_blas * 1e-9, best_axon / best_blas);
#else
      std::printf("%-20s %6d %12.2f %10.1f %12s %10s %8s\n", p.name, batch, best_axon * 1e6, flops / best_axon * 1e-9,
                  "-", "-", "-");
#endif
    }
  }
  std::printf("ratio: axon's time / OpenBLAS's (below 1: axon faster)\n");
  return 0;
}
