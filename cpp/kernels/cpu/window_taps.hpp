// Walking the taps of one window (shared by im2col and pooling; CPU-internal).
#pragma once
#include <utility>
#include <vector>

#include "kernels/spatial.hpp"

namespace axon::kernels {

// Input position of tap t on axis a for output position o, or -1 when it falls in padding.
inline int64_t tap_pos(const Window& w, int a, int64_t o, int64_t t) {
  const int64_t i = o * w.stride[a] - w.pad[a] + t * w.dilation[a];
  return i >= 0 && i < w.in[a] ? i : -1;
}

// An output position as (d, h, w) coordinates. `next` steps to the following position
// without divisions, which cost more than a first layer's whole window of copies.
struct OutPos {
  int64_t d = 0, h = 0, w = 0;
  OutPos(const Window& win, int64_t p)
      : d(p / (win.out[1] * win.out[2])), h((p / win.out[2]) % win.out[1]), w(p % win.out[2]) {}
  // True when it wrapped around to position 0 (of the next sample).
  bool next(const Window& win) {
    if (++w < win.out[2]) return false;
    w = 0;
    if (++h < win.out[1]) return false;
    h = 0;
    if (++d < win.out[0]) return false;
    d = 0;
    return true;
  }
};

// Calls f(tap, input_offset or -1) for each tap of output position o: the tap's index
// (its column block in a cols row) and the element offset of its input position within a
// sample, or -1 where it falls in padding.
template <class F>
inline void for_each_tap(const Window& w, const OutPos& o, F&& f) {
  int64_t tap = 0;
  for (int64_t kd = 0; kd < w.k[0]; ++kd) {
    const int64_t id = tap_pos(w, 0, o.d, kd);
    for (int64_t kh = 0; kh < w.k[1]; ++kh) {
      const int64_t ih = id < 0 ? -1 : tap_pos(w, 1, o.h, kh);
      for (int64_t kw = 0; kw < w.k[2]; ++kw, ++tap) {
        const int64_t iw = ih < 0 ? -1 : tap_pos(w, 2, o.w, kw);
        f(tap, iw < 0 ? int64_t(-1) : ((id * w.in[1] + ih) * w.in[2] + iw) * w.channels);
      }
    }
  }
}

// Windows that lie wholly inside the input (every window of a 'valid' convolution) share one
// list of tap offsets relative to the window's first element: im2col copies through it
// instead of re-deriving each tap's bounds.
struct InteriorTaps {
  std::vector<int64_t> offsets;  // per tap, in tap order
  explicit InteriorTaps(const Window& w) {
    for_each_offset(w, [this](int64_t offset) { offsets.push_back(offset); });
  }
  // f(offset) for each tap, in tap order, without building the vector.
  template <class F>
  static void for_each_offset(const Window& w, F&& f) {
    for (int64_t kd = 0; kd < w.k[0]; ++kd)
      for (int64_t kh = 0; kh < w.k[1]; ++kh)
        for (int64_t kw = 0; kw < w.k[2]; ++kw)
          f(((kd * w.dilation[0] * w.in[1] + kh * w.dilation[1]) * w.in[2] + kw * w.dilation[2]) * w.channels);
  }
  // The offset of o's window's first element, or -1 when the window overhangs the input.
  static int64_t origin(const Window& w, const OutPos& o) {
    const int64_t at[3] = {o.d, o.h, o.w};
    int64_t offset = 0;
    for (int a = 0; a < 3; ++a) {
      const int64_t i = at[a] * w.stride[a] - w.pad[a];
      if (i < 0 || i + (w.k[a] - 1) * w.dilation[a] >= w.in[a]) return -1;
      offset = offset * w.in[a] + i;
    }
    return offset * w.channels;
  }
};

// Calls f(i, sample_offset, origin, o) for rows [row_begin, row_begin + rows) of the
// (N * out_positions) row space: the row's index within the range, the element offset of its
// sample, its window's first element within the sample (-1 where the window overhangs the
// input; see InteriorTaps) and its position.
template <class F>
inline void for_each_row(const Window& w, int64_t row_begin, int64_t rows, F&& f) {
  const int64_t positions = w.out_positions(), sample = w.in_positions() * w.channels;
  int64_t s = row_begin / positions;
  OutPos o(w, row_begin % positions);
  for (int64_t i = 0; i < rows; ++i, s += o.next(w)) f(i, s * sample, InteriorTaps::origin(w, o), o);
}

template <class F>
inline void for_each_tap(const Window& w, int64_t p, F&& f) {
  for_each_tap(w, OutPos(w, p), std::forward<F>(f));
}

}  // namespace axon::kernels
