// Depthwise convolution kernels: each input channel c convolved with its own
// depth_multiplier (m) filters, output channel c*m + j (Keras' DepthwiseConv layout).
// Samples are channels_last over the Window's three spatial axes (see spatial.hpp);
// w.channels is the input's channel count C; the kernel is (taps, C*m) row-major, which
// is Keras' (k..., C, m). The inner loops run over channels, contiguous in channels_last.
#pragma once
#include <cstdint>

#include "kernels/spatial.hpp"

namespace axon::kernels {

// y: (N, out_positions * C*m), overwritten.
template <class T>
void depthwise_forward(const T* x, int64_t n, const Window& w, int64_t m, const T* kernel, T* y);

// dx: (N, in_positions * C) += the input gradient. One thread per sample.
template <class T>
void depthwise_backward_input(const T* dy, int64_t n, const Window& w, int64_t m, const T* kernel, T* dx);

// dkernel: (taps, C*m) += the kernel gradient, each entry summed over samples and positions
// in a fixed order by one thread, so the result does not depend on the thread count.
template <class T>
void depthwise_backward_kernel(const T* x, const T* dy, int64_t n, const Window& w, int64_t m, T* dkernel);

}  // namespace axon::kernels
