#include "layers/depthwise.hpp"

#include "core/check.hpp"
#include "kernels/depthwise.hpp"
#include "kernels/kernels.hpp"

namespace axon {

namespace {
const char* depthwise_type(int rank, bool separable) {
  if (separable) return rank == 1 ? "SeparableConv1D" : "SeparableConv2D";
  return rank == 1 ? "DepthwiseConv1D" : "DepthwiseConv2D";
}
}  // namespace

template <class T>
Depthwise<T>::Depthwise(std::string name, DepthwiseConfig cfg)
    : Layer<T>(std::move(name)), cfg_(std::move(cfg)), type_(depthwise_type(cfg_.window.rank, cfg_.filters > 0)) {
  AXON_CHECK(cfg_.window.rank == 1 || cfg_.window.rank == 2, this->where(), ": rank must be 1 or 2, got ",
             cfg_.window.rank);
  // Keras lets a depthwise convolution be strided and dilated at once; so does the kernel.
  check_conv_family_args(cfg_.window, cfg_.activation, true, this->where());
  AXON_CHECK(cfg_.filters >= 0, this->where(), ": filters must be a positive integer, got ", cfg_.filters);
  AXON_CHECK(cfg_.depth_multiplier > 0, this->where(), ": depth_multiplier must be a positive integer, got ",
             cfg_.depth_multiplier);
}

template <class T>
Shape Depthwise<T>::build(const Shape& input_shape, Arena<T>& arena) {
  arena_ = &arena;
  win_ = make_window(cfg_.window, input_shape, this->where());
  AXON_CHECK(size_mul(win_.channels, cfg_.depth_multiplier, &cm_), this->where(), ": ", win_.channels,
             " input channels x depth_multiplier ", cfg_.depth_multiplier,
             " would be more than the 2^44 values one tensor can hold");
  out_channels_ = separable() ? cfg_.filters : cm_;
  Shape dshape(cfg_.window.size.begin(), cfg_.window.size.end());  // (k..., C, M)
  dshape.push_back(win_.channels);
  dshape.push_back(cfg_.depth_multiplier);
  // Keras names the depthwise kernel 'kernel' in DepthwiseConv, 'depthwise_kernel' in SeparableConv.
  depthwise_ = this->declare(arena, {separable() ? "depthwise_kernel" : "kernel", dshape, cfg_.kernel_initializer,
                                     cfg_.kernel_regularizer, true, cfg_.kernel_constraint});
  if (separable()) {
    Shape pshape(size_t(cfg_.window.rank), 1);  // (1..., C*M, filters)
    pshape.push_back(cm_);
    pshape.push_back(cfg_.filters);
    pointwise_ = this->declare(arena, {"pointwise_kernel", pshape, cfg_.pointwise_initializer,
                                       cfg_.pointwise_regularizer, true, cfg_.pointwise_constraint});
  }
  if (cfg_.use_bias)
    bias_ = this->declare(arena, {"bias", {out_channels_}, cfg_.bias_initializer, cfg_.bias_regularizer, true,
                                  cfg_.bias_constraint});
  const Shape out = window_output_shape(cfg_.window, win_, out_channels_, this->where());
  input_.build(cfg_.window.channels_first, win_.in_positions(), win_.channels);
  output_.build(cfg_.activation, out, cfg_.window.channels_first, win_.out_positions(), out_channels_,
                this->where());
  return out;
}

// x: (N, I*C), Wd: (K, C*M), d: (N*P, C*M), Wp: (C*M, F), z, y: (N, P*out_channels)
template <class T>
void Depthwise<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  const int64_t n = x.rows(), np = n * win_.out_positions();
  const T* xcl = input_.forward(x);
  T* z = output_.z_buffer(y);
  if (separable()) {
    d_.resize(np, cm_);
    kernels::depthwise_forward<T>(xcl, n, win_, cfg_.depth_multiplier, arena_->param(depthwise_), d_.data());
    kernels::matmul<T>(ConstMatMap<T>(d_.data(), np, cm_), false,
                       ConstMatMap<T>(arena_->param(pointwise_), cm_, cfg_.filters), false,
                       MatMap<T>(z, np, cfg_.filters));
  } else {
    kernels::depthwise_forward<T>(xcl, n, win_, cfg_.depth_multiplier, arena_->param(depthwise_), z);
  }
  output_.forward(cfg_.use_bias ? arena_->param(bias_) : nullptr, y);
}

template <class T>
void Depthwise<T>::backward(const Context&, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) {
  const int64_t n = dy.rows(), np = n * win_.out_positions();
  const bool train_b = cfg_.use_bias && arena_->spec(bias_).trainable;
  const T* dz = output_.backward(y, dy, train_b ? arena_->grad(bias_) : nullptr);
  const T* dd = dz;  // the gradient of the depthwise output
  if (separable()) {
    ConstMatMap<T> dzm(dz, np, cfg_.filters);
    if (arena_->spec(pointwise_).trainable)
      kernels::matmul<T>(ConstMatMap<T>(d_.data(), np, cm_), true, dzm, false,
                         MatMap<T>(arena_->grad(pointwise_), cm_, cfg_.filters), T(1), T(1));
    dd_.resize(np, cm_);
    kernels::matmul<T>(dzm, false, ConstMatMap<T>(arena_->param(pointwise_), cm_, cfg_.filters), true,
                       MatMap<T>(dd_.data(), np, cm_));
    dd = dd_.data();
  }
  if (arena_->spec(depthwise_).trainable)
    kernels::depthwise_backward_kernel<T>(input_.last(x), dd, n, win_, cfg_.depth_multiplier,
                                          arena_->grad(depthwise_));
  if (dx) {
    T* dxcl = input_.dx_buffer(*dx);
    kernels::depthwise_backward_input<T>(dd, n, win_, cfg_.depth_multiplier, arena_->param(depthwise_), dxcl);
    input_.finish_dx(*dx);
  }
}

template class Depthwise<float>;
template class Depthwise<double>;

}  // namespace axon
