#include "layers/conv_transpose.hpp"

#include <algorithm>

#include "core/check.hpp"
#include "kernels/kernels.hpp"
#include "kernels/spatial.hpp"

namespace axon {

namespace {
const char* conv_transpose_type(int rank) {
  return rank == 1 ? "Conv1DTranspose" : rank == 2 ? "Conv2DTranspose" : "Conv3DTranspose";
}
}  // namespace

kernels::Window transpose_window(const ConvTransposeConfig& cfg, const Shape& input_shape, const std::string& where) {
  const WindowConfig& wc = cfg.window;
  AXON_CHECK(int(input_shape.size()) == wc.rank + 1, where, ": expected an input of rank ", wc.rank + 2,
             " (batch, ", wc.channels_first ? "channels, " : "", wc.rank == 1 ? "steps" : "spatial axes",
             wc.channels_first ? "" : ", channels", "), got shape ", batch_shape_str(input_shape));
  shape_size(input_shape, where, "input shape");  // bounds every product of its dimensions
  kernels::Window w;
  w.channels = cfg.filters;
  for (int i = 0; i < wc.rank; ++i) {
    const int a = 3 - wc.rank + i;  // spatial axes fill the last slots of the three
    const int64_t in = input_shape[size_t(wc.channels_first ? i + 1 : i)], s = wc.strides[size_t(i)];
    const int64_t k = wc.size[size_t(i)], d = wc.dilation[size_t(i)];
    const bool has_op = !cfg.output_padding.empty();
    const int64_t op = has_op ? cfg.output_padding[size_t(i)] : 0;
    // The upsampled size, every step checked: strides or kernel sizes near 2^62 would wrap it.
    int64_t span = 0, out = 0, stretched = 0;
    const bool fits = size_mul(k - 1, d, &span) && size_add(span, 1, &span) &&  // the dilated kernel's extent
                      size_mul(in - 1, s, &stretched) &&
                      (wc.padding == "valid"
                           ? size_add(stretched, span, &out) &&
                                 size_add(out, has_op ? op : std::max(span, s) - span, &out)
                           : has_op ? size_add(stretched, span % 2 + op, &out) : size_mul(in, s, &out));
    AXON_CHECK(fits, where, ": the output on spatial axis ", i + 1, " for input ", batch_shape_str(input_shape),
               " (kernel_size ", k, ", strides ", s, ", dilation_rate ", d,
               ") would exceed the 2^44 values one tensor can hold");
    AXON_CHECK(out > 0, where, ": the output would be empty on spatial axis ", i + 1, " for input ",
               batch_shape_str(input_shape));
    w.in[a] = out;
    w.out[a] = in;
    w.k[a] = wc.size[size_t(i)];
    w.stride[a] = s;
    w.dilation[a] = wc.dilation[size_t(i)];
    // 'same': the padding the convolution from `out` back to `in` would use, the extra after
    // (TensorFlow's placement, which Keras' other backends reproduce).
    if (wc.padding == "same") w.pad[a] = std::max<int64_t>((in - 1) * s + span - out, 0) / 2;
  }
  return w;
}

template <class T>
ConvTranspose<T>::ConvTranspose(std::string name, ConvTransposeConfig cfg)
    : Layer<T>(std::move(name)), cfg_(std::move(cfg)), type_(conv_transpose_type(cfg_.window.rank)) {
  const WindowConfig& wc = cfg_.window;
  check_conv_family_args(wc, cfg_.activation, false, this->where());
  AXON_CHECK(cfg_.filters > 0, this->where(), ": filters must be a positive integer, got ", cfg_.filters);
  if (!cfg_.output_padding.empty()) {
    AXON_CHECK(int(cfg_.output_padding.size()) == wc.rank, this->where(), ": output_padding must have ", wc.rank,
               " value(s), got ", cfg_.output_padding.size());
    for (int i = 0; i < wc.rank; ++i) {
      const int64_t op = cfg_.output_padding[size_t(i)];
      AXON_CHECK(op >= 0 && op < wc.strides[size_t(i)], this->where(),
                 ": output_padding must be >= 0 and strictly less than strides; on axis ", i + 1, " it is ", op,
                 " with strides ", wc.strides[size_t(i)]);
    }
  }
}

template <class T>
Shape ConvTranspose<T>::build(const Shape& input_shape, Arena<T>& arena) {
  arena_ = &arena;
  win_ = transpose_window(cfg_, input_shape, this->where());
  const bool cf = cfg_.window.channels_first;
  cin_ = cf ? input_shape.front() : input_shape.back();
  rows_k_ = cfg_.filters;  // taps x filters, the cols width; taps() itself could wrap
  bool fits = true;
  for (int64_t k : cfg_.window.size) fits = fits && size_mul(rows_k_, k, &rows_k_);
  AXON_CHECK(fits, this->where(), ": kernel_size ",
             tuple_str(cfg_.window.size), " x filters ", cfg_.filters,
             " would be more than the 2^44 values one tensor can hold");
  Shape kshape(cfg_.window.size.begin(), cfg_.window.size.end());  // (k..., filters, C)
  kshape.push_back(cfg_.filters);
  kshape.push_back(cin_);
  kernel_ = this->declare(arena, {"kernel", kshape, cfg_.kernel_initializer, cfg_.kernel_regularizer, true,
                                  cfg_.kernel_constraint});
  if (cfg_.use_bias)
    bias_ = this->declare(arena, {"bias", {cfg_.filters}, cfg_.bias_initializer, cfg_.bias_regularizer, true,
                                  cfg_.bias_constraint});
  Shape out;
  if (cf) out.push_back(cfg_.filters);
  for (int a = 3 - cfg_.window.rank; a < 3; ++a) out.push_back(win_.in[a]);
  if (!cf) out.push_back(cfg_.filters);
  shape_size(out, this->where(), "output shape");  // before output_ sizes anything by it
  input_.build(cf, win_.out_positions(), cin_);
  output_.build(cfg_.activation, out, cf, win_.in_positions(), cfg_.filters, this->where());
  return out;
}

// x: (N, I*C), cols: (N*I, K*F), W: (K*F, C), z, y: (N, O*F)
template <class T>
void ConvTranspose<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  const int64_t n = x.rows(), ni = n * win_.out_positions();
  const T* xcl = input_.forward(x);
  cols_.resize(ni, rows_k_);
  kernels::matmul<T>(ConstMatMap<T>(xcl, ni, cin_), false, ConstMatMap<T>(arena_->param(kernel_), rows_k_, cin_), true,
                     MatMap<T>(cols_.data(), ni, rows_k_));
  T* z = output_.z_buffer(y);
  MatMap<T>(z, n, y.cols()).setZero();  // output positions no window reaches keep only the bias
  kernels::col2im_accumulate<T>(cols_.data(), n, win_, 0, cfg_.filters, z);
  output_.forward(cfg_.use_bias ? arena_->param(bias_) : nullptr, y);
}

template <class T>
void ConvTranspose<T>::backward(const Context&, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) {
  const int64_t n = dy.rows(), ni = n * win_.out_positions();
  const bool train_b = cfg_.use_bias && arena_->spec(bias_).trainable;
  const T* dz = output_.backward(y, dy, train_b ? arena_->grad(bias_) : nullptr);
  const bool train_w = arena_->spec(kernel_).trainable;
  if (!train_w && !dx) return;
  cols_.resize(ni, rows_k_);
  kernels::im2col<T>(dz, n, win_, 0, cfg_.filters, cols_.data());
  ConstMatMap<T> dcols(cols_.data(), ni, rows_k_);
  if (train_w) {
    const T* xcl = input_.last(x);
    kernels::matmul<T>(dcols, true, ConstMatMap<T>(xcl, ni, cin_), false,
                       MatMap<T>(arena_->grad(kernel_), rows_k_, cin_), T(1), T(1));
  }
  if (dx) {
    T* dxcl = input_.dx_buffer(*dx);
    kernels::matmul<T>(dcols, false, ConstMatMap<T>(arena_->param(kernel_), rows_k_, cin_), false,
                       MatMap<T>(dxcl, ni, cin_));
    input_.finish_dx(*dx);
  }
}

template class ConvTranspose<float>;
template class ConvTranspose<double>;

}  // namespace axon
