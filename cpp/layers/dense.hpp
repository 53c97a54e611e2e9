#pragma once
#include "core/layer.hpp"

namespace axon {

// The arguments every layer with a kernel and a bias takes (Dense, the convolutions).
struct KernelBiasConfig {
  ActivationSpec activation;
  bool use_bias = true;
  InitSpec kernel_initializer{"glorot_uniform"};
  InitSpec bias_initializer{"zeros"};
  RegSpec kernel_regularizer, bias_regularizer;
  ConstraintSpec kernel_constraint, bias_constraint;
};

struct DenseConfig : KernelBiasConfig {
  int64_t units = 0;
};

// y = activation(x W + b) over the last axis; leading per-sample axes are kept, as in Keras.
// (glu halves its axis, so the output can be smaller than x W + b.)
template <class T>
class Dense final : public Layer<T> {
 public:
  Dense(std::string name, DenseConfig cfg);
  const char* type() const override { return "Dense"; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

  Activation output_activation() const override { return fusable_; }
  void keep_preactivation(bool keep) override { keep_z_ = keep; }
  const Mat<T>* preactivation() const override { return keep_z_ ? &z_ : nullptr; }
  void backward_preactivation(const Context& ctx, const Mat<T>& x, Mat<T>& dz, Mat<T>* dx) override;

 private:
  ConstMatMap<T> kernel() const { return ConstMatMap<T>(arena_->param(kernel_), in_, cfg_.units); }
  bool separate_z() const { return keep_z_ || needs_z_; }
  DenseConfig cfg_;
  Arena<T>* arena_ = nullptr;
  int kernel_ = -1, bias_ = -1;
  int64_t in_ = 0;              // size of the last input axis
  int64_t rows_per_sample_ = 1;  // product of the leading per-sample axes
  AxisSpan span_;               // where axis-wise activations run in x W + b
  Activation fusable_ = Activation::linear;
  bool needs_z_ = false;  // the activation's backward reads x W + b
  bool keep_z_ = false;   // a fused loss reads x W + b
  // Workspaces, resized only when the batch size changes: the pre-activation x W + b when
  // separate_z(), and its gradient when it differs in size from dy (glu).
  Mat<T> z_, dz_;
};

}  // namespace axon
