// Direct depthwise convolution (see kernels/depthwise.hpp).
#include "kernels/depthwise.hpp"

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

// Channel blocks of the kernel gradient: a work item is (tap, block), so two cores find
// work even for a 1-D kernel of 3 taps, and a block's channels stay contiguous.
constexpr int64_t kChannelBlock = 64;
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
  const int64_t c = w.channels, cm = c * m, positions = w.out_positions(), taps = w.taps();
  const int64_t in_sample = w.in_positions() * c;
  const int64_t blocks = (cm + kChannelBlock - 1) / kChannelBlock;
  // The tap's (kd, kh, kw) and the input offset it reads for output position p, or -1.
  const auto offset = [&](int64_t tap, int64_t p) -> int64_t {
    const int64_t kd = tap / (w.k[1] * w.k[2]), kh = (tap / w.k[2]) % w.k[1], kw = tap % w.k[2];
    const int64_t od = p / (w.out[1] * w.out[2]), oh = (p / w.out[2]) % w.out[1], ow = p % w.out[2];
    const int64_t id = tap_pos(w, 0, od, kd), ih = tap_pos(w, 1, oh, kh), iw = tap_pos(w, 2, ow, kw);
    return id < 0 || ih < 0 || iw < 0 ? -1 : ((id * w.in[1] + ih) * w.in[2] + iw) * c;
  };
#pragma omp parallel for schedule(static) if (n * positions * cm * taps > (1 << 15))
  for (int64_t item = 0; item < taps * blocks; ++item) {
    const int64_t tap = item / blocks, j0 = (item % blocks) * kChannelBlock, j1 = std::min(cm, j0 + kChannelBlock);
    T* dk = dkernel + tap * cm;
    for (int64_t p = 0; p < positions; ++p) {
      const int64_t off = offset(tap, p);
      if (off < 0) continue;
      for (int64_t s = 0; s < n; ++s) {
        const T* xs = x + s * in_sample + off;
        const T* g = dy + (s * positions + p) * cm;
        if (m == 1)
          for (int64_t j = j0; j < j1; ++j) dk[j] += xs[j] * g[j];
        else
          for (int64_t j = j0; j < j1; ++j) dk[j] += xs[j / m] * g[j];
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
