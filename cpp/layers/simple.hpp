// Parameter-free layers: Activation, Dropout, Reshape (Flatten is a Reshape to one axis).
#pragma once
#include "core/layer.hpp"

namespace axon {

// y = f(x) for any activation spec; also backs the ReLU, LeakyReLU, ELU and Softmax layers.
template <class T>
class ActivationLayer final : public Layer<T> {
 public:
  ActivationLayer(std::string name, ActivationSpec f, const char* type = "Activation");
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

  Activation output_activation() const override { return fusable_; }
  void keep_preactivation(bool keep) override { keep_z_ = keep; }
  const Mat<T>* preactivation() const override { return keep_z_ ? last_x_ : nullptr; }
  void backward_preactivation(const Context& ctx, const Mat<T>& x, Mat<T>& dz, Mat<T>* dx) override;

 private:
  ActivationSpec f_;
  const char* type_;
  AxisSpan span_;  // where axis-wise activations run in a sample
  Activation fusable_ = Activation::linear;
  bool keep_z_ = false;
  const Mat<T>* last_x_ = nullptr;  // the graph keeps x alive until backward
};

template <class T>
class Dropout final : public Layer<T> {
 public:
  Dropout(std::string name, double rate, uint64_t seed);
  const char* type() const override { return "Dropout"; }
  Shape build(const Shape& input_shape, Arena<T>&) override { return input_shape; }
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  double rate_;
  uint64_t seed_;
};

template <class T>
class Reshape final : public Layer<T> {
 public:
  // target may hold one -1, inferred from the input size (as Keras allows).
  Reshape(std::string name, Shape target, const char* type) : Layer<T>(std::move(name)), target_(std::move(target)), type_(type) {}
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  bool is_view() const override { return true; }  // row-major data is already in the new shape
  void forward(const Context&, const Mat<T>& x, Mat<T>& y) override { y = x; }
  void backward(const Context&, const Mat<T>&, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) override {
    if (dx) *dx = dy;  // row-major layout is unchanged by a reshape
  }

 private:
  Shape target_;
  const char* type_;
};

}  // namespace axon
