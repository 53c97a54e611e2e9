#include "layers/dense.hpp"

#include "core/check.hpp"
#include "kernels/kernels.hpp"

namespace axon {

template <class T>
Dense<T>::Dense(std::string name, DenseConfig cfg) : Layer<T>(std::move(name)), cfg_(std::move(cfg)) {
  AXON_CHECK(cfg_.units > 0, this->where(), ": units must be a positive integer, got ", cfg_.units);
  validate_activation(cfg_.activation, "Dense '" + this->name_ + "'");
}

template <class T>
Shape Dense<T>::build(const Shape& input_shape, Arena<T>& arena) {
  AXON_CHECK(!input_shape.empty(), this->where(), ": expected an input with at least one ",
             "feature axis, got shape ", batch_shape_str(input_shape));
  arena_ = &arena;
  in_ = input_shape.back();
  rows_per_sample_ = shape_size(input_shape) / in_;
  kernel_ = this->declare(arena, {"kernel", {in_, cfg_.units}, cfg_.kernel_initializer, cfg_.kernel_regularizer,
                                  true, cfg_.kernel_constraint});
  if (cfg_.use_bias)
    bias_ = this->declare(arena, {"bias", {cfg_.units}, cfg_.bias_initializer, cfg_.bias_regularizer, true,
                                  cfg_.bias_constraint});
  Shape pre = input_shape;
  pre.back() = cfg_.units;
  const std::string where = "Dense '" + this->name_ + "'";
  span_ = activation_span(cfg_.activation, pre, true, where);
  fusable_ = fusable_activation(cfg_.activation, pre);
  needs_z_ = activation_needs_input(cfg_.activation) || cfg_.activation.kind == Activation::glu;
  return activation_output_shape(cfg_.activation, pre, true, where);
}

// x: (N, r*in) seen as (N*r, in), W: (in, units), z: (N*r, units), y = f(z): (N, out size)
template <class T>
void Dense<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  const int64_t rows = x.rows() * rows_per_sample_;
  // z_ is (N, r*units) like y was, the shape a fused loss reads; resize is a no-op while the
  // batch size is unchanged.
  if (separate_z()) z_.resize(x.rows(), rows_per_sample_ * cfg_.units);
  T* z = separate_z() ? z_.data() : y.data();      // otherwise the activation runs in place
  MatMap<T> zm(z, rows, cfg_.units);
  kernels::matmul<T>(ConstMatMap<T>(x.data(), rows, in_), false, kernel(), false, zm);
  if (cfg_.use_bias) kernels::add_row_vector<T>(zm, arena_->param(bias_));
  kernels::activation_forward<T>(cfg_.activation, z, y.data(), rows * cfg_.units, span_);
}

template <class T>
void Dense<T>::backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) {
  const int64_t rows = x.rows() * rows_per_sample_;
  const T* z = needs_z_ ? z_.data() : nullptr;
  if (cfg_.activation.kind == Activation::glu) {
    dz_.resize(x.rows(), rows_per_sample_ * cfg_.units);
    kernels::activation_backward<T>(cfg_.activation, z, y.data(), dy.data(), dz_.data(), rows * cfg_.units, span_);
    backward_preactivation(ctx, x, dz_, dx);
    return;
  }
  // dz overwrites dy in place: the graph does not need dy afterwards.
  kernels::activation_backward<T>(cfg_.activation, z, y.data(), dy.data(), dy.data(), rows * cfg_.units, span_);
  backward_preactivation(ctx, x, dy, dx);
}

// dz: (N*r, units); dW += x^T dz; db += colsum(dz); dx = dz W^T
template <class T>
void Dense<T>::backward_preactivation(const Context&, const Mat<T>& x, Mat<T>& dz, Mat<T>* dx) {
  const int64_t rows = x.rows() * rows_per_sample_;
  ConstMatMap<T> xm(x.data(), rows, in_);
  ConstMatMap<T> dzm(dz.data(), rows, cfg_.units);
  if (arena_->spec(kernel_).trainable)
    kernels::matmul<T>(xm, true, dzm, false, arena_->grad_mat(kernel_), T(1), T(1));
  if (cfg_.use_bias && arena_->spec(bias_).trainable) kernels::column_sums_accumulate<T>(dzm, arena_->grad(bias_));
  if (dx) kernels::matmul<T>(dzm, false, kernel(), true, MatMap<T>(dx->data(), rows, in_));
}

template class Dense<float>;
template class Dense<double>;

}  // namespace axon
