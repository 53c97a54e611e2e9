// DepthwiseConv1D/2D and SeparableConv1D/2D: one layer. A depthwise convolution (each
// input channel with its own depth_multiplier filters), optionally followed by a 1x1
// pointwise matmul to `filters` channels (separable).
#pragma once
#include "core/layer.hpp"
#include "layers/conv_stages.hpp"
#include "layers/dense.hpp"  // KernelBiasConfig
#include "layers/window.hpp"

namespace axon {

// kernel_* are the depthwise kernel's arguments (Keras' depthwise_*).
struct DepthwiseConfig : KernelBiasConfig {
  WindowConfig window;  // kernel_size, strides, dilation_rate, padding, data_format
  int64_t depth_multiplier = 1;
  int64_t filters = 0;  // > 0: separable, with a pointwise kernel to this many channels
  InitSpec pointwise_initializer{"glorot_uniform"};
  RegSpec pointwise_regularizer;
  ConstraintSpec pointwise_constraint;
};

// Depthwise: z = depthwise(x, Wd) + b: (N*P, C*M) channels_last, Wd: (K, C*M).
// Separable: d = depthwise(x, Wd) kept for backward; z = d Wp + b, Wp: (C*M, F).
template <class T>
class Depthwise final : public Layer<T> {
 public:
  Depthwise(std::string name, DepthwiseConfig cfg);
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  bool separable() const { return cfg_.filters > 0; }
  DepthwiseConfig cfg_;
  const char* type_;
  Arena<T>* arena_ = nullptr;
  int depthwise_ = -1, pointwise_ = -1, bias_ = -1;
  kernels::Window win_;
  int64_t cm_ = 0, out_channels_ = 0;  // C * depth_multiplier; the output's channels
  ChannelsLastInput<T> input_;
  ConvOutputStage<T> output_;
  Mat<T> d_, dd_;  // separable: the depthwise output and its gradient, (N*P, C*M)
};

}  // namespace axon
