#include "layers/pooling.hpp"

#include <algorithm>
#include <limits>

#include "core/check.hpp"
#include "kernels/spatial.hpp"

namespace axon {

namespace {
const char* pool_type(bool max, int rank) {
  static const char* const kNames[2][3] = {{"AveragePooling1D", "AveragePooling2D", "AveragePooling3D"},
                                           {"MaxPooling1D", "MaxPooling2D", "MaxPooling3D"}};
  return kNames[max ? 1 : 0][rank >= 1 && rank <= 3 ? rank - 1 : 0];
}
const char* global_type(bool max, int rank) {
  static const char* const kNames[2][3] = {
      {"GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D"},
      {"GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D"}};
  return kNames[max ? 1 : 0][rank >= 1 && rank <= 3 ? rank - 1 : 0];
}
}  // namespace

template <class T>
Pooling<T>::Pooling(std::string name, bool max, WindowConfig cfg)
    : Layer<T>(std::move(name)), max_(max), cfg_(std::move(cfg)), type_(pool_type(max, cfg_.rank)) {
  cfg_.dilation.assign(size_t(std::max(cfg_.rank, 0)), 1);
  check_window(cfg_, this->where());
}

template <class T>
Shape Pooling<T>::build(const Shape& input_shape, Arena<T>&) {
  win_ = make_window(cfg_, input_shape, this->where());
  // argmax holds element indices within a sample as int32 (half the memory of int64).
  AXON_CHECK(shape_size(input_shape) <= std::numeric_limits<int32_t>::max(), this->where(), ": input ",
             batch_shape_str(input_shape), " has too many values per sample");
  return window_output_shape(cfg_, win_, win_.channels, this->where());
}

// x: (N, in positions * C), y: (N, out positions * C), channels_last inside the kernels
template <class T>
void Pooling<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  const int64_t n = x.rows(), c = win_.channels, p = win_.out_positions();
  const bool cf = cfg_.channels_first;
  const T* xin = x.data();
  if (cf) {
    x_cl_.resize(n, x.cols());
    kernels::transpose_samples<T>(x.data(), n, c, win_.in_positions(), x_cl_.data());
    xin = x_cl_.data();
    y_cl_.resize(n, y.cols());
  }
  T* yout = cf ? y_cl_.data() : y.data();
  if (max_) {
    argmax_.resize(size_t(y.size()));
    kernels::max_pool_forward<T>(xin, n, win_, yout, argmax_.data());
  } else {
    kernels::avg_pool_forward<T>(xin, n, win_, yout);
  }
  if (cf) kernels::transpose_samples<T>(yout, n, p, c, y.data());
}

template <class T>
void Pooling<T>::backward(const Context&, const Mat<T>&, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) {
  if (!dx) return;
  const int64_t n = dy.rows(), c = win_.channels, p = win_.out_positions();
  const bool cf = cfg_.channels_first;
  const T* dyin = dy.data();
  if (cf) {
    y_cl_.resize(n, dy.cols());  // the forward's staging, free again
    kernels::transpose_samples<T>(dy.data(), n, c, p, y_cl_.data());
    dyin = y_cl_.data();
    dx_cl_.resize(n, dx->cols());
  }
  T* dxout = cf ? dx_cl_.data() : dx->data();
  if (max_)
    kernels::max_pool_backward<T>(dyin, argmax_.data(), n, win_, dxout);
  else
    kernels::avg_pool_backward<T>(dyin, n, win_, dxout);
  if (cf) kernels::transpose_samples<T>(dxout, n, win_.in_positions(), c, dx->data());
}

template <class T>
GlobalPooling<T>::GlobalPooling(std::string name, bool max, int rank, bool channels_first, bool keepdims)
    : Layer<T>(std::move(name)),
      max_(max),
      rank_(rank),
      channels_first_(channels_first),
      keepdims_(keepdims),
      type_(global_type(max, rank)) {
  AXON_CHECK(rank >= 1 && rank <= 3, this->where(), ": rank must be 1, 2 or 3, got ", rank);
}

template <class T>
Shape GlobalPooling<T>::build(const Shape& input_shape, Arena<T>&) {
  AXON_CHECK(int(input_shape.size()) == rank_ + 1, this->where(), ": expected an input of rank ",
             rank_ + 2, " (batch, ", channels_first_ ? "channels, " : "", rank_ == 1 ? "steps" : "spatial axes",
             channels_first_ ? "" : ", channels", "), got shape ", batch_shape_str(input_shape));
  const int64_t channels = channels_first_ ? input_shape.front() : input_shape.back();
  len_ = shape_size(input_shape) / channels;
  outer_ = channels_first_ ? channels : 1;
  inner_ = channels_first_ ? 1 : channels;
  if (!keepdims_) return {channels};
  Shape out(size_t(rank_), 1);
  out.insert(channels_first_ ? out.begin() : out.end(), channels);
  return out;
}

// x: (N, outer * len * inner), y: (N, outer * inner)
template <class T>
void GlobalPooling<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  kernels::global_pool_forward<T>(max_, x.data(), x.rows(), outer_, len_, inner_, y.data());
}

template <class T>
void GlobalPooling<T>::backward(const Context&, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) {
  if (dx)
    kernels::global_pool_backward<T>(max_, x.data(), y.data(), dy.data(), x.rows(), outer_, len_, inner_, dx->data());
}

template class Pooling<float>;
template class Pooling<double>;
template class GlobalPooling<float>;
template class GlobalPooling<double>;

}  // namespace axon
