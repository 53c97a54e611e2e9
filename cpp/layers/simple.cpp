#include "layers/simple.hpp"

#include "core/check.hpp"
#include "kernels/kernels.hpp"

namespace axon {

template <class T>
ActivationLayer<T>::ActivationLayer(std::string name, ActivationSpec f, const char* type)
    : Layer<T>(std::move(name)), f_(f), type_(type) {
  validate_activation(f_, this->where());
}

template <class T>
Shape ActivationLayer<T>::build(const Shape& input_shape, Arena<T>&) {
  const std::string where = this->where();
  span_ = activation_span(f_, input_shape, true, where);
  fusable_ = fusable_activation(f_, input_shape);
  return activation_output_shape(f_, input_shape, true, where);
}

// x: (N, in size), y: (N, out size) (smaller than x only for glu)
template <class T>
void ActivationLayer<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  last_x_ = &x;
  kernels::activation_forward<T>(f_, x.data(), y.data(), x.size(), span_);
}

template <class T>
void ActivationLayer<T>::backward(const Context&, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) {
  if (dx) kernels::activation_backward<T>(f_, x.data(), y.data(), dy.data(), dx->data(), x.size(), span_);
}

template <class T>
void ActivationLayer<T>::backward_preactivation(const Context&, const Mat<T>&, Mat<T>& dz, Mat<T>* dx) {
  if (dx) *dx = dz;
}

template <class T>
Dropout<T>::Dropout(std::string name, double rate, uint64_t seed) : Layer<T>(std::move(name)), rate_(rate), seed_(seed) {
  AXON_CHECK(rate >= 0.0 && rate < 1.0, this->where(), ": rate must be in [0, 1), got ", rate);
}

template <class T>
void Dropout<T>::forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) {
  if (!ctx.training || rate_ == 0.0) {
    y = x;
    return;
  }
  kernels::dropout_apply<T>(seed_, ctx.step, rate_, x.data(), y.data(), x.size());
}

template <class T>
void Dropout<T>::backward(const Context& ctx, const Mat<T>&, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) {
  if (!dx) return;
  if (!ctx.training || rate_ == 0.0) {
    *dx = dy;
    return;
  }
  // The mask is a function of (seed, step, element): applying it to dy is the backward.
  kernels::dropout_apply<T>(seed_, ctx.step, rate_, dy.data(), dx->data(), dy.size());
}

template <class T>
Shape Reshape<T>::build(const Shape& input_shape, Arena<T>&) {
  const int64_t size = shape_size(input_shape, this->where(), "input shape");
  Shape out = target_;
  int infer = -1;
  int64_t known = 1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      AXON_CHECK(infer < 0, this->where(), ": at most one -1 in target_shape, got ", batch_shape_str(out));
      infer = int(i);
    } else {
      AXON_CHECK(out[i] > 0, this->where(), ": target_shape entries must be positive or -1, got ",
                 batch_shape_str(out));
      // A product that wraps could reach 0 and make `size % known` divide by zero.
      AXON_CHECK(size_mul(known, out[i], &known), this->where(), ": target_shape ", batch_shape_str(out),
                 " would hold more than the 2^44 values one tensor can hold, the input ",
                 batch_shape_str(input_shape), " has ", size);
    }
  }
  if (infer >= 0) {
    AXON_CHECK(size % known == 0, this->where(), ": cannot reshape input ", batch_shape_str(input_shape),
               " (", size, " values) to ", batch_shape_str(out));
    out[infer] = size / known;
  }
  AXON_CHECK(shape_size(out) == size, this->where(), ": cannot reshape input ", batch_shape_str(input_shape),
             " (", size, " values) to ", batch_shape_str(out), " (", shape_size(out), " values)");
  return out;
}

template class ActivationLayer<float>;
template class ActivationLayer<double>;
template class Dropout<float>;
template class Dropout<double>;
template class Reshape<float>;
template class Reshape<double>;

}  // namespace axon
