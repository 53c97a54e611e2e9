// bench_conv: forward and backward time of each convolution in Keras' simple MNIST convnet
// (Conv2D(32, 3, relu) on 28x28x1, Conv2D(64, 3, relu) on 13x13x32), after checking the
// layer's output, input gradient and kernel gradient against a naive direct convolution.
//
//   bench_conv [--threads N] [--batch 128] [--repeats 20]
//
// FLOPs per pass: forward 2*N*P*K*C*F (P output positions, K taps, C in, F filters);
// backward twice that (kernel gradient and input gradient), plus bias and activation.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "layers/conv.hpp"

namespace {

using axon::Mat;
using Clock = std::chrono::steady_clock;

struct Shape2D {
  const char* name;
  int64_t h, w, c, f, k;
};

// Naive direct convolution, valid padding, stride 1, channels_last; double accumulators.
void naive_forward(const Shape2D& s, int64_t n, const float* x, const float* w, const float* b, bool relu,
                   std::vector<double>& y) {
  const int64_t oh = s.h - s.k + 1, ow = s.w - s.k + 1;
  y.assign(size_t(n * oh * ow * s.f), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t r = 0; r < oh; ++r)
      for (int64_t q = 0; q < ow; ++q)
        for (int64_t f = 0; f < s.f; ++f) {
          double acc = b[f];
          for (int64_t u = 0; u < s.k; ++u)
            for (int64_t v = 0; v < s.k; ++v)
              for (int64_t c = 0; c < s.c; ++c)
                acc += double(x[((i * s.h + r + u) * s.w + q + v) * s.c + c]) * w[((u * s.k + v) * s.c + c) * s.f + f];
          y[size_t(((i * oh + r) * ow + q) * s.f + f)] = relu ? std::max(acc, 0.0) : acc;
        }
}

// Gradients of sum(y * dy) with y = relu(conv): dx and dW by the direct formulas.
void naive_backward(const Shape2D& s, int64_t n, const float* x, const float* w, const std::vector<double>& y,
                    const float* dy, std::vector<double>& dx, std::vector<double>& dw) {
  const int64_t oh = s.h - s.k + 1, ow = s.w - s.k + 1;
  dx.assign(size_t(n * s.h * s.w * s.c), 0.0);
  dw.assign(size_t(s.k * s.k * s.c * s.f), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t r = 0; r < oh; ++r)
      for (int64_t q = 0; q < ow; ++q)
        for (int64_t f = 0; f < s.f; ++f) {
          const size_t o = size_t(((i * oh + r) * ow + q) * s.f + f);
          const double g = y[o] > 0 ? dy[o] : 0.0;
          for (int64_t u = 0; u < s.k; ++u)
            for (int64_t v = 0; v < s.k; ++v)
              for (int64_t c = 0; c < s.c; ++c) {
                const size_t xi = size_t(((i * s.h + r + u) * s.w + q + v) * s.c + c);
                const size_t wi = size_t(((u * s.k + v) * s.c + c) * s.f + f);
                dx[xi] += g * w[wi];
                dw[wi] += g * x[xi];
              }
        }
}

double max_rel_error(const float* a, const std::vector<double>& ref) {
  double scale = 1e-12, err = 0;
  for (double r : ref) scale = std::max(scale, std::abs(r));
  for (size_t i = 0; i < ref.size(); ++i) err = std::max(err, std::abs(double(a[i]) - ref[i]));
  return err / scale;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <class F>
double time_ms(int repeats, F&& f) {
  f();  // warm-up: workspaces are sized on the first call
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return median(t);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t batch = 128;
  int repeats = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--threads") omp_set_num_threads(std::atoi(argv[i + 1]));
    else if (a == "--batch") batch = std::atoll(argv[i + 1]);
    else if (a == "--repeats") repeats = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: bench_conv [--threads N] [--batch 128] [--repeats 20]\n");
      return 2;
    }
  }
  std::printf("bench_conv: batch %lld, %d threads, median of %d; forward: direct convolution in cache-sized row "
              "chunks, bias and relu per chunk; backward: im2col + GEMM per chunk (direct kernel gradient for "
              "inner size <= 32)\n",
              static_cast<long long>(batch), omp_get_max_threads(), repeats);
  std::printf("%-26s %10s %10s %10s %10s %10s\n", "layer", "fwd ms", "fwd GF/s", "bwd ms", "bwd GF/s", "max err");
  const Shape2D shapes[] = {{"conv2d   28x28x1 -> 32", 28, 28, 1, 32, 3}, {"conv2d_1 13x13x32 -> 64", 13, 13, 32, 64, 3}};
  std::mt19937 gen(42);
  std::normal_distribution<float> normal(0.f, 1.f);
  int status = 0;
  for (const Shape2D& s : shapes) {
    axon::ConvConfig cfg;
    cfg.filters = s.f;
    cfg.window = axon::WindowConfig{2, {s.k, s.k}, {1, 1}, {1, 1}, "valid", false};
    cfg.activation = axon::parse_activation("relu", "bench");
    cfg.bias_initializer = axon::InitSpec{"random_normal", 0.0, 0.5, 7};
    axon::Conv<float> layer("conv", cfg);
    axon::Arena<float> arena;
    const axon::Shape out = layer.build({s.h, s.w, s.c}, arena);
    arena.finalize();
    const int64_t in_size = s.h * s.w * s.c, out_size = axon::shape_size(out);
    Mat<float> x(batch, in_size), y(batch, out_size), dy(batch, out_size), dy_work, dx(batch, in_size);
    for (int64_t i = 0; i < x.size(); ++i) x.data()[i] = normal(gen);
    for (int64_t i = 0; i < dy.size(); ++i) dy.data()[i] = normal(gen);
    const axon::Context ctx{true, 0};
    // Check against the naive reference on a few samples first.
    const int64_t nc = std::min<int64_t>(batch, 4);
    Mat<float> xc = x.topRows(nc), yc(nc, out_size), dyc = dy.topRows(nc), dxc(nc, in_size);
    layer.forward(ctx, xc, yc);
    arena.zero_grads();
    layer.backward(ctx, xc, yc, dyc, &dxc);
    std::vector<double> ry, rdx, rdw;
    const float* w = arena.param(layer.param_ids()[0]);
    naive_forward(s, nc, xc.data(), w, arena.param(layer.param_ids()[1]), true, ry);
    naive_backward(s, nc, xc.data(), w, ry, dy.data(), rdx, rdw);
    const double err = std::max({max_rel_error(yc.data(), ry), max_rel_error(dxc.data(), rdx),
                                 max_rel_error(arena.grad(layer.param_ids()[0]), rdw)});
    if (err > 1e-4) status = 1;
    const double fwd = time_ms(repeats, [&] { layer.forward(ctx, x, y); });
    const double bwd = time_ms(repeats, [&] {
      dy_work = dy;  // backward overwrites dy in place with dz
      layer.backward(ctx, x, y, dy_work, &dx);
    });
    const double flops = 2.0 * double(batch) * double(out_size) * double(s.k * s.k * s.c);
    std::printf("%-26s %10.3f %10.1f %10.3f %10.1f %10.1e%s\n", s.name, fwd, flops / fwd / 1e6, bwd,
                2 * flops / bwd / 1e6, err, err > 1e-4 ? "  MISMATCH" : "");
  }
  return status;
}
