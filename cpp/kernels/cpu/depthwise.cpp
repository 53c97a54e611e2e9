// Direct depthwise convolution (see kernels/depthwise.hpp).
#include "kernels/depthwise.hpp"

#include <omp.h>

#include <algorithm>

#include "kernels/cpu/window_taps.hpp"

namespace axon::kernels {

namespace {
// out[j] (+)= in[j / m] * k[j] for j < c*m: one tap's contribution at one position.
template <class T>
inline void tap_forward(const T* in, const T* k, int64_t c, int64_t m, T* out) {
  if (m == 1) {
    for (int64_t j = 0; j < c; ++j) out[j] += in[j] * k[j];
    return;
  }
  for (int64_t i = 0; i < c; ++i)
    for (int64_t j = 0; j < m; ++j) out[i * m + j] += in[i] * k[i * m + j];
}

// This thread's share [i0, i1) of c channels, in whole blocks of 16 (one AVX-512 vector of
// floats) so the shares vectorize; threads past the last block get an empty range.
inline void channel_range(int64_t c, int64_t& i0, int64_t& i1) {
  constexpr int64_t kBlock = 16;
  const int64_t blocks = (c + kBlock - 1) / kBlock, threads = omp_get_num_threads(), t = omp_get_thread_num();
  const int64_t per = (blocks + threads - 1) / threads;
  i0 = std::min(c, t * per * kBlock);
  i1 = std::min(c, (t + 1) * per * kBlock);
}
}  // namespace

template <class T>
void depthwise_forward(const T* x, int64_t n, const Window& w, int64_t m, const T* kernel, T* y) {
  const int64_t c = w.channels, cm = c * m, positions = w.out_positions();
  const int64_t in_sample = w.in_positions() * c;
#pragma omp parallel for schedule(static) if (n * positions * cm * w.taps() > (1 << 15))
  for (int64_t r = 0; r < n * positions; ++r) {
    const T* xs = x + (r / positions) * in_sample;
    T* out = y + r * cm;
    std::fill(out, out + cm, T(0));
    for_each_tap(w, r % positions, [&](int64_t tap, int64_t off) {
      if (off >= 0) tap_forward(xs + off, kernel + tap * cm, c, m, out);
    });
  }
}

template <class T>
void depthwise_backward_input(const T* dy, int64_t n, const Window& w, int64_t m, const T* kernel, T* dx) {
  const int64_t c = w.channels, cm = c * m, positions = w.out_positions();
  const int64_t in_sample = w.in_positions() * c;
  // Windows overlap within a sample, so a sample is one thread's work, in a fixed order.
#pragma omp parallel for schedule(static) if (n * positions * cm * w.taps() > (1 << 15))
  for (int64_t s = 0; s < n; ++s) {
    T* dxs = dx + s * in_sample;
    for (int64_t p = 0; p < positions; ++p) {
      const T* g = dy + (s * positions + p) * cm;
      for_each_tap(w, p, [&](int64_t tap, int64_t off) {
        if (off < 0) return;
        const T* k = kernel + tap * cm;
        T* d = dxs + off;
        if (m == 1) {
          for (int64_t j = 0; j < c; ++j) d[j] += g[j] * k[j];
          return;
        }
        for (int64_t i = 0; i < c; ++i) {
          T acc = T(0);
          for (int64_t j = 0; j < m; ++j) acc += g[i * m + j] * k[i * m + j];
          d[i] += acc;
        }
      });
    }
  }
}

template <class T>
void depthwise_backward_kernel(const T* x, const T* dy, int64_t n, const Window& w, int64_t m, T* dkernel) {
  const int64_t c = w.channels, cm = c * m, positions = w.out_positions();
  const int64_t in_sample = w.in_positions() * c;
  // Each thread owns a range of input channels (and their m outputs) and reads x and dy once,
  // in memory order. Every entry is summed over (sample, position) in that order whatever
  // the ranges are, so the result does not depend on the thread count.
#pragma omp parallel if (n * positions * cm * w.taps() > (1 << 15))
  {
    int64_t i0 = 0, i1 = c;
    channel_range(c, i0, i1);
    for (int64_t s = 0; s < n && i0 < i1; ++s) {
      const T* xs = x + s * in_sample;
      for (int64_t p = 0; p < positions; ++p) {
        const T* g = dy + (s * positions + p) * cm;
        for_each_tap(w, p, [&](int64_t tap, int64_t off) {
          if (off < 0) return;
          const T* xi = xs + off;
          T* dk = dkernel + tap * cm;
          if (m == 1) {
            for (int64_t j = i0; j < i1; ++j) dk[j] += xi[j] * g[j];
            return;
          }
          for (int64_t i = i0; i < i1; ++i)
            for (int64_t j = i * m; j < (i + 1) * m; ++j) dk[j] += xi[i] * g[j];
        });
      }
    }
  }
}

#define AXON_INSTANTIATE(T)                                                                                \
  template void depthwise_forward<T>(const T*, int64_t, const Window&, int64_t, const T*, T*);         \
  template void depthwise_backward_input<T>(const T*, int64_t, const Window&, int64_t, const T*, T*);  \
  template void depthwise_backward_kernel<T>(const T*, const T*, int64_t, const Window&, int64_t, T*);
AXON_INSTANTIATE(float)
AXON_INSTANTIATE(double)
#undef AXON_INSTANTIATE

}  // namespace axon::kernels
