// Conv1DTranspose, Conv2DTranspose and Conv3DTranspose: one N-d layer. Its forward pass is
// the input gradient of the convolution that maps its output back to its input.
#pragma once
#include "core/layer.hpp"
#include "layers/conv_stages.hpp"
#include "layers/dense.hpp"  // KernelBiasConfig
#include "layers/window.hpp"

namespace axon {

struct ConvTransposeConfig : KernelBiasConfig {
  int64_t filters = 0;
  WindowConfig window;                  // kernel_size, strides, dilation_rate, padding, data_format
  std::vector<int64_t> output_padding;  // empty: Keras' None
};

// The geometry of the convolution whose input is the transposed convolution's output:
// in = the output size Keras computes (compute_conv_transpose_output_shape), out = the given
// input size, channels = filters, padding placed as TensorFlow's conv_transpose places it.
// Throws ValueError naming `where` for a wrong input rank.
kernels::Window transpose_window(const ConvTransposeConfig& cfg, const Shape& input_shape, const std::string& where);

// With the window above (channels = F, taps K) and the input's C channels:
//   cols = x W^T: (N*I, K*F), W: Keras' (k..., F, C) seen as (K*F, C);
//   z = col2im(cols) + b: (N*O, F) channels_last.
// Backward: dcols = im2col(dz); dx = dcols W; dW += dcols^T x.
template <class T>
class ConvTranspose final : public Layer<T> {
 public:
  ConvTranspose(std::string name, ConvTransposeConfig cfg);
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  ConvTransposeConfig cfg_;
  const char* type_;
  Arena<T>* arena_ = nullptr;
  int kernel_ = -1, bias_ = -1;
  kernels::Window win_;
  int64_t cin_ = 0, rows_k_ = 0;  // input channels; K * F
  ChannelsLastInput<T> input_;
  ConvOutputStage<T> output_;
  Mat<T> cols_;  // (N*I, K*F): x W^T in forward, im2col(dz) in backward
};

}  // namespace axon
