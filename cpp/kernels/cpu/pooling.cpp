// Windowed and global pooling (see kernels/spatial.hpp). Forward loops run over output
// rows (sample, position), each written by one thread; backward loops run over samples,
// because windows overlap inside a sample, so sums keep one order whatever the threads.
#include <algorithm>
#include <limits>

#include <omp.h>

#include "kernels/cpu/window_taps.hpp"

namespace axon::kernels {

template <class T>
void max_pool_forward(const T* x, int64_t n, const Window& w, T* y, int32_t* argmax) {
  const int64_t positions = w.out_positions(), c = w.channels, sample = w.in_positions() * c;
  const int64_t rows = n * positions;
  const int threads = omp_get_max_threads();
  // Rows in contiguous runs, one per thread, so each run steps its position without divisions.
#pragma omp parallel for schedule(static) if (rows * c * w.taps() > (1 << 15))
  for (int part = 0; part < threads; ++part) {
    const int64_t begin = rows * part / threads, end = rows * (part + 1) / threads;
    if (begin >= end) continue;
    int64_t s = begin / positions;
    OutPos o(w, begin % positions);
    for (int64_t r = begin; r < end; ++r, s += o.next(w)) {
      const T* xs = x + s * sample;
      T* yr = y + r * c;
      int32_t* ar = argmax + r * c;
      bool first = true;
      for_each_tap(w, o, [&](int64_t, int64_t off) {
        if (off < 0) return;  // padding never wins
        const T* xp = xs + off;
        const int32_t at = int32_t(off);
        if (first) {  // the first tap inside the input starts the window
          for (int64_t ch = 0; ch < c; ++ch) {
            yr[ch] = xp[ch];
            ar[ch] = at + int32_t(ch);
          }
          first = false;
          return;
        }
        // Strictly greater: ties keep the first, and a NaN first keeps the window's NaN.
        // Branch-free, so the channel loop vectorizes.
        for (int64_t ch = 0; ch < c; ++ch) {
          const bool more = xp[ch] > yr[ch];
          yr[ch] = more ? xp[ch] : yr[ch];
          ar[ch] = more ? at + int32_t(ch) : ar[ch];
        }
      });
      if (first) {  // a window wholly in the padding (not produced by Keras' geometry)
        std::fill(yr, yr + c, -std::numeric_limits<T>::infinity());
        std::fill(ar, ar + c, int32_t(-1));
      }
    }
  }
}

template <class T>
void max_pool_backward(const T* dy, const int32_t* argmax, int64_t n, const Window& w, T* dx) {
  const int64_t out = w.out_positions() * w.channels, sample = w.in_positions() * w.channels;
#pragma omp parallel for schedule(static) if (n * sample > (1 << 15))
  for (int64_t s = 0; s < n; ++s) {
    T* dxs = dx + s * sample;
    std::fill(dxs, dxs + sample, T(0));
    const T* dys = dy + s * out;
    const int32_t* as = argmax + s * out;
    for (int64_t i = 0; i < out; ++i)
      if (as[i] >= 0) dxs[as[i]] += dys[i];  // -1: a window wholly in padding, no input to route to
  }
}

namespace {
// Number of window taps inside the input at output position p (Keras averages over these).
int64_t valid_taps(const Window& w, int64_t p) {
  int64_t count = 0;
  for_each_tap(w, p, [&](int64_t, int64_t off) { count += off >= 0; });
  return count;
}
}  // namespace

template <class T>
void avg_pool_forward(const T* x, int64_t n, const Window& w, T* y) {
  const int64_t positions = w.out_positions(), c = w.channels, sample = w.in_positions() * c;
#pragma omp parallel for schedule(static) if (n * positions * c * w.taps() > (1 << 15))
  for (int64_t r = 0; r < n * positions; ++r) {
    const T* xs = x + (r / positions) * sample;
    T* yr = y + r * c;
    std::fill(yr, yr + c, T(0));
    int64_t count = 0;
    for_each_tap(w, r % positions, [&](int64_t, int64_t off) {
      if (off < 0) return;
      ++count;
      for (int64_t ch = 0; ch < c; ++ch) yr[ch] += xs[off + ch];
    });
    const T inv = count ? T(1) / T(count) : T(0);  // 0 for a window wholly in padding
    for (int64_t ch = 0; ch < c; ++ch) yr[ch] *= inv;
  }
}

template <class T>
void avg_pool_backward(const T* dy, int64_t n, const Window& w, T* dx) {
  const int64_t positions = w.out_positions(), c = w.channels, sample = w.in_positions() * c;
#pragma omp parallel for schedule(static) if (n * sample > (1 << 15))
  for (int64_t s = 0; s < n; ++s) {
    T* dxs = dx + s * sample;
    std::fill(dxs, dxs + sample, T(0));
    for (int64_t p = 0; p < positions; ++p) {
      const T* dyr = dy + (s * positions + p) * c;
      const T inv = T(1) / T(valid_taps(w, p));
      for_each_tap(w, p, [&](int64_t, int64_t off) {
        if (off < 0) return;
        for (int64_t ch = 0; ch < c; ++ch) dxs[off + ch] += dyr[ch] * inv;
      });
    }
  }
}

// x sample: (outer, len, inner); y sample: (outer, inner).
template <class T>
void global_pool_forward(bool max, const T* x, int64_t n, int64_t outer, int64_t len, int64_t inner, T* y) {
#pragma omp parallel for schedule(static) if (n * outer * len * inner > (1 << 16))
  for (int64_t s = 0; s < n; ++s)
    for (int64_t o = 0; o < outer; ++o) {
      const T* xs = x + (s * outer + o) * len * inner;
      T* yr = y + (s * outer + o) * inner;
      std::copy(xs, xs + inner, yr);
      for (int64_t l = 1; l < len; ++l)
        for (int64_t i = 0; i < inner; ++i) yr[i] = max ? std::max(yr[i], xs[l * inner + i]) : yr[i] + xs[l * inner + i];
      if (!max)
        for (int64_t i = 0; i < inner; ++i) yr[i] /= T(len);
    }
}

template <class T>
void global_pool_backward(bool max, const T* x, const T* y, const T* dy, int64_t n, int64_t outer, int64_t len,
                          int64_t inner, T* dx) {
#pragma omp parallel for schedule(static) if (n * outer * len * inner > (1 << 16))
  for (int64_t s = 0; s < n; ++s)
    for (int64_t o = 0; o < outer; ++o) {
      const int64_t base = (s * outer + o) * len * inner;
      const T* yr = y + (s * outer + o) * inner;
      const T* dyr = dy + (s * outer + o) * inner;
      T* dxs = dx + base;
      if (!max) {
        for (int64_t l = 0; l < len; ++l)
          for (int64_t i = 0; i < inner; ++i) dxs[l * inner + i] = dyr[i] / T(len);
        continue;
      }
      // The gradient goes to the first element equal to the max (the forward's pick).
      std::fill(dxs, dxs + len * inner, T(0));
      for (int64_t i = 0; i < inner; ++i)
        for (int64_t l = 0; l < len; ++l)
          if (x[base + l * inner + i] == yr[i]) {
            dxs[l * inner + i] = dyr[i];
            break;
          }
    }
}

#define AXON_INSTANTIATE(T)                                                                                     \
  template void max_pool_forward<T>(const T*, int64_t, const Window&, T*, int32_t*);                          \
  template void max_pool_backward<T>(const T*, const int32_t*, int64_t, const Window&, T*);                   \
  template void avg_pool_forward<T>(const T*, int64_t, const Window&, T*);                                    \
  template void avg_pool_backward<T>(const T*, int64_t, const Window&, T*);                                   \
  template void global_pool_forward<T>(bool, const T*, int64_t, int64_t, int64_t, int64_t, T*);               \
  template void global_pool_backward<T>(bool, const T*, const T*, const T*, int64_t, int64_t, int64_t, int64_t, \
                                        T*);
AXON_INSTANTIATE(float)
AXON_INSTANTIATE(double)
#undef AXON_INSTANTIATE

}  // namespace axon::kernels
