// Convolution straight from the input, for layers with few input channels (a first layer:
// 3x3 taps over 1-3 channels gives a GEMM inner size of 9-27, where im2col + GEMM spends
// its time copying, packing and zero-filling rather than multiplying). Each output row
// keeps its filters in vector registers while it walks the taps.
#pragma once
#include <cstdint>

#include "kernels/spatial.hpp"

namespace axon::kernels {

// z rows [row_begin, row_begin + rows) (row = sample * out_positions + position, channels
// last) = bias + sum over taps and all input channels of x * kernel, for one group with
// kernel (taps * channels, filters) in Keras order; bias may be null. Single-threaded.
// Returns false, doing nothing, for a filter count it has no register layout for (not a
// multiple of the 64-byte vector's lanes, or more than 8 vectors).
template <class T>
bool direct_conv_rows(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* kernel, int64_t filters,
                      const T* bias, T* z);

// Whether direct_conv_rows handles this many filters.
template <class T>
bool direct_conv_supported(int64_t filters);

}  // namespace axon::kernels
