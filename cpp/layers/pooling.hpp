// MaxPooling1D/2D/3D, AveragePooling1D/2D/3D and their Global* counterparts.
#pragma once
#include <vector>

#include "core/layer.hpp"
#include "layers/window.hpp"

namespace axon {

// Windowed pooling. Max pooling keeps the argmax of every output so backward sends each
// gradient to the element that won; average pooling divides by the taps inside the input.
template <class T>
class Pooling final : public Layer<T> {
 public:
  Pooling(std::string name, bool max, WindowConfig cfg);
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  bool max_;
  WindowConfig cfg_;
  const char* type_;
  kernels::Window win_;
  std::vector<int32_t> argmax_;  // per output element, resized with the batch
  Mat<T> x_cl_, y_cl_, dx_cl_;   // channels_first staging
};

// Global pooling over every spatial axis: (spatial..., C) -> (C) or, with keepdims,
// (1..., C) (channels_first: (C, 1...)).
template <class T>
class GlobalPooling final : public Layer<T> {
 public:
  GlobalPooling(std::string name, bool max, int rank, bool channels_first, bool keepdims);
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  bool max_;
  int rank_;
  bool channels_first_, keepdims_;
  const char* type_;
  int64_t outer_ = 1, len_ = 1, inner_ = 1;  // a sample as (outer, len, inner), len pooled
};

}  // namespace axon
