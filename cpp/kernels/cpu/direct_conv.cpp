// Direct convolution (see kernels/direct_conv.hpp). GCC/Clang vector extensions spell out
// the 64-byte vectors, so a group of output rows keeps its accumulators in registers; taps
// in the padding are skipped (they add zero).
#include "kernels/direct_conv.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/cpu/vec.hpp"
#include "kernels/cpu/window_taps.hpp"

namespace axon::kernels {

namespace {
using simd::load;
using simd::splat;
using simd::store;
using simd::Vec;
constexpr int kMaxVectors = 4;

// Interior windows go kGroup rows at a time: the kernel's vectors are loaded once per group
// and kGroup independent accumulator chains hide the FMA latency (one row at a time waits
// on it at every element). kGroup x 4 accumulators + 4 kernel vectors + a broadcast fit
// the 32 vector registers, which is why filters are capped at kMaxVectors = 4 vectors.
constexpr int kGroup = 4;

// Walks rows [row_begin, row_begin + rows) in order: interior windows go to
// group(i, at, n) kGroup at a time (rows i..i+n-1, at: the x offset of each window's first
// element, n a compile-time constant; fewer only before a border window or at the end), and
// a window that overhangs the input goes to row(i, s, o) alone. Windows inside the input
// form one run along each output row's w axis, so a run needs the bounds of its first
// window only; groups continue from one run into the next.
template <class Group, class Row>
void walk_rows(const Window& w, int64_t row_begin, int64_t rows, Group&& group, Row&& row) {
  const int64_t positions = w.out_positions(), sample = w.in_positions() * w.channels;
  const int64_t step = w.stride[2] * w.channels;  // between neighbouring windows along w
  // The last output w whose window ends inside the input.
  const int64_t w_last = (w.in[2] - 1 - (w.k[2] - 1) * w.dilation[2] + w.pad[2]) / w.stride[2];
  int64_t at[kGroup];
  int pending = 0;  // interior rows collected for the next group, ending just before row i
  auto flush = [&](int64_t end) {
    switch (pending) {
      case 0: break;
      case 1: group(end - 1, at, std::integral_constant<int, 1>()); break;
      case 2: group(end - 2, at, std::integral_constant<int, 2>()); break;
      case 3: group(end - 3, at, std::integral_constant<int, 3>()); break;
      default: group(end - kGroup, at, std::integral_constant<int, kGroup>()); break;
    }
    pending = 0;
  };
  int64_t s = row_begin / positions;
  OutPos o(w, row_begin % positions);
  for (int64_t i = 0; i < rows;) {
    const int64_t first = InteriorTaps::origin(w, o);
    if (first < 0) {
      flush(i);
      row(i, s, o);
      ++i, s += o.next(w);
      continue;
    }
    const int64_t run = std::min({rows - i, w.out[2] - o.w, w_last + 1 - o.w});
    for (int64_t r = 0; r < run; ++r) {
      at[pending++] = s * sample + first + r * step;
      if (pending == kGroup) flush(i + r + 1);
    }
    i += run;
    o.w += run - 1;
    s += o.next(w);
  }
  flush(rows);
}

// x offsets of every (tap, channel) element of an interior window, from its first element.
// Kept in this thread's buffer (valid until its next call on the thread): the kernels run
// once per chunk of rows in every training step, which then allocates nothing here.
inline const std::vector<int64_t>& window_elements(const Window& w) {
  thread_local std::vector<int64_t> elements;
  elements.clear();
  InteriorTaps::for_each_offset(w, [&](int64_t offset) {
    for (int64_t c = 0; c < w.channels; ++c) elements.push_back(offset + c);
  });
  return elements;
}

template <class T, int NV>
void rows_with(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* kernel, const T* bias, T* z) {
  constexpr int64_t lanes = simd::kLanes<T>, filters = NV * lanes;
  const int64_t c_in = w.channels, sample = w.in_positions() * c_in;
  const std::vector<int64_t>& elements = window_elements(w);
  const int64_t k = int64_t(elements.size());
  Vec<T> b[NV];
  for (int j = 0; j < NV; ++j) b[j] = bias ? load(bias + j * lanes) : Vec<T>{};
  auto group = [&](int64_t i, const int64_t* at, auto rows_in_group) {
    constexpr int R = decltype(rows_in_group)::value;
    Vec<T> acc[R][NV];
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < NV; ++j) acc[r][j] = b[j];
    for (int64_t e = 0; e < k; ++e) {
      Vec<T> wv[NV];
      for (int j = 0; j < NV; ++j) wv[j] = load(kernel + e * filters + j * lanes);
      for (int r = 0; r < R; ++r) {
        const Vec<T> v = splat(x[at[r] + elements[size_t(e)]]);
        for (int j = 0; j < NV; ++j) acc[r][j] = simd::fma<T>(v, wv[j], acc[r][j]);
      }
    }
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < NV; ++j) store(z + (i + r) * filters + j * lanes, acc[r][j]);
  };
  auto row = [&](int64_t i, int64_t s, const OutPos& o) {
    Vec<T> acc[NV];
    for (int j = 0; j < NV; ++j) acc[j] = b[j];
    for_each_tap(w, o, [&](int64_t t, int64_t off) {  // taps in the padding add nothing
      if (off < 0) return;
      for (int64_t c = 0; c < c_in; ++c) {
        const Vec<T> v = splat(x[s * sample + off + c]);
        for (int j = 0; j < NV; ++j)
          acc[j] = simd::fma<T>(v, load(kernel + (t * c_in + c) * filters + j * lanes), acc[j]);
      }
    });
    for (int j = 0; j < NV; ++j) store(z + i * filters + j * lanes, acc[j]);
  };
  walk_rows(w, row_begin, rows, group, row);
}

// dkernel += x windows^T dz, rows in order; a group's dz vectors are loaded once and each
// (tap, channel) row of dkernel, which stays in L1, is updated once per group.
template <class T, int NV>
void kernel_grad_with(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* dz, T* dkernel) {
  constexpr int64_t lanes = simd::kLanes<T>, filters = NV * lanes;
  const int64_t c_in = w.channels, sample = w.in_positions() * c_in;
  const std::vector<int64_t>& elements = window_elements(w);
  const int64_t k = int64_t(elements.size());
  auto group = [&](int64_t i, const int64_t* at, auto rows_in_group) {
    constexpr int R = decltype(rows_in_group)::value;
    Vec<T> g[R][NV];
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < NV; ++j) g[r][j] = load(dz + (i + r) * filters + j * lanes);
    for (int64_t e = 0; e < k; ++e) {
      Vec<T> v[R];
      for (int r = 0; r < R; ++r) v[r] = splat(x[at[r] + elements[size_t(e)]]);
      for (int j = 0; j < NV; ++j) {
        T* d = dkernel + e * filters + j * lanes;
        Vec<T> sum = load(d);
        for (int r = 0; r < R; ++r) sum = simd::fma<T>(v[r], g[r][j], sum);
        store(d, sum);
      }
    }
  };
  auto row = [&](int64_t i, int64_t s, const OutPos& o) {
    Vec<T> g[NV];
    for (int j = 0; j < NV; ++j) g[j] = load(dz + i * filters + j * lanes);
    for_each_tap(w, o, [&](int64_t t, int64_t off) {
      if (off < 0) return;
      for (int64_t c = 0; c < c_in; ++c) {
        const Vec<T> v = splat(x[s * sample + off + c]);
        for (int j = 0; j < NV; ++j) {
          T* d = dkernel + (t * c_in + c) * filters + j * lanes;
          store(d, simd::fma<T>(v, g[j], load(d)));
        }
      }
    });
  };
  walk_rows(w, row_begin, rows, group, row);
}

// Calls body(std::integral_constant<int, NV>()) for filters = NV vectors (1..kMaxVectors).
template <class T, class Body>
void with_vectors(int64_t filters, Body&& body) {
  simd::with_count<kMaxVectors>(filters / simd::kLanes<T>, body);
}
}  // namespace

template <class T>
bool direct_conv_supported(int64_t filters) {
  constexpr int64_t lanes = simd::kLanes<T>;
  return filters % lanes == 0 && filters / lanes >= 1 && filters / lanes <= kMaxVectors;
}

template <class T>
bool direct_conv_rows(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* kernel, int64_t filters,
                      const T* bias, T* z) {
  if (!direct_conv_supported<T>(filters)) return false;
  with_vectors<T>(filters, [&](auto nv) { rows_with<T, decltype(nv)::value>(x, w, row_begin, rows, kernel, bias, z); });
  return true;
}

template <class T>
bool direct_conv_kernel_grad(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* dz,
                             int64_t filters, T* dkernel) {
  if (!direct_conv_supported<T>(filters)) return false;
  with_vectors<T>(filters,
                  [&](auto nv) { kernel_grad_with<T, decltype(nv)::value>(x, w, row_begin, rows, dz, dkernel); });
  return true;
}

template bool direct_conv_supported<float>(int64_t);
template bool direct_conv_supported<double>(int64_t);
template bool direct_conv_rows<float>(const float*, const Window&, int64_t, int64_t, const float*, int64_t,
                                      const float*, float*);
template bool direct_conv_rows<double>(const double*, const Window&, int64_t, int64_t, const double*, int64_t,
                                       const double*, double*);
template bool direct_conv_kernel_grad<float>(const float*, const Window&, int64_t, int64_t, const float*, int64_t,
                                             float*);
template bool direct_conv_kernel_grad<double>(const double*, const Window&, int64_t, int64_t, const double*, int64_t,
                                              double*);

}  // namespace axon::kernels
