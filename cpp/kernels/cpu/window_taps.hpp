// Walking the taps of one window (shared by im2col and pooling; CPU-internal).
#pragma once
#include "kernels/spatial.hpp"

namespace axon::kernels {

// Input position of tap t on axis a for output position o, or -1 when it falls in padding.
inline int64_t tap_pos(const Window& w, int a, int64_t o, int64_t t) {
  const int64_t i = o * w.stride[a] - w.pad[a] + t * w.dilation[a];
  return i >= 0 && i < w.in[a] ? i : -1;
}

// Calls f(tap, input_offset or -1) for each tap of output position p: the tap's index
// (its column block in a cols row) and the element offset of its input position within a
// sample, or -1 where it falls in padding.
template <class F>
inline void for_each_tap(const Window& w, int64_t p, F&& f) {
  const int64_t od = p / (w.out[1] * w.out[2]), oh = (p / w.out[2]) % w.out[1], ow = p % w.out[2];
  int64_t tap = 0;
  for (int64_t kd = 0; kd < w.k[0]; ++kd) {
    const int64_t id = tap_pos(w, 0, od, kd);
    for (int64_t kh = 0; kh < w.k[1]; ++kh) {
      const int64_t ih = id < 0 ? -1 : tap_pos(w, 1, oh, kh);
      for (int64_t kw = 0; kw < w.k[2]; ++kw, ++tap) {
        const int64_t iw = ih < 0 ? -1 : tap_pos(w, 2, ow, kw);
        f(tap, iw < 0 ? int64_t(-1) : ((id * w.in[1] + ih) * w.in[2] + iw) * w.channels);
      }
    }
  }
}

}  // namespace axon::kernels
