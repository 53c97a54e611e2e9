#include "kernels/reshaping.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/rng.hpp"

namespace axon::kernels {

namespace {

// Parallel over (sample, outer) blocks; small batches of small samples stay serial.
constexpr int64_t kParallelValues = 1 << 14;

// Row (d, h) of block `b` (a (sample, outer) pair) of a layout: w * inner contiguous values.
inline int64_t row_start(const SpatialLayout& l, int64_t b, int64_t d, int64_t h) {
  return ((b * l.dims[0] + d) * l.dims[1] + h) * l.dims[2] * l.inner;
}

// The bilinear taps of output o along one axis: it reads i0 and i1 with weights 1 - l1
// and l1 (PyTorch's align_corners=False rule, scale = in / out). Computed where needed
// (a few flops) rather than tabulated, so the kernels allocate nothing.
template <class T>
struct LinearTap {
  int64_t i0, i1;
  T l1;
  LinearTap(int64_t o, int64_t in, T scale) {
    const T src = std::max(scale * (T(o) + T(0.5)) - T(0.5), T(0));
    i0 = std::min(int64_t(src), in - 1);
    i1 = std::min(i0 + 1, in - 1);
    l1 = src - T(i0);
  }
};

}  // namespace

template <class T>
void embed_box(const T* small, int64_t n, const SpatialLayout& s, const SpatialLayout& b, const int64_t offset[3],
               T* big) {
  const int64_t blocks = n * s.outer, row = s.dims[2] * s.inner;
  const int64_t big_block = b.size() / b.outer;
#pragma omp parallel for schedule(static) if (blocks * big_block > kParallelValues)
  for (int64_t k = 0; k < blocks; ++k) {
    std::fill(big + k * big_block, big + (k + 1) * big_block, T(0));
    for (int64_t d = 0; d < s.dims[0]; ++d)
      for (int64_t h = 0; h < s.dims[1]; ++h)
        std::memcpy(big + row_start(b, k, d + offset[0], h + offset[1]) + offset[2] * b.inner,
                    small + row_start(s, k, d, h), size_t(row) * sizeof(T));
  }
}

template <class T>
void extract_box(const T* big, int64_t n, const SpatialLayout& b, const SpatialLayout& s, const int64_t offset[3],
                 T* small) {
  const int64_t blocks = n * s.outer, row = s.dims[2] * s.inner;
#pragma omp parallel for schedule(static) if (blocks * (s.size() / s.outer) > kParallelValues)
  for (int64_t k = 0; k < blocks; ++k)
    for (int64_t d = 0; d < s.dims[0]; ++d)
      for (int64_t h = 0; h < s.dims[1]; ++h)
        std::memcpy(small + row_start(s, k, d, h),
                    big + row_start(b, k, d + offset[0], h + offset[1]) + offset[2] * b.inner,
                    size_t(row) * sizeof(T));
}

template <class T>
void upsample_nearest_forward(const T* x, int64_t n, const SpatialLayout& in, const int64_t factor[3], T* y) {
  SpatialLayout out = in;
  for (int a = 0; a < 3; ++a) out.dims[a] *= factor[a];
  const int64_t blocks = n * in.outer, c = in.inner, out_row = out.dims[2] * c;
#pragma omp parallel for schedule(static) if (blocks * (out.size() / out.outer) > kParallelValues)
  for (int64_t k = 0; k < blocks; ++k)
    for (int64_t d = 0; d < in.dims[0]; ++d)
      for (int64_t h = 0; h < in.dims[1]; ++h) {
        // Widen the input row once, then copy it to the other rows of its factor block.
        const T* src = x + row_start(in, k, d, h);
        T* first = y + row_start(out, k, d * factor[0], h * factor[1]);
        T* dst = first;
        for (int64_t w = 0; w < in.dims[2]; ++w)
          for (int64_t r = 0; r < factor[2]; ++r)
            for (int64_t ch = 0; ch < c; ++ch) *dst++ = src[w * c + ch];
        for (int64_t i = 0; i < factor[0]; ++i)
          for (int64_t j = 0; j < factor[1]; ++j)
            if (i || j)
              std::memcpy(y + row_start(out, k, d * factor[0] + i, h * factor[1] + j), first,
                          size_t(out_row) * sizeof(T));
      }
}

template <class T>
void upsample_nearest_backward(const T* dy, int64_t n, const SpatialLayout& in, const int64_t factor[3], T* dx) {
  SpatialLayout out = in;
  for (int a = 0; a < 3; ++a) out.dims[a] *= factor[a];
  const int64_t blocks = n * in.outer, c = in.inner;
#pragma omp parallel for schedule(static) if (blocks * (out.size() / out.outer) > kParallelValues)
  for (int64_t k = 0; k < blocks; ++k)
    for (int64_t d = 0; d < in.dims[0]; ++d)
      for (int64_t h = 0; h < in.dims[1]; ++h) {
        T* dst = dx + row_start(in, k, d, h);
        std::fill(dst, dst + in.dims[2] * c, T(0));
        // A fixed summation order over the block: (i, j) rows, then the w repeats.
        for (int64_t i = 0; i < factor[0]; ++i)
          for (int64_t j = 0; j < factor[1]; ++j) {
            const T* src = dy + row_start(out, k, d * factor[0] + i, h * factor[1] + j);
            for (int64_t w = 0; w < in.dims[2]; ++w)
              for (int64_t r = 0; r < factor[2]; ++r, src += c)
                for (int64_t ch = 0; ch < c; ++ch) dst[w * c + ch] += src[ch];
          }
      }
}

template <class T>
void upsample_bilinear_forward(const T* x, int64_t n, const SpatialLayout& in, const int64_t factor[3], T* y) {
  const int64_t ih = in.dims[1], iw = in.dims[2], oh = ih * factor[1], ow = iw * factor[2], c = in.inner;
  const T sh = T(ih) / T(oh), sw = T(iw) / T(ow);
  const int64_t blocks = n * in.outer;
#pragma omp parallel for schedule(static) if (blocks * oh * ow * c > kParallelValues)
  for (int64_t k = 0; k < blocks; ++k) {
    const T* xb = x + k * ih * iw * c;
    T* yb = y + k * oh * ow * c;
    for (int64_t a = 0; a < oh; ++a) {
      const LinearTap<T> th(a, ih, sh);
      const T* r0 = xb + th.i0 * iw * c;
      const T* r1 = xb + th.i1 * iw * c;
      const T lh1 = th.l1, lh0 = T(1) - lh1;
      for (int64_t b = 0; b < ow; ++b) {
        const LinearTap<T> tw(b, iw, sw);
        const int64_t w0 = tw.i0 * c, w1 = tw.i1 * c;
        const T lw1 = tw.l1, lw0 = T(1) - lw1;
        T* out = yb + (a * ow + b) * c;
        for (int64_t ch = 0; ch < c; ++ch)
          out[ch] = lh0 * (lw0 * r0[w0 + ch] + lw1 * r0[w1 + ch]) + lh1 * (lw0 * r1[w0 + ch] + lw1 * r1[w1 + ch]);
      }
    }
  }
}

template <class T>
void upsample_bilinear_backward(const T* dy, int64_t n, const SpatialLayout& in, const int64_t factor[3], T* dx) {
  const int64_t ih = in.dims[1], iw = in.dims[2], oh = ih * factor[1], ow = iw * factor[2], c = in.inner;
  const T sh = T(ih) / T(oh), sw = T(iw) / T(ow);
  const int64_t blocks = n * in.outer;
#pragma omp parallel for schedule(static) if (blocks * oh * ow * c > kParallelValues)
  for (int64_t k = 0; k < blocks; ++k) {
    T* dxb = dx + k * ih * iw * c;
    const T* dyb = dy + k * oh * ow * c;
    std::fill(dxb, dxb + ih * iw * c, T(0));
    // Each output scatters into its four taps, in output order: the transpose of forward.
    for (int64_t a = 0; a < oh; ++a) {
      const LinearTap<T> th(a, ih, sh);
      T* r0 = dxb + th.i0 * iw * c;
      T* r1 = dxb + th.i1 * iw * c;
      const T lh1 = th.l1, lh0 = T(1) - lh1;
      for (int64_t b = 0; b < ow; ++b) {
        const LinearTap<T> tw(b, iw, sw);
        const int64_t w0 = tw.i0 * c, w1 = tw.i1 * c;
        const T lw1 = tw.l1, lw0 = T(1) - lw1;
        const T* g = dyb + (a * ow + b) * c;
        for (int64_t ch = 0; ch < c; ++ch) {
          r0[w0 + ch] += lh0 * lw0 * g[ch];
          r0[w1 + ch] += lh0 * lw1 * g[ch];
          r1[w0 + ch] += lh1 * lw0 * g[ch];
          r1[w1 + ch] += lh1 * lw1 * g[ch];
        }
      }
    }
  }
}

template <class T>
void channel_dropout_mask(uint64_t seed, uint64_t step, double rate, int64_t n, int64_t channels, T* mask) {
  const Philox rng(seed, /*stream=*/0x5D0);  // apart from Dropout's stream: different masks
  const T scale = T(1.0 / (1.0 - rate));
  const float keep = float(1.0 - rate);
  const int64_t total = n * channels;
#pragma omp parallel for schedule(static) if (total > kParallelValues)
  for (int64_t i = 0; i < total; ++i)  // i = sample * channels + channel
    mask[i] = rng.uniform(uint64_t(i), step) < keep ? scale : T(0);
}

template <class T>
void scale_channels(const T* x, const T* mask, int64_t n, const SpatialLayout& l, bool channels_first, T* y) {
  const int64_t p = l.positions(), channels = channels_first ? l.outer : l.inner;
  const int64_t blocks = n * l.outer, block_size = p * l.inner;
#pragma omp parallel for schedule(static) if (blocks * block_size > kParallelValues)
  for (int64_t k = 0; k < blocks; ++k) {
    const int64_t sample = k / l.outer;
    const T* m = mask + sample * channels;
    const T* src = x + k * block_size;
    T* dst = y + k * block_size;
    if (channels_first) {
      const T s = m[k % l.outer];
      for (int64_t i = 0; i < block_size; ++i) dst[i] = src[i] * s;
    } else {
      for (int64_t q = 0; q < p; ++q)
        for (int64_t ch = 0; ch < l.inner; ++ch) dst[q * l.inner + ch] = src[q * l.inner + ch] * m[ch];
    }
  }
}

#define AXON_INSTANTIATE(T)                                                                                     \
  template void embed_box<T>(const T*, int64_t, const SpatialLayout&, const SpatialLayout&, const int64_t*, T*); \
  template void extract_box<T>(const T*, int64_t, const SpatialLayout&, const SpatialLayout&, const int64_t*,  \
                               T*);                                                                            \
  template void upsample_nearest_forward<T>(const T*, int64_t, const SpatialLayout&, const int64_t*, T*);      \
  template void upsample_nearest_backward<T>(const T*, int64_t, const SpatialLayout&, const int64_t*, T*);     \
  template void upsample_bilinear_forward<T>(const T*, int64_t, const SpatialLayout&, const int64_t*, T*);     \
  template void upsample_bilinear_backward<T>(const T*, int64_t, const SpatialLayout&, const int64_t*, T*);    \
  template void channel_dropout_mask<T>(uint64_t, uint64_t, double, int64_t, int64_t, T*);                     \
  template void scale_channels<T>(const T*, const T*, int64_t, const SpatialLayout&, bool, T*);
AXON_INSTANTIATE(float)
AXON_INSTANTIATE(double)
#undef AXON_INSTANTIATE

}  // namespace axon::kernels
