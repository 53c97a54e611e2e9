// bench_optimizer: Adam's step over one float32 arena of N parameters, on the engine alone,
// against a copy of the same arrays, to show the step is a single memory-bound pass.
//
//   bench_optimizer [--threads 2] [--sizes 1000000,4000000,16000000] [--repeats 15] [--steps 10] [--min-time 0.1]
//
// Adam bytes per step: 7 * 4 * N (read p, g, m, v; write p, m, v). Copy bytes: 2 * 4 * N
// (read src, write dst) for a copy of N floats over the same OpenMP threads (np.copyto's
// work, as a loop: see below). GB/s = bytes / time; each figure is the median over
// --repeats timings, each of >= --min-time seconds of back-to-back calls (a multiple of --steps),
// so the timer's cost and resolution are amortized.
// The ratio Adam GB/s / copy GB/s is the share of the machine's streaming bandwidth the step
// reaches; >= 0.5 means the step is one pass, not several.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "optimizers/optimizer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median seconds of one call of f. Each repeat runs f back to back for at least `min_s`
// seconds (and `steps` calls): some VM clocks tick in milliseconds, so short intervals lie.
template <class F>
double time_median(F&& f, int repeats, int steps, double min_s) {
  f();  // warm-up: first touch, thread pool start
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    double elapsed = 0;
    int calls = 0;
    do {
      for (int s = 0; s < steps; ++s) f();
      calls += steps;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < min_s);
    t.push_back(elapsed / calls);
  }
  return median(t);
}

std::vector<size_t> parse_sizes(const char* s) {
  std::vector<size_t> out;
  for (const char* p = s; *p;) {
    out.push_back(std::strtoull(p, const_cast<char**>(&p), 10));
    if (*p == ',') ++p;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2, repeats = 15, steps = 10;
  double min_s = 0.1;
  std::vector<size_t> sizes{1000000, 4000000, 16000000};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (a == "--repeats" && i + 1 < argc) repeats = std::atoi(argv[++i]);
    else if (a == "--steps" && i + 1 < argc) steps = std::atoi(argv[++i]);
    else if (a == "--sizes" && i + 1 < argc) sizes = parse_sizes(argv[++i]);
    else if (a == "--min-time" && i + 1 < argc) min_s = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_optimizer [--threads N] [--sizes a,b] [--repeats R] [--steps S]\n");
      return 2;
    }
  }
  omp_set_num_threads(threads);
  std::printf("threads %d, median of %d repeats of >= %.2f s each\n", threads, repeats, min_s);
  std::printf("%10s %12s %10s %12s %10s %8s\n", "params", "adam_us", "adam_GB/s", "copy_us", "copy_GB/s", "ratio");
  for (size_t n : sizes) {
    axon::Arena<float> arena;
    arena.declare(axon::ParamSpec{"w", {int64_t(n)}, axon::InitSpec{"zeros"}, {}, true});
    arena.finalize();
    std::fill(arena.params(), arena.params() + n, 0.5f);
    // Small gradients keep the values finite and normal over thousands of steps.
    for (size_t i = 0; i < n; ++i) arena.grads()[i] = 1e-3f * float(int(i % 7) - 3);
    auto adam = axon::make_optimizer<float>("adam", {{"learning_rate", 1e-3}});
    adam->attach(arena);
    int64_t it = 0;
    const double adam_s = time_median([&] { adam->step(arena, it++); }, repeats, steps, min_s);

    std::vector<float> src(n, 1.0f), dst(n, 0.0f);
    // The copy is a plain element loop with the step's OpenMP schedule, so it uses the same
    // (cached, write-allocate) stores as the step. glibc's memcpy, which np.copyto calls, switches
    // to non-temporal stores above a fraction of the last-level cache and then measures DRAM
    // while the step may still run in cache: it would flatter the ratio (seen: 3.6 at 1M).
    float* dp = dst.data();
    const float* sp = src.data();
    const double copy_s = time_median(
        [&] {
#pragma omp parallel for simd schedule(static)
          for (size_t i = 0; i < n; ++i) dp[i] = sp[i];
        },
        repeats, steps, min_s);
    const double adam_gbs = 7.0 * 4 * double(n) / adam_s / 1e9, copy_gbs = 2.0 * 4 * double(n) / copy_s / 1e9;
    std::printf("%10zu %12.1f %10.1f %12.1f %10.1f %8.2f\n", n, adam_s * 1e6, adam_gbs, copy_s * 1e6, copy_gbs,
                adam_gbs / copy_gbs);
  }
  return 0;
}
