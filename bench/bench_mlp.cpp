// bench_mlp: training throughput of the MNIST MLP 784-128(relu)-10(softmax) with Adam and
// categorical cross-entropy, on the engine alone (no Python), at several batch sizes.
//
//   bench_mlp [--threads N] [--batch-sizes 32,128,1024] [--repeats 5] [--samples 60000]
//             [--accuracy] [--flatten] [--ftz] [--profile] [--mnist DIR]
//
// Each repeat is one Model::fit_epoch over a synthetic dataset (fixed seed), or MNIST's
// training set with --mnist DIR (the uncompressed IDX files: gunzip them first), of whole
// batches; the step time is the epoch time divided by its steps, and the table shows the
// median (and min) over repeats. --profile adds, per batch size, a breakdown of one training
// step rebuilt from the model's public pieces (gather, forward, loss, backward, optimizer)
// and the time of every kernel the step calls, measured alone on the step's exact shapes.
//
// FLOPs executed per sample (every GFLOP/s figure here): forward 2*(784*128 + 128*10);
// backward the weight gradients of both layers, 2*(784*128 + 128*10), plus the input gradient
// of the second layer, 2*128*10 (nobody needs the first layer's input gradient, so the engine
// skips it; with --flatten the first layer is the Flatten and the Dense after it computes
// one: see --profile). Model-FLOP utilisation counts 3x the forward instead (bench/compare.py).
#include <omp.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/check.hpp"
#include "kernels/kernels.hpp"
#include "layers/dense.hpp"
#include "layers/simple.hpp"
#include "losses/loss.hpp"
#include "metrics/metric.hpp"
#include "optimizers/optimizer.hpp"
#include "train/model.hpp"

namespace {

using axon::Mat;
using Clock = std::chrono::steady_clock;

constexpr int64_t kIn = 784, kHidden = 128, kOut = 10;

struct Options {
  int threads = 0;  // 0: leave OpenMP's default
  std::vector<int64_t> batches{32, 128, 1024};
  int repeats = 5;
  int64_t samples = 60000;
  bool accuracy = false;  // compile with metrics=["accuracy"]
  bool flatten = false;   // start with a Flatten (Reshape) node, as Keras' MNIST example does
  bool profile = false;
  bool ftz = false;  // flush denormals on every OpenMP thread for --profile too (fit_epoch always does)
  std::string mnist;  // directory with the uncompressed MNIST training IDX files; empty: synthetic
};

axon::MetricConfig accuracy_config() {
  axon::MetricConfig c;
  c.kind = "categorical_accuracy";
  c.name = "accuracy";
  return c;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double forward_flops_per_sample() { return 2.0 * double(kIn * kHidden + kHidden * kOut); }
double backward_flops_per_sample() {
  return 2.0 * double(kIn * kHidden + kHidden * kOut) + 2.0 * double(kHidden * kOut);
}
double flops_per_sample() { return forward_flops_per_sample() + backward_flops_per_sample(); }

std::vector<int64_t> parse_list(const std::string& s) {
  std::vector<int64_t> out;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t comma = s.find(',', pos);
    const std::string item = s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    const long long v = std::atoll(item.c_str());
    AXON_CHECK(v > 0, "--batch-sizes: expected positive integers, got '", s, "'");
    out.push_back(int64_t(v));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      AXON_CHECK(i + 1 < argc, a, ": expected a value");
      return argv[++i];
    };
    if (a == "--threads") o.threads = std::atoi(value().c_str());
    else if (a == "--batch-sizes") o.batches = parse_list(value());
    else if (a == "--repeats") o.repeats = std::atoi(value().c_str());
    else if (a == "--samples") o.samples = std::atoll(value().c_str());
    else if (a == "--accuracy") o.accuracy = true;
    else if (a == "--flatten") o.flatten = true;
    else if (a == "--profile") o.profile = true;
    else if (a == "--ftz") o.ftz = true;
    else if (a == "--mnist") o.mnist = value();
    else if (a == "-h" || a == "--help") {
      std::printf("usage: bench_mlp [--threads N] [--batch-sizes 32,128,1024] [--repeats 5] [--samples 60000]\n"
                  "                 [--accuracy] [--flatten] [--ftz] [--profile] [--mnist DIR]\n");
      std::exit(0);
    } else {
      axon::fail("unknown argument '", a, "' (see --help)");
    }
  }
  AXON_CHECK(o.threads >= 0, "--threads: expected a positive count");
  AXON_CHECK(o.repeats > 0, "--repeats: expected a positive count");
  AXON_CHECK(o.samples > 0, "--samples: expected a positive count");
  return o;
}

// x ~ U[0, 1) (the range of MNIST scaled by 1/255), one-hot labels drawn uniformly.
struct Dataset {
  std::vector<float> x, y;
  int64_t n = 0;
};

Dataset synthetic(int64_t n, uint32_t seed) {
  Dataset d;
  d.n = n;
  d.x.resize(size_t(n * kIn));
  d.y.assign(size_t(n * kOut), 0.0f);
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
  std::uniform_int_distribution<int> label(0, int(kOut) - 1);
  for (float& v : d.x) v = pixel(gen);
  for (int64_t i = 0; i < n; ++i) d.y[size_t(i * kOut + label(gen))] = 1.0f;
  return d;
}

// Reads a whole file; checks the IDX magic number (big-endian) at its start.
std::vector<unsigned char> read_idx(const std::string& path, uint32_t magic, size_t header) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  AXON_CHECK(f != nullptr, "--mnist: cannot open ", path, " (expected the uncompressed IDX file)");
  std::vector<unsigned char> bytes;
  unsigned char buf[1 << 16];
  for (size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.insert(bytes.end(), buf, buf + got);
  std::fclose(f);
  AXON_CHECK(bytes.size() >= header, "--mnist: ", path, " is truncated");
  const uint32_t found = uint32_t(bytes[0]) << 24 | uint32_t(bytes[1]) << 16 | uint32_t(bytes[2]) << 8 | bytes[3];
  AXON_CHECK(found == magic, "--mnist: ", path, " is not an IDX file of the expected kind");
  return bytes;
}

// MNIST's 60,000 training images scaled to [0, 1] and their one-hot labels.
Dataset mnist(const std::string& dir, int64_t limit) {
  const auto images = read_idx(dir + "/train-images-idx3-ubyte", 0x803, 16);
  const auto labels = read_idx(dir + "/train-labels-idx1-ubyte", 0x801, 8);
  const int64_t n = std::min<int64_t>({int64_t(labels.size() - 8), int64_t((images.size() - 16) / kIn), limit});
  Dataset d;
  d.n = n;
  d.x.resize(size_t(n * kIn));
  d.y.assign(size_t(n * kOut), 0.0f);
  for (size_t i = 0; i < d.x.size(); ++i) d.x[i] = float(images[16 + i]) / 255.0f;
  for (int64_t i = 0; i < n; ++i) d.y[size_t(i * kOut + labels[size_t(8 + i)] % kOut)] = 1.0f;
  return d;
}

std::unique_ptr<axon::Model<float>> make_mlp(const Options& o) {
  auto m = std::make_unique<axon::Model<float>>(1234);
  int node = axon::Graph<float>::kInput;
  if (o.flatten)
    node = m->graph().add(std::make_unique<axon::Reshape<float>>("flatten", axon::Shape{kIn}, "Flatten"), node);
  axon::DenseConfig hidden;
  hidden.units = kHidden;
  hidden.activation = axon::parse_activation("relu", "bench");
  hidden.kernel_initializer.seed = 1;
  axon::DenseConfig out;
  out.units = kOut;
  out.activation = axon::parse_activation("softmax", "bench");
  out.kernel_initializer.seed = 2;
  node = m->graph().add(std::make_unique<axon::Dense<float>>("dense", hidden), node);
  m->graph().add(std::make_unique<axon::Dense<float>>("dense_1", out), node);
  m->build({kIn});
  std::vector<std::unique_ptr<axon::Metric<float>>> metrics;
  if (o.accuracy) metrics.push_back(axon::make_metric<float>(accuracy_config()));
  m->compile(axon::make_loss<float>("categorical_crossentropy", false), axon::make_optimizer<float>("adam", {}),
             std::move(metrics));
  AXON_CHECK(m->fused_loss(), "bench_mlp: expected the softmax to be fused into the loss");
  return m;
}

struct Result {
  int64_t batch = 0, steps = 0;
  double step_median_s = 0, step_min_s = 0;
};

Result time_fit(const Options& o, const Dataset& full, int64_t batch) {
  // Whole batches only, so every step has the same shape (no resize at the epoch's end).
  const int64_t steps = std::max<int64_t>(1, full.n / batch);
  const int64_t n = std::min(full.n, steps * batch);
  const axon::DataView<float> data{full.x.data(), full.y.data(), n, kIn, kOut};
  auto model = make_mlp(o);
  model->fit_epoch(data, batch, true, 0, 0, -1, {});  // warm-up: sizes buffers, faults pages
  std::vector<double> per_step;
  for (int r = 0; r < o.repeats; ++r) {
    const auto t0 = Clock::now();
    model->fit_epoch(data, batch, true, r + 1, 0, -1, {});
    per_step.push_back(seconds_since(t0) / double(steps));
  }
  return {batch, steps, median(per_step), *std::min_element(per_step.begin(), per_step.end())};
}

// Median time per call (seconds) over 7 chunks of calls, each chunk lasting about 30 ms.
double time_call(const std::function<void()>& f) {
  for (int i = 0; i < 3; ++i) f();
  const auto t0 = Clock::now();
  f();
  const double once = std::max(seconds_since(t0), 1e-7);
  const int64_t calls = std::max<int64_t>(1, int64_t(0.03 / once));
  std::vector<double> chunks;
  for (int c = 0; c < 7; ++c) {
    const auto t1 = Clock::now();
    for (int64_t i = 0; i < calls; ++i) f();
    chunks.push_back(seconds_since(t1) / double(calls));
  }
  return median(chunks);
}

void print_row(const char* what, double seconds, double flops, double step_s) {
  if (flops > 0)
    std::printf("| %-40s | %9.1f | %5.1f%% | %7.1f |\n", what, seconds * 1e6, 100.0 * seconds / step_s,
                flops / seconds * 1e-9);
  else
    std::printf("| %-40s | %9.1f | %5.1f%% | %7s |\n", what, seconds * 1e6, 100.0 * seconds / step_s, "");
}

// One training step rebuilt from the model's public pieces, in the order Model::train_step
// runs them, with a clock around each phase.
void profile_phases(const Options& o, const Dataset& full, int64_t batch, double step_s) {
  auto model = make_mlp(o);
  axon::Graph<float>& graph = model->graph();
  axon::Arena<float>& arena = model->arena();
  auto loss = axon::make_loss<float>("categorical_crossentropy", false);
  std::unique_ptr<axon::Metric<float>> accuracy;
  if (o.accuracy) accuracy = axon::make_metric<float>(accuracy_config());
  const int last = graph.size() - 1;
  const int64_t steps = std::max<int64_t>(1, full.n / batch);
  std::vector<int64_t> order(size_t(steps * batch));
  std::mt19937 gen(7);
  for (auto& i : order) i = int64_t(gen() % uint32_t(full.n));
  Mat<float> xb(batch, kIn), yb(batch, kOut), dout;
  const char* names[] = {"gather batch (x, y)", "forward (all layers)", "zero grads",
                         "loss + dL/dz (fused softmax CE)", "metrics (accuracy)", "backward (all layers)",
                         "optimizer step (Adam)"};
  constexpr int kPhases = 7;
  std::vector<std::vector<double>> t(kPhases);
  const int64_t total = std::max<int64_t>(steps, std::min<int64_t>(3 * steps, 3000));
  for (int64_t s = -5; s < total; ++s) {  // five warm-up steps
    const int64_t* idx = order.data() + ((s + 5) % steps) * batch;
    const axon::Context ctx{true, uint64_t(s + 5)};
    double p[kPhases];
    auto t0 = Clock::now();
    auto lap = [&](int i) {
      const auto now = Clock::now();
      p[i] = std::chrono::duration<double>(now - t0).count();
      t0 = now;
    };
    axon::kernels::gather_rows<float>(full.x.data(), kIn, idx, batch, xb.data());
    axon::kernels::gather_rows<float>(full.y.data(), kOut, idx, batch, yb.data());
    lap(0);
    const Mat<float>& out = graph.forward(ctx, xb);
    lap(1);
    arena.zero_grads();
    lap(2);
    loss->compute_fused(*graph.layer(last).preactivation(), yb, kOut, &dout);
    arena.apply_regularization();
    lap(3);
    if (accuracy) accuracy->update(out, yb, kOut, nullptr);
    lap(4);
    graph.backward(ctx, dout, true);
    lap(5);
    model->optimizer().step(arena, s + 5);
    lap(6);
    if (s >= 0)
      for (int i = 0; i < kPhases; ++i) t[size_t(i)].push_back(p[i]);
  }
  std::printf("\nbatch %lld: phases of one step (median of %lld steps; fit_epoch step = %.1f us)\n\n",
              static_cast<long long>(batch), static_cast<long long>(total), step_s * 1e6);
  std::printf("| %-40s | %9s | %6s | %7s |\n", "phase", "us", "% step", "GFLOP/s");
  std::printf("|%s|%s|%s|%s|\n", std::string(42, '-').c_str(), std::string(11, '-').c_str(),
              std::string(8, '-').c_str(), std::string(9, '-').c_str());
  double sum = 0;
  for (int i = 0; i < kPhases; ++i) {
    if (i == 4 && !accuracy) continue;
    const double m = median(t[size_t(i)]);
    sum += m;
    const double f = i == 1 ? forward_flops_per_sample() * double(batch)
                   : i == 5 ? backward_flops_per_sample() * double(batch) : 0.0;
    print_row(names[i], m, f, step_s);
  }
  print_row("sum of phase medians", sum, flops_per_sample() * double(batch), step_s);
}

// Every kernel of the step, alone, on the step's shapes (hot caches: a lower bound).
void profile_kernels(const Dataset& full, int64_t batch, double step_s) {
  namespace k = axon::kernels;
  using CMap = axon::ConstMatMap<float>;
  using MMap = axon::MatMap<float>;
  const int64_t n = batch;
  Mat<float> x = Mat<float>::Random(n, kIn).cwiseAbs(), w1 = Mat<float>::Random(kIn, kHidden) * 0.05f;
  Mat<float> w2 = Mat<float>::Random(kHidden, kOut) * 0.1f, h(n, kHidden), z2(n, kOut), y2(n, kOut);
  Mat<float> dz2 = Mat<float>::Random(n, kOut) * 1e-3f, dh(n, kHidden), dx(n, kIn);
  Mat<float> gw1 = Mat<float>::Zero(kIn, kHidden), gw2 = Mat<float>::Zero(kHidden, kOut);
  std::vector<float> b1(size_t(kHidden), 0.01f), b2(size_t(kOut), 0.0f);
  std::vector<float> gb1(static_cast<size_t>(kHidden)), gb2(static_cast<size_t>(kOut));
  const size_t params = size_t(kIn * kHidden + kHidden + kHidden * kOut + kOut);
  // A bare arena with the model's parameter count, for the optimizer alone.
  axon::Arena<float> arena;
  arena.declare({"kernel", {int64_t(params)}, {"zeros"}, {}, true});
  arena.finalize();
  auto adam = axon::make_optimizer<float>("adam", {});
  adam->attach(arena);
  std::vector<int64_t> idx(static_cast<size_t>(n));
  std::mt19937 gen(11);
  for (auto& i : idx) i = int64_t(gen() % uint32_t(full.n));
  Mat<float> xb(n, kIn), yb(n, kOut);
  struct Row {
    const char* name;
    double flops;
    std::function<void()> f;
  };
  const double nd = double(n);
  int64_t it = 0;
  // Views with the step's shapes. x: (N, 784), W1: (784, 128), h: (N, 128), W2: (128, 10), z2: (N, 10)
  const CMap xc(x.data(), n, kIn), w1c(w1.data(), kIn, kHidden), hc(h.data(), n, kHidden);
  const CMap w2c(w2.data(), kHidden, kOut), dz2c(dz2.data(), n, kOut), dhc(dh.data(), n, kHidden);
  const MMap hm(h.data(), n, kHidden), z2m(z2.data(), n, kOut), dhm(dh.data(), n, kHidden), dxm(dx.data(), n, kIn);
  const MMap gw1m(gw1.data(), kIn, kHidden), gw2m(gw2.data(), kHidden, kOut);
  const auto relu = axon::parse_activation("relu", "bench"), softmax = axon::parse_activation("softmax", "bench");
  std::vector<Row> rows = {
      {"gather_rows x (N,784) + y (N,10)", 0,
       [&] {
         k::gather_rows<float>(full.x.data(), kIn, idx.data(), n, xb.data());
         k::gather_rows<float>(full.y.data(), kOut, idx.data(), n, yb.data());
       }},
      {"fwd1 matmul x(N,784) W1(784,128)", 2 * nd * kIn * kHidden,
       [&] { k::matmul<float>(xc, false, w1c, false, hm); }},
      {"fwd1 bias + relu (N,128)", 0,
       [&] {
         k::add_row_vector<float>(hm, b1.data());
         k::activation_forward<float>(relu, h.data(), h.data(), h.size(), {kHidden, 1});
       }},
      {"fwd2 matmul h(N,128) W2(128,10)", 2 * nd * kHidden * kOut,
       [&] { k::matmul<float>(hc, false, w2c, false, z2m); }},
      {"fwd2 bias + copy z + softmax (N,10)", 0,
       [&] {
         k::add_row_vector<float>(z2m, b2.data());
         y2 = z2;
         k::activation_forward<float>(softmax, z2.data(), y2.data(), y2.size(), {kOut, 1});
       }},
      {"bwd2 dW2 += h^T dz2 (128,10)", 2 * nd * kHidden * kOut,
       [&] { k::matmul<float>(hc, true, dz2c, false, gw2m, 1.0f, 1.0f); }},
      {"bwd2 db2 (column sums)", 0, [&] { k::column_sums_accumulate<float>(dz2c, gb2.data()); }},
      {"bwd2 dh = dz2 W2^T (N,128)", 2 * nd * kHidden * kOut, [&] { k::matmul<float>(dz2c, false, w2c, true, dhm); }},
      {"bwd1 relu backward (N,128)", 0,
       [&] { k::activation_backward<float>(relu, nullptr, h.data(), dh.data(), dh.data(), dh.size(), {kHidden, 1}); }},
      {"bwd1 dW1 += x^T dz1 (784,128)", 2 * nd * kIn * kHidden,
       [&] { k::matmul<float>(xc, true, dhc, false, gw1m, 1.0f, 1.0f); }},
      {"bwd1 db1 (column sums)", 0, [&] { k::column_sums_accumulate<float>(dhc, gb1.data()); }},
      {"(flatten only) dx1 = dz1 W1^T (N,784)", 2 * nd * kIn * kHidden,
       [&] { k::matmul<float>(dhc, false, w1c, true, dxm); }},
      {"zero grads (101,770 floats)", 0, [&] { arena.zero_grads(); }},
      {"Adam step (101,770 params)", 0, [&] { adam->step(arena, it++); }},
  };
  std::printf("\nbatch %lld: each kernel alone, same shapes (median per call)\n\n", static_cast<long long>(batch));
  std::printf("| %-40s | %9s | %6s | %7s |\n", "kernel", "us", "% step", "GFLOP/s");
  std::printf("|%s|%s|%s|%s|\n", std::string(42, '-').c_str(), std::string(11, '-').c_str(),
              std::string(8, '-').c_str(), std::string(9, '-').c_str());
  double sum = 0;
  for (const Row& r : rows) {
    const double s = time_call(r.f);
    if (std::strncmp(r.name, "(flatten", 8) != 0) sum += s;
    print_row(r.name, s, r.flops, step_s);
  }
  print_row("sum (without the flatten-only row)", sum, flops_per_sample() * nd, step_s);
}

// A large square GEMM through the same kernel: the engine's own ceiling on this machine.
void gemm_ceiling() {
  const int64_t s = 2048;
  Mat<float> a = Mat<float>::Random(s, s), b = Mat<float>::Random(s, s), c(s, s);
  using CMap = axon::ConstMatMap<float>;
  std::vector<double> t;
  for (int r = 0; r < 4; ++r) {
    const auto t0 = Clock::now();
    axon::kernels::matmul<float>(CMap(a.data(), s, s), false, CMap(b.data(), s, s), false,
                                 axon::MatMap<float>(c.data(), s, s));
    if (r > 0) t.push_back(seconds_since(t0));
  }
  std::printf("\nEigen GEMM 2048x2048x2048 via kernels::matmul: %.1f GFLOP/s\n",
              2.0 * double(s * s * s) / median(t) * 1e-9);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse_args(argc, argv);
    if (o.threads > 0) {
      omp_set_num_threads(o.threads);
      Eigen::setNbThreads(o.threads);
    }
    if (o.ftz) {
      // fit_epoch flushes denormals itself; this also covers the --profile pieces, which
      // call layers directly.
#if defined(__SSE__)
#pragma omp parallel
      _mm_setcsr(_mm_getcsr() | 0x8040);
#else
      axon::fail("--ftz: only implemented for x86 (MXCSR)");
#endif
    }
    const int64_t max_batch = *std::max_element(o.batches.begin(), o.batches.end());
    const Dataset data = o.mnist.empty() ? synthetic(std::max(o.samples, max_batch), 42) : mnist(o.mnist, o.samples);
    AXON_CHECK(data.n >= max_batch, "bench_mlp: ", data.n, " samples cannot fill a batch of ", max_batch);
    std::printf("bench_mlp: MNIST MLP %s784-128(relu)-10(softmax), Adam, categorical cross-entropy%s%s\n",
                o.flatten ? "Flatten-" : "", o.accuracy ? ", accuracy metric" : "",
                o.ftz ? ", denormals flushed (FTZ+DAZ)" : "");
    std::printf("threads: OpenMP %d, Eigen %d; data: %lld %s; repeats: %d; Eigen SIMD: %s\n",
                omp_get_max_threads(), Eigen::nbThreads(), static_cast<long long>(data.n),
                o.mnist.empty() ? "synthetic samples (seed 42)" : "MNIST training samples", o.repeats,
                Eigen::SimdInstructionSetsInUse());
    std::printf("FLOPs executed per sample: %.3f MFLOP (forward %.3f + backward %.3f); model FLOPs as MFU counts "
                "them (3x forward): %.3f MFLOP\n\n",
                flops_per_sample() * 1e-6, forward_flops_per_sample() * 1e-6, backward_flops_per_sample() * 1e-6,
                3 * forward_flops_per_sample() * 1e-6);
    std::vector<Result> results;
    for (int64_t b : o.batches) results.push_back(time_fit(o, data, b));
    std::printf("| batch | steps/epoch | step median (us) | step min (us) | samples/s | GFLOP/s executed |\n");
    std::printf("|------:|------------:|-----------------:|--------------:|----------:|-----------------:|\n");
    for (const Result& r : results)
      std::printf("| %5lld | %11lld | %16.1f | %13.1f | %9.0f | %16.1f |\n", static_cast<long long>(r.batch),
                  static_cast<long long>(r.steps), r.step_median_s * 1e6, r.step_min_s * 1e6,
                  double(r.batch) / r.step_median_s, flops_per_sample() * double(r.batch) / r.step_median_s * 1e-9);
    if (o.profile) {
      for (const Result& r : results) {
        profile_phases(o, data, r.batch, r.step_median_s);
        profile_kernels(data, r.batch, r.step_median_s);
      }
      gemm_ceiling();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_mlp: %s\n", e.what());
    return 1;
  }
  return 0;
}
