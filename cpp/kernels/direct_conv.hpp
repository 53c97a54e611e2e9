// Convolution straight from the input, without im2col: each group of output rows keeps its
// filters in vector registers while it walks the window's (tap, channel) elements. Faster
// than im2col + GEMM on every layer of the MNIST convnet (bench_conv): a first layer (3x3 taps
// over 1-3 channels, GEMM inner size 9-27) otherwise spends its time copying, packing and
// zero-filling, and on the 13x13x32 -> 64 layer it saves im2col and the GEMM's packing.
#pragma once
#include <cstdint>

#include "kernels/spatial.hpp"

namespace axon::kernels {

// z rows [row_begin, row_begin + rows) (row = sample * out_positions + position, channels
// last) = bias + sum over taps and all input channels of x * kernel, for one group with
// kernel (taps * channels, filters) in Keras order; bias may be null. Single-threaded.
// Returns false, doing nothing, for a filter count it has no register layout for (not a
// multiple of the 64-byte vector's lanes, or more than 4 vectors: 64 float filters).
template <class T>
bool direct_conv_rows(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* kernel, int64_t filters,
                      const T* bias, T* z);

// The kernel gradient's share of the same rows: dkernel (taps * channels, filters) += the
// window values of x times the rows of dz (rows x filters), in row order. Single-threaded;
// false, doing nothing, where direct_conv_rows would be false. Only pays for few input
// channels: dkernel must stay in L1 (a GEMM wins on the 13x13x32 -> 64 layer).
template <class T>
bool direct_conv_kernel_grad(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* dz,
                             int64_t filters, T* dkernel);

// Whether direct_conv_rows handles this many filters.
template <class T>
bool direct_conv_supported(int64_t filters);

}  // namespace axon::kernels
