// Device-neutral kernels for layers that slide a window over spatial axes: convolution
// (im2col/col2im around kernels::matmul), pooling, and the layout helpers they share.
//
// Every op sees a sample as channels_last (d, h, w, c) with three spatial axes; 1-D and
// 2-D layers set the unused leading axes to size 1. A batch is N such samples back to back.
// The batch-wide loops parallelize over samples (or rows), each output written by one
// thread, so the results do not depend on the thread count; the *_rows variants are
// single-threaded, for callers that run one chunk per thread.
#pragma once
#include <cstdint>

#include "core/tensor.hpp"

namespace axon::kernels {

// The geometry of one windowed op over three spatial axes (unused axes: in = out = k = 1).
struct Window {
  int64_t in[3] = {1, 1, 1};      // input spatial size
  int64_t out[3] = {1, 1, 1};     // output spatial size
  int64_t k[3] = {1, 1, 1};       // window (kernel / pool) size
  int64_t stride[3] = {1, 1, 1};
  int64_t dilation[3] = {1, 1, 1};
  int64_t pad[3] = {0, 0, 0};     // padding before each axis (after is implied by out)
  int64_t channels = 1;           // input channels
  int64_t in_positions() const { return in[0] * in[1] * in[2]; }
  int64_t out_positions() const { return out[0] * out[1] * out[2]; }
  int64_t taps() const { return k[0] * k[1] * k[2]; }
};

// cols: (N * out_positions, taps * c_count), row (n, p) = the window at output position p of
// sample n over channels [c_begin, c_begin + c_count), zeros where it overhangs the input.
// Column order (kd, kh, kw, c) matches a Keras kernel (kd, kh, kw, c_in, filters).
template <class T>
void im2col(const T* x, int64_t n, const Window& w, int64_t c_begin, int64_t c_count, T* cols);

// The adjoint: dx[channels c_begin..] += each cols entry at the input element it came from.
template <class T>
void col2im_accumulate(const T* cols, int64_t n, const Window& w, int64_t c_begin, int64_t c_count, T* dx);

// The same two on rows [row_begin, row_begin + rows) of the (N * out_positions) row space,
// single-threaded: a layer that blocks its work for the cache runs one chunk per thread.
// x and dx point at sample 0 of the row space; cols holds just the chunk's rows.
template <class T>
void im2col_rows(const T* x, const Window& w, int64_t row_begin, int64_t rows, int64_t c_begin, int64_t c_count,
                 T* cols);
template <class T>
void col2im_rows_accumulate(const T* cols, const Window& w, int64_t row_begin, int64_t rows, int64_t c_begin,
                            int64_t c_count, T* dx);

// Per sample, (a, b) row-major -> (b, a): channels_first <-> channels_last.
template <class T>
void transpose_samples(const T* src, int64_t n, int64_t a, int64_t b, T* dst);

// dst(r, c) = src(r, c) (or += when accumulate) for a rows x cols block of two strided
// matrices (leading dimensions src_ld, dst_ld): one group's columns in grouped convolution.
template <class T>
void copy_block(const T* src, int64_t src_ld, T* dst, int64_t dst_ld, int64_t rows, int64_t cols, bool accumulate);

// Max pooling; argmax[i] is the input element (index within its sample) that y[i] came
// from, so backward routes each gradient to its max. Padding never wins (TF/Keras).
template <class T>
void max_pool_forward(const T* x, int64_t n, const Window& w, T* y, int32_t* argmax);
template <class T>
void max_pool_backward(const T* dy, const int32_t* argmax, int64_t n, const Window& w, T* dx);

// Average pooling over the window's elements inside the input (padding is not counted, as
// Keras' 'same' pooling does).
template <class T>
void avg_pool_forward(const T* x, int64_t n, const Window& w, T* y);
template <class T>
void avg_pool_backward(const T* dy, int64_t n, const Window& w, T* dx);

// Global pooling of each sample seen as (outer, len, inner) over the len axis:
// channels_last is (1, positions, channels), channels_first (channels, positions, 1).
// y: (n, outer * inner). Max ties go to the first occurrence.
template <class T>
void global_pool_forward(bool max, const T* x, int64_t n, int64_t outer, int64_t len, int64_t inner, T* y);
template <class T>
void global_pool_backward(bool max, const T* x, const T* y, const T* dy, int64_t n, int64_t outer, int64_t len,
                          int64_t inner, T* dx);

}  // namespace axon::kernels
