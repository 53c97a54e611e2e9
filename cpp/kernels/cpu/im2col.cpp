// im2col / col2im and the layout copies around them (see kernels/spatial.hpp).
#include <algorithm>
#include <cstring>

#include "kernels/cpu/window_taps.hpp"

namespace axon::kernels {

template <class T>
void im2col_rows(const T* x, const Window& w, int64_t row_begin, int64_t rows, int64_t c_begin, int64_t c_count,
                 T* cols) {
  const InteriorTaps interior(w);
  const int64_t taps = w.taps(), row_len = taps * c_count;
  // Plain loops, not memcpy: a first layer has 1-3 channels, where a call per tap costs
  // more than the copy (bench_conv's 28x28x1 forward).
  for_each_row(w, row_begin, rows, [&](int64_t i, int64_t at, int64_t origin, const OutPos& o) {
    const T* xs = x + at + c_begin;
    T* row = cols + i * row_len;
    if (origin >= 0 && c_count == 1) {  // a first layer over one channel: a plain gather
      for (int64_t t = 0; t < taps; ++t) row[t] = xs[origin + interior.offsets[size_t(t)]];
      return;
    }
    if (origin >= 0) {
      for (int64_t t = 0; t < taps; ++t) {
        const T* src = xs + origin + interior.offsets[size_t(t)];
        for (int64_t c = 0; c < c_count; ++c) row[t * c_count + c] = src[c];
      }
      return;
    }
    for_each_tap(w, o, [&](int64_t col, int64_t off) {
      T* dst = row + col * c_count;
      if (off < 0)
        for (int64_t c = 0; c < c_count; ++c) dst[c] = T(0);
      else
        for (int64_t c = 0; c < c_count; ++c) dst[c] = xs[off + c];
    });
  });
}

template <class T>
void col2im_rows_accumulate(const T* cols, const Window& w, int64_t row_begin, int64_t rows, int64_t c_begin,
                            int64_t c_count, T* dx) {
  const InteriorTaps interior(w);
  const int64_t taps = w.taps(), row_len = taps * c_count;
  for_each_row(w, row_begin, rows, [&](int64_t i, int64_t at, int64_t origin, const OutPos& o) {
    T* dxs = dx + at + c_begin;
    const T* row = cols + i * row_len;
    if (origin >= 0) {
      for (int64_t t = 0; t < taps; ++t) {
        T* dst = dxs + origin + interior.offsets[size_t(t)];
        for (int64_t c = 0; c < c_count; ++c) dst[c] += row[t * c_count + c];
      }
      return;
    }
    for_each_tap(w, o, [&](int64_t col, int64_t off) {
      if (off < 0) return;
      const T* src = row + col * c_count;
      T* dst = dxs + off;
      for (int64_t c = 0; c < c_count; ++c) dst[c] += src[c];
    });
  });
}

template <class T>
void im2col(const T* x, int64_t n, const Window& w, int64_t c_begin, int64_t c_count, T* cols) {
  const int64_t rows = n * w.out_positions(), row_len = w.taps() * c_count;
  // Rows are independent: blocks of them, so a single sample still uses every thread.
  constexpr int64_t kBlock = 64;
#pragma omp parallel for schedule(static) if (rows * row_len > (1 << 15))
  for (int64_t r = 0; r < rows; r += kBlock)
    im2col_rows(x, w, r, std::min(kBlock, rows - r), c_begin, c_count, cols + r * row_len);
}

template <class T>
void col2im_accumulate(const T* cols, int64_t n, const Window& w, int64_t c_begin, int64_t c_count, T* dx) {
  const int64_t positions = w.out_positions(), row_len = w.taps() * c_count;
  // Windows overlap within a sample, so a sample is one thread's work, in a fixed order.
#pragma omp parallel for schedule(static) if (n * positions * row_len > (1 << 15))
  for (int64_t s = 0; s < n; ++s)
    col2im_rows_accumulate(cols + s * positions * row_len, w, s * positions, positions, c_begin, c_count, dx);
}

template <class T>
void transpose_samples(const T* src, int64_t n, int64_t a, int64_t b, T* dst) {
#pragma omp parallel for schedule(static) if (n * a * b > (1 << 16))
  for (int64_t s = 0; s < n; ++s) {
    ConstMatMap<T> from(src + s * a * b, a, b);
    MatMap<T>(dst + s * a * b, b, a) = from.transpose();
  }
}

template <class T>
void copy_block(const T* src, int64_t src_ld, T* dst, int64_t dst_ld, int64_t rows, int64_t cols, bool accumulate) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* s = src + r * src_ld;
    T* d = dst + r * dst_ld;
    if (accumulate)
      for (int64_t c = 0; c < cols; ++c) d[c] += s[c];
    else
      std::memcpy(d, s, size_t(cols) * sizeof(T));
  }
}

#define AXON_INSTANTIATE(T)                                                                          \
  template void im2col<T>(const T*, int64_t, const Window&, int64_t, int64_t, T*);                 \
  template void col2im_accumulate<T>(const T*, int64_t, const Window&, int64_t, int64_t, T*);      \
  template void im2col_rows<T>(const T*, const Window&, int64_t, int64_t, int64_t, int64_t, T*);   \
  template void col2im_rows_accumulate<T>(const T*, const Window&, int64_t, int64_t, int64_t, int64_t, T*); \
  template void transpose_samples<T>(const T*, int64_t, int64_t, int64_t, T*);                     \
  template void copy_block<T>(const T*, int64_t, T*, int64_t, int64_t, int64_t, bool);
AXON_INSTANTIATE(float)
AXON_INSTANTIATE(double)
#undef AXON_INSTANTIATE

}  // namespace axon::kernels
