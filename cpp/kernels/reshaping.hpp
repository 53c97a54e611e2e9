// Device-neutral kernels for the spatial utility layers: zero padding and cropping (one
// pair of box copies), nearest and bilinear up-sampling, and the per-channel mask of
// spatial dropout.
//
// A sample is seen as (outer, d, h, w, inner): channels_last is outer = 1, inner = C;
// channels_first is outer = C, inner = 1. Every op then runs on the three spatial axes with
// no transposes for either data format; 1-D and 2-D layers set the unused leading axes to
// size 1. Loops parallelize over (sample, outer), each output written by one thread, so
// results do not depend on the thread count.
#pragma once
#include <cstdint>

namespace axon::kernels {

// A sample's layout around its spatial axes.
struct SpatialLayout {
  int64_t outer = 1, inner = 1;
  int64_t dims[3] = {1, 1, 1};  // d, h, w
  int64_t positions() const { return dims[0] * dims[1] * dims[2]; }
  int64_t size() const { return outer * positions() * inner; }
};

// The small box `small` sits at `offset` inside the big box `big` (same outer and inner).
//   embed:   big = 0 outside the box, the small values inside (ZeroPadding forward,
//            Cropping backward)
//   extract: small = the box's values of big (Cropping forward, ZeroPadding backward)
template <class T>
void embed_box(const T* small, int64_t n, const SpatialLayout& small_layout, const SpatialLayout& big_layout,
               const int64_t offset[3], T* big);
template <class T>
void extract_box(const T* big, int64_t n, const SpatialLayout& big_layout, const SpatialLayout& small_layout,
                 const int64_t offset[3], T* small);

// Nearest up-sampling by integer factors: y[d*fd + i, h*fh + j, w*fw + k] = x[d, h, w].
// Backward sums each factor block of dy into its one source.
template <class T>
void upsample_nearest_forward(const T* x, int64_t n, const SpatialLayout& in, const int64_t factor[3], T* y);
template <class T>
void upsample_nearest_backward(const T* dy, int64_t n, const SpatialLayout& in, const int64_t factor[3], T* dx);

// Bilinear up-sampling of the h and w axes (d must be 1) by integer factors, as PyTorch's
// F.interpolate(mode='bilinear', align_corners=False) (Keras' torch backend): the source
// coordinate of output o is (o + 0.5) / factor - 0.5, clamped below at 0; the two
// neighbours along each axis are clamped to the edge. Backward is the transpose.
template <class T>
void upsample_bilinear_forward(const T* x, int64_t n, const SpatialLayout& in, const int64_t factor[3], T* y);
template <class T>
void upsample_bilinear_backward(const T* dy, int64_t n, const SpatialLayout& in, const int64_t factor[3], T* dx);

// Spatial dropout's mask: mask[s * channels + c] = 1 / (1 - rate) with probability
// 1 - rate, else 0, a pure function of (seed, step, s, c) drawn from Philox.
template <class T>
void channel_dropout_mask(uint64_t seed, uint64_t step, double rate, int64_t n, int64_t channels, T* mask);

// y = x * mask of the sample's channel, the channel being `outer` (channels_first) or
// `inner` (channels_last) of the layout. Also the backward (dx = dy * mask).
template <class T>
void scale_channels(const T* x, const T* mask, int64_t n, const SpatialLayout& layout, bool channels_first, T* y);

}  // namespace axon::kernels
