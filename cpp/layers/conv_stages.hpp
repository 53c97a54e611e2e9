// The two ends every layer of the convolution family shares (transposed, depthwise and
// separable convolutions): the input seen as channels_last, and the output stage
// z (channels_last) + bias -> data_format -> activation, with their backward passes.
// The core of each layer then only ever works on channels_last (positions, channels) rows.
#pragma once
#include <string>

#include "core/layer.hpp"
#include "kernels/kernels.hpp"
#include "kernels/spatial.hpp"
#include "layers/window.hpp"

namespace axon {

// The checks these layers share: the window ('valid' or 'same' padding only), strides > 1
// with dilation_rate > 1 where Keras refuses it, and an activation that keeps the shape.
inline void check_conv_family_args(const WindowConfig& window, const ActivationSpec& activation,
                                   bool allow_strided_dilation, const std::string& where) {
  check_window(window, where);
  AXON_CHECK(window.padding != "causal", where, ": padding must be 'valid' or 'same', got 'causal'");
  bool strided = false, dilated = false;
  for (int i = 0; i < window.rank; ++i) {
    strided |= window.strides[size_t(i)] > 1;
    dilated |= window.dilation[size_t(i)] > 1;
  }
  AXON_CHECK(allow_strided_dilation || !(strided && dilated), where,
             ": strides > 1 is not supported together with dilation_rate > 1");
  validate_activation(activation, where);
  AXON_CHECK(activation.kind != Activation::glu, where,
             ": activation 'glu' changes the output shape; put it in an Activation layer after the convolution");
}

// x (N, positions * channels) in the layer's data format <-> channels_last.
template <class T>
class ChannelsLastInput {
 public:
  void build(bool channels_first, int64_t positions, int64_t channels) {
    cf_ = channels_first, positions_ = positions, channels_ = channels;
  }
  // x as channels_last: x itself, or a transposed copy kept until the next forward.
  const T* forward(const Mat<T>& x) {
    if (!cf_) return x.data();
    x_cl_.resize(x.rows(), x.cols());
    kernels::transpose_samples<T>(x.data(), x.rows(), channels_, positions_, x_cl_.data());
    return x_cl_.data();
  }
  // The channels_last x of the last forward (for backward).
  const T* last(const Mat<T>& x) const { return cf_ ? x_cl_.data() : x.data(); }
  // The channels_last buffer backward writes dx into (zeroed); finish_dx puts it in dx.
  T* dx_buffer(Mat<T>& dx) {
    T* d = dx.data();
    if (cf_) {
      dx_cl_.resize(dx.rows(), dx.cols());
      d = dx_cl_.data();
    }
    MatMap<T>(d, dx.rows(), dx.cols()).setZero();
    return d;
  }
  void finish_dx(Mat<T>& dx) {
    if (cf_) kernels::transpose_samples<T>(dx_cl_.data(), dx.rows(), positions_, channels_, dx.data());
  }

 private:
  bool cf_ = false;
  int64_t positions_ = 0, channels_ = 0;
  Mat<T> x_cl_, dx_cl_;
};

// z (N * positions, channels) channels_last -> y = activation(z + bias) in the data format.
template <class T>
class ConvOutputStage {
 public:
  // out: the per-sample output shape (for an axis-wise activation's span).
  void build(const ActivationSpec& activation, const Shape& out, bool channels_first, int64_t positions,
             int64_t channels, const std::string& where) {
    act_ = activation;
    cf_ = channels_first, positions_ = positions, channels_ = channels;
    span_ = activation_span(activation, out, true, where);
    needs_z_ = activation_needs_input(activation);
  }
  // Where forward writes z (channels_last) for a batch of y.rows() samples: y itself when
  // neither the layout nor the activation's backward needs another buffer.
  T* z_buffer(Mat<T>& y) {
    const int64_t n = y.rows();
    if (needs_z_) z_.resize(n, y.cols());
    if (cf_) z_cl_.resize(n, y.cols());
    return cf_ ? z_cl_.data() : needs_z_ ? z_.data() : y.data();
  }
  // Adds the bias (may be null) to z_buffer(y), then lays out and activates it into y.
  void forward(const T* bias, Mat<T>& y) {
    const int64_t n = y.rows();
    T* zcl = cf_ ? z_cl_.data() : needs_z_ ? z_.data() : y.data();
    if (bias) kernels::add_row_vector<T>(MatMap<T>(zcl, n * positions_, channels_), bias);
    T* z = needs_z_ ? z_.data() : y.data();  // the pre-activation in the output layout
    if (cf_) kernels::transpose_samples<T>(zcl, n, positions_, channels_, z);
    kernels::activation_forward<T>(act_, z, y.data(), y.size(), span_);
  }
  // dy -> dz (channels_last, (N * positions, channels)); dy is overwritten. Accumulates the
  // bias gradient into db unless it is null.
  const T* backward(const Mat<T>& y, Mat<T>& dy, T* db) {
    const int64_t n = dy.rows();
    kernels::activation_backward<T>(act_, needs_z_ ? z_.data() : nullptr, y.data(), dy.data(), dy.data(), dy.size(),
                                    span_);
    const T* dz = dy.data();
    if (cf_) {
      dz_cl_.resize(n, dy.cols());
      kernels::transpose_samples<T>(dy.data(), n, channels_, positions_, dz_cl_.data());
      dz = dz_cl_.data();
    }
    if (db) kernels::column_sums_accumulate<T>(ConstMatMap<T>(dz, n * positions_, channels_), db);
    return dz;
  }

 private:
  ActivationSpec act_;
  bool cf_ = false, needs_z_ = false;
  int64_t positions_ = 0, channels_ = 0;
  AxisSpan span_;
  Mat<T> z_, z_cl_, dz_cl_;
};

}  // namespace axon
