#include "layers/activation_layers.hpp"

#include "core/check.hpp"
#include "core/memory.hpp"

namespace axon {

template <class T>
Shape PReLU<T>::build(const Shape& input_shape, Arena<T>& arena) {
  const int64_t rank = int64_t(input_shape.size());
  AXON_CHECK(rank > 0, this->where(), ": expected an input with a feature axis");
  Shape alpha_shape = input_shape;
  for (int64_t axis : cfg_.shared_axes) {
    const int64_t a = axis < 0 ? axis + rank : axis - 1;  // per-sample index
    AXON_CHECK(a >= 0 && a < rank, this->where(), ": shared axis ", axis,
               " is out of range for input shape ", batch_shape_str(input_shape));
    alpha_shape[size_t(a)] = 1;
  }
  arena_ = &arena;
  alpha_ = this->declare(arena, {"alpha", alpha_shape, cfg_.alpha_initializer, cfg_.alpha_regularizer});
  // Row-major strides of alpha, zero along shared axes.
  std::vector<int64_t> stride(size_t(rank), 0);
  int64_t s = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    stride[size_t(d)] = alpha_shape[size_t(d)] == 1 ? 0 : s;
    s *= alpha_shape[size_t(d)];
  }
  const int64_t size = shape_size(input_shape, this->where(), "input shape");
  const double bytes = double(size) * double(sizeof(int64_t));
  try {
    if (bytes > double(machine_memory_bytes())) throw std::bad_alloc();
    alpha_index_.assign(size_t(size), 0);
  } catch (const std::bad_alloc&) {
    throw OutOfMemory(cat(this->where(), ": cannot allocate the index of alpha for input ",
                          batch_shape_str(input_shape), ": ", size, " entries (", human_bytes(bytes),
                          "); this machine has ", human_bytes(double(machine_memory_bytes())), " of RAM and swap"));
  }
  for (int64_t e = 0; e < int64_t(alpha_index_.size()); ++e) {
    int64_t rest = e, idx = 0;
    for (int64_t d = rank - 1; d >= 0; --d) {
      idx += (rest % input_shape[size_t(d)]) * stride[size_t(d)];
      rest /= input_shape[size_t(d)];
    }
    alpha_index_[size_t(e)] = idx;
  }
  return input_shape;
}

// x, y: (N, F); alpha: F values after broadcasting
template <class T>
void PReLU<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  const T* alpha = arena_->param(alpha_);
  const int64_t f = int64_t(alpha_index_.size());
  for (int64_t r = 0; r < x.rows(); ++r) {
    const T* xr = x.data() + r * f;
    T* yr = y.data() + r * f;
    for (int64_t e = 0; e < f; ++e) yr[e] = xr[e] >= T(0) ? xr[e] : alpha[alpha_index_[size_t(e)]] * xr[e];
  }
}

// dalpha += sum over the batch (and shared axes) of dy * min(x, 0); dx = dy * (x >= 0 ? 1 : alpha)
template <class T>
void PReLU<T>::backward(const Context&, const Mat<T>& x, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) {
  const T* alpha = arena_->param(alpha_);
  T* dalpha = arena_->spec(alpha_).trainable ? arena_->grad(alpha_) : nullptr;
  const int64_t f = int64_t(alpha_index_.size());
  for (int64_t r = 0; r < x.rows(); ++r) {  // rows in order: a fixed reduction order
    const T* xr = x.data() + r * f;
    const T* gr = dy.data() + r * f;
    T* dxr = dx ? dx->data() + r * f : nullptr;
    for (int64_t e = 0; e < f; ++e) {
      const int64_t k = alpha_index_[size_t(e)];
      const bool neg = xr[e] < T(0);
      if (dalpha && neg) dalpha[k] += gr[e] * xr[e];
      if (dxr) dxr[e] = neg ? gr[e] * alpha[k] : gr[e];
    }
  }
}

template class PReLU<float>;
template class PReLU<double>;

}  // namespace axon
