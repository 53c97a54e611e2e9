#include "layers/conv.hpp"

#include "core/check.hpp"
#include "kernels/kernels.hpp"
#include "kernels/spatial.hpp"

namespace axon {

namespace {
const char* conv_type(int rank) { return rank == 1 ? "Conv1D" : rank == 2 ? "Conv2D" : "Conv3D"; }
}  // namespace

template <class T>
Conv<T>::Conv(std::string name, ConvConfig cfg)
    : Layer<T>(std::move(name)), cfg_(std::move(cfg)), type_(conv_type(cfg_.window.rank)) {
  check_window(cfg_.window, this->where());
  AXON_CHECK(cfg_.filters > 0, this->where(), ": filters must be a positive integer, got ", cfg_.filters);
  AXON_CHECK(cfg_.groups > 0, this->where(), ": groups must be a positive integer, got ", cfg_.groups);
  AXON_CHECK(cfg_.filters % cfg_.groups == 0, this->where(), ": filters (", cfg_.filters,
             ") must be divisible by groups (", cfg_.groups, ")");
  bool strided = false, dilated = false;
  for (int i = 0; i < cfg_.window.rank; ++i) {
    strided |= cfg_.window.strides[size_t(i)] > 1;
    dilated |= cfg_.window.dilation[size_t(i)] > 1;
  }
  // Keras refuses the combination too.
  AXON_CHECK(!(strided && dilated), this->where(), ": strides > 1 is not supported together with dilation_rate > 1");
  validate_activation(cfg_.activation, this->where());
  AXON_CHECK(cfg_.activation.kind != Activation::glu, this->where(),
             ": activation 'glu' changes the output shape; put it in an Activation layer after the convolution");
}

template <class T>
Shape Conv<T>::build(const Shape& input_shape, Arena<T>& arena) {
  arena_ = &arena;
  win_ = make_window(cfg_.window, input_shape, this->where());
  AXON_CHECK(win_.channels % cfg_.groups == 0, this->where(), ": the input's channels (", win_.channels,
             ") must be divisible by groups (", cfg_.groups, "); input shape ", batch_shape_str(input_shape));
  cin_g_ = win_.channels / cfg_.groups;
  f_g_ = cfg_.filters / cfg_.groups;
  rows_k_ = win_.taps() * cin_g_;
  Shape kshape(cfg_.window.size.begin(), cfg_.window.size.end());  // (k..., C/groups, filters)
  kshape.push_back(cin_g_);
  kshape.push_back(cfg_.filters);
  kernel_ = this->declare(arena, {"kernel", kshape, cfg_.kernel_initializer, cfg_.kernel_regularizer, true,
                                  cfg_.kernel_constraint});
  if (cfg_.use_bias)
    bias_ = this->declare(arena, {"bias", {cfg_.filters}, cfg_.bias_initializer, cfg_.bias_regularizer, true,
                                  cfg_.bias_constraint});
  const Shape out = window_output_shape(cfg_.window, win_, cfg_.filters);
  span_ = activation_span(cfg_.activation, out, true, this->where());
  needs_z_ = activation_needs_input(cfg_.activation);
  return out;
}

// x: (N, in positions * C), cols: (N*P, K*Cg) per group, W: (K*Cg, F), z, y: (N, P*F)
template <class T>
void Conv<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  const int64_t n = x.rows(), p = win_.out_positions(), f = cfg_.filters, np = n * p;
  const bool cf = cfg_.window.channels_first;
  const T* xin = x.data();
  if (cf) {
    x_cl_.resize(n, x.cols());
    kernels::transpose_samples<T>(x.data(), n, win_.channels, win_.in_positions(), x_cl_.data());
    xin = x_cl_.data();
  }
  if (needs_z_) z_.resize(n, p * f);
  if (cf) z_cl_.resize(n, p * f);
  // The channels_last pre-activation: y itself when nothing else needs it.
  T* zcl = cf ? z_cl_.data() : needs_z_ ? z_.data() : y.data();
  MatMap<T> zm(zcl, np, f);
  cols_.resize(cfg_.groups * np, rows_k_);
  const T* w = arena_->param(kernel_);
  for (int64_t g = 0; g < cfg_.groups; ++g) {
    T* cols = cols_.data() + g * np * rows_k_;
    kernels::im2col<T>(xin, n, win_, g * cin_g_, cin_g_, cols);
    if (cfg_.groups == 1) {
      kernels::matmul<T>(ConstMatMap<T>(cols, np, rows_k_), false, ConstMatMap<T>(w, rows_k_, f), false, zm);
      continue;
    }
    // A group's filters are a column block of W and of z: gather, multiply, scatter.
    w_g_.resize(rows_k_, f_g_);
    z_g_.resize(np, f_g_);
    kernels::copy_block<T>(w + g * f_g_, f, w_g_.data(), f_g_, rows_k_, f_g_, false);
    kernels::matmul<T>(ConstMatMap<T>(cols, np, rows_k_), false, ConstMatMap<T>(w_g_.data(), rows_k_, f_g_), false,
                       MatMap<T>(z_g_.data(), np, f_g_));
    kernels::copy_block<T>(z_g_.data(), f_g_, zcl + g * f_g_, f, np, f_g_, false);
  }
  if (cfg_.use_bias) kernels::add_row_vector<T>(zm, arena_->param(bias_));
  T* z = needs_z_ ? z_.data() : y.data();  // the pre-activation in the output layout
  if (cf) kernels::transpose_samples<T>(zcl, n, p, f, z);
  kernels::activation_forward<T>(cfg_.activation, z, y.data(), n * p * f, span_);
}

template <class T>
void Conv<T>::backward(const Context&, const Mat<T>&, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) {
  // dz overwrites dy in place: the graph does not need dy afterwards.
  kernels::activation_backward<T>(cfg_.activation, needs_z_ ? z_.data() : nullptr, y.data(), dy.data(), dy.data(),
                                  dy.size(), span_);
  backward_z(dy, dx);
}

// dz: (N*P, F) channels_last; dW += cols^T dz; db += colsum(dz); dcols = dz W^T; dx = col2im(dcols)
template <class T>
void Conv<T>::backward_z(Mat<T>& dz_out, Mat<T>* dx) {
  const int64_t n = dz_out.rows(), p = win_.out_positions(), f = cfg_.filters, np = n * p;
  const bool cf = cfg_.window.channels_first;
  const T* dz = dz_out.data();
  if (cf) {
    dz_cl_.resize(n, p * f);
    kernels::transpose_samples<T>(dz_out.data(), n, f, p, dz_cl_.data());
    dz = dz_cl_.data();
  }
  ConstMatMap<T> dzm(dz, np, f);
  const bool train_w = arena_->spec(kernel_).trainable;
  if (cfg_.use_bias && arena_->spec(bias_).trainable) kernels::column_sums_accumulate<T>(dzm, arena_->grad(bias_));
  T* dxcl = nullptr;
  if (dx) {
    if (cf) dx_cl_.resize(n, dx->cols());
    dxcl = cf ? dx_cl_.data() : dx->data();
    MatMap<T>(dxcl, n, dx->cols()).setZero();
    dcols_.resize(np, rows_k_);
  }
  const T* w = arena_->param(kernel_);
  T* dw = arena_->grad(kernel_);
  for (int64_t g = 0; g < cfg_.groups; ++g) {
    ConstMatMap<T> cols(cols_.data() + g * np * rows_k_, np, rows_k_);
    MatMap<T> dcols(dcols_.data(), np, rows_k_);
    if (cfg_.groups == 1) {
      if (train_w) kernels::matmul<T>(cols, true, dzm, false, MatMap<T>(dw, rows_k_, f), T(1), T(1));
      if (dx) kernels::matmul<T>(dzm, false, ConstMatMap<T>(w, rows_k_, f), true, dcols);
    } else {
      z_g_.resize(np, f_g_);
      kernels::copy_block<T>(dz + g * f_g_, f, z_g_.data(), f_g_, np, f_g_, false);
      ConstMatMap<T> dzg(z_g_.data(), np, f_g_);
      if (train_w) {
        dw_g_.resize(rows_k_, f_g_);
        kernels::matmul<T>(cols, true, dzg, false, MatMap<T>(dw_g_.data(), rows_k_, f_g_));
        kernels::copy_block<T>(dw_g_.data(), f_g_, dw + g * f_g_, f, rows_k_, f_g_, true);
      }
      if (dx) {
        w_g_.resize(rows_k_, f_g_);
        kernels::copy_block<T>(w + g * f_g_, f, w_g_.data(), f_g_, rows_k_, f_g_, false);
        kernels::matmul<T>(dzg, false, ConstMatMap<T>(w_g_.data(), rows_k_, f_g_), true, dcols);
      }
    }
    if (dx) kernels::col2im_accumulate<T>(dcols_.data(), n, win_, g * cin_g_, cin_g_, dxcl);
  }
  if (dx && cf) kernels::transpose_samples<T>(dxcl, n, win_.in_positions(), win_.channels, dx->data());
}

template class Conv<float>;
template class Conv<double>;

}  // namespace axon
