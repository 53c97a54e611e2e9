#include "layers/conv.hpp"

#include <omp.h>

#include <algorithm>

#include "core/check.hpp"
#include "kernels/direct_conv.hpp"
#include "kernels/kernels.hpp"
#include "kernels/small_gemm.hpp"
#include "kernels/spatial.hpp"

namespace axon {

namespace {
const char* conv_type(int rank) { return rank == 1 ? "Conv1D" : rank == 2 ? "Conv2D" : "Conv3D"; }

// Target size of one chunk's cols: well inside a core's L2 cache (1-2 MB on current x86
// server cores) beside the kernel and the chunk's output.
constexpr int64_t kChunkBytes = 256 << 10;
// The forward pass is cut into at least this many chunks (a fixed number, see forward).
constexpr int64_t kForwardChunks = 16;
// Weight gradients are summed over at most this many groups of samples, each one thread's
// work at a time: a fixed number, not the thread count, so the order of the sums is fixed.
constexpr int64_t kGradientGroups = 16;
// ... and their partial sums take at most this many bytes (huge kernels get fewer groups).
constexpr int64_t kPartialBytes = int64_t(64) << 20;
// The direct forward re-reads the whole kernel for every group of 4 output rows, so it is
// used only while the kernel stays in L2; measured on kernels up to 72 KB (13x13x32 -> 64),
// larger ones keep im2col + GEMM, which blocks the kernel for the cache.
constexpr int64_t kDirectMaxKernelBytes = 256 << 10;
// Up to this GEMM inner size (taps x input channels), the kernel gradient is computed
// straight from x too: the 28x28x1 -> 32 layer's cols^T dz, a 9 x 32 result, ran at a few
// GFLOP/s in OpenBLAS. For the 13x13x32 -> 64 layer a direct gradient was within noise of
// the GEMM (bench_conv), so larger inner sizes keep the GEMM.
constexpr int64_t kDirectGradMaxInner = 32;

// At least `size` elements of m's storage (it only grows, so chunk loops never reallocate).
template <class T>
T* reserve(Mat<T>& m, int64_t size) {
  if (m.size() < size) m.resize(size, 1);
  return m.data();
}

// out[e] += sum over the rows of parts, in row order.
template <class T>
void sum_rows_accumulate(const Mat<T>& parts, T* out) {
  const int64_t rows = parts.rows(), cols = parts.cols();
#pragma omp parallel for schedule(static) if (rows * cols > (1 << 16))
  for (int64_t c = 0; c < cols; ++c) {
    T sum = T(0);
    for (int64_t r = 0; r < rows; ++r) sum += parts(r, c);
    out[c] += sum;
  }
}
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
  const Shape out = window_output_shape(cfg_.window, win_, cfg_.filters, this->where());
  span_ = activation_span(cfg_.activation, out, true, this->where());
  needs_z_ = activation_needs_input(cfg_.activation);
  direct_ = cfg_.groups == 1 && kernels::direct_conv_supported<T>(cfg_.filters) &&
            rows_k_ * cfg_.filters * int64_t(sizeof(T)) <= kDirectMaxKernelBytes;
  direct_grad_ = direct_ && rows_k_ <= kDirectGradMaxInner;
  rowwise_activation_ =
      !activation_is_axiswise(cfg_.activation.kind) || (span_.inner == 1 && span_.group == cfg_.filters);
  return out;
}

template <class T>
std::vector<typename Conv<T>::Scratch>& Conv<T>::scratch() {
  const size_t threads = size_t(std::max(1, omp_get_max_threads()));
  if (scratch_.size() < threads) scratch_.resize(threads);
  return scratch_;
}

template <class T>
void Conv<T>::gather_group_kernels() {
  const T* w = arena_->param(kernel_);
  w_groups_.resize(cfg_.groups * rows_k_, f_g_);
  for (int64_t g = 0; g < cfg_.groups; ++g)
    kernels::copy_block<T>(w + g * f_g_, cfg_.filters, w_groups_.data() + g * rows_k_ * f_g_, f_g_, rows_k_, f_g_,
                           false);
}

// x: (N, in positions * C), z, y: (N, P*F)
template <class T>
void Conv<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  const int64_t n = x.rows(), p = win_.out_positions(), f = cfg_.filters, rows = n * p;
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
  if (cfg_.groups > 1) gather_group_kernels();
  // Bias and activation run on each chunk while it is in cache, unless the output must be
  // transposed first or the activation spans more than a row.
  const bool fused = !cf && rowwise_activation_;
  // At least kForwardChunks chunks when there are rows enough, so every thread has work. The
  // split depends on the sizes only: a GEMM's rounding can depend on its row count, and
  // results must not depend on the thread count.
  int64_t chunk = std::max<int64_t>(8, kChunkBytes / (rows_k_ * int64_t(sizeof(T))));
  chunk = std::min(chunk, std::max<int64_t>(8, (rows + kForwardChunks - 1) / kForwardChunks));
  const int64_t chunks = (rows + chunk - 1) / chunk;
  auto& scratch = this->scratch();
#pragma omp parallel for schedule(static) if (chunks > 1 && rows * rows_k_ * f > (1 << 16))
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t r0 = c * chunk, count = std::min(chunk, rows - r0);
    forward_rows(xin, r0, count, zcl + r0 * f, scratch[size_t(omp_get_thread_num())]);
    if (fused) kernels::activation_forward<T>(cfg_.activation, zcl + r0 * f, y.data() + r0 * f, count * f, span_);
  }
  if (fused) return;
  T* z = needs_z_ ? z_.data() : y.data();  // the pre-activation in the output layout
  if (cf) kernels::transpose_samples<T>(zcl, n, p, f, z);
  kernels::activation_forward<T>(cfg_.activation, z, y.data(), n * p * f, span_);
}

// z rows [r0, r0 + count) = cols W + b, channels_last; single-threaded.
template <class T>
void Conv<T>::forward_rows(const T* x, int64_t r0, int64_t count, T* z, Scratch& s) const {
  const int64_t f = cfg_.filters;
  const T* bias = cfg_.use_bias ? arena_->param(bias_) : nullptr;
  if (direct_ && kernels::direct_conv_rows<T>(x, win_, r0, count, arena_->param(kernel_), f, bias, z)) return;
  MatMap<T> zm(z, count, f);
  T* cols = reserve(s.cols, count * rows_k_);
  ConstMatMap<T> colsm(cols, count, rows_k_);
  for (int64_t g = 0; g < cfg_.groups; ++g) {
    kernels::im2col_rows<T>(x, win_, r0, count, g * cin_g_, cin_g_, cols);
    if (cfg_.groups == 1) {
      kernels::matmul<T>(colsm, false, ConstMatMap<T>(arena_->param(kernel_), rows_k_, f), false, zm);
      continue;
    }
    // A group's filters are a column block of z.
    T* zg = reserve(s.z_g, count * f_g_);
    kernels::matmul<T>(colsm, false, ConstMatMap<T>(w_groups_.data() + g * rows_k_ * f_g_, rows_k_, f_g_), false,
                       MatMap<T>(zg, count, f_g_));
    kernels::copy_block<T>(zg, f_g_, z + g * f_g_, f, count, f_g_, false);
  }
  if (bias) kernels::add_row_vector<T>(zm, bias);
}

template <class T>
void Conv<T>::backward(const Context&, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) {
  const int64_t n = dy.rows(), f = cfg_.filters, wsize = rows_k_ * f;
  const bool train_w = arena_->spec(kernel_).trainable;
  const bool train_b = cfg_.use_bias && arena_->spec(bias_).trainable;
  const T* xin = cfg_.window.channels_first ? x_cl_.data() : x.data();  // forward kept x_cl_
  // forward gathered w_groups_ from the same weights.
  int64_t groups = std::min(n, kGradientGroups);
  if (train_w) groups = std::max<int64_t>(1, std::min<int64_t>(groups, kPartialBytes / (wsize * int64_t(sizeof(T)))));
  if (train_w) dw_parts_.resize(groups, wsize);
  if (train_b) db_parts_.resize(groups, f);
  const int64_t block = std::max<int64_t>(1, kChunkBytes / (win_.out_positions() * rows_k_ * int64_t(sizeof(T))));
  if (dx && cfg_.groups == 1) {  // dcols = dz W^T reads W^T's rows (kernels::gemm_nn)
    w_t_ = ConstMatMap<T>(arena_->param(kernel_), rows_k_, f).transpose();  // reuses w_t_'s storage
  }
  auto& scratch = this->scratch();
  // With one group the GEMMs themselves use the threads.
#pragma omp parallel for schedule(static) if (groups > 1)
  for (int64_t g = 0; g < groups; ++g) {
    T* dw = train_w ? dw_parts_.data() + g * wsize : nullptr;
    T* db = train_b ? db_parts_.data() + g * f : nullptr;
    if (dw) std::fill(dw, dw + wsize, T(0));
    if (db) std::fill(db, db + f, T(0));
    const int64_t first = g * n / groups, end = (g + 1) * n / groups;
    for (int64_t s = first; s < end; s += block)
      backward_samples(xin, s, std::min(block, end - s), dy.data(), needs_z_ ? z_.data() : nullptr, y.data(), dw,
                       db, dx, scratch[size_t(omp_get_thread_num())]);
  }
  if (train_w) sum_rows_accumulate(dw_parts_, arena_->grad(kernel_));
  if (train_b) sum_rows_accumulate(db_parts_, arena_->grad(bias_));
}

// Samples [first, first + count): dz = dy * f'(z); dw += cols^T dz; db += colsum(dz);
// dx = col2im(dz W^T). Single-threaded.
template <class T>
void Conv<T>::backward_samples(const T* x, int64_t first, int64_t count, const T* dy, const T* z, const T* y, T* dw,
                               T* db, Mat<T>* dx, Scratch& s) const {
  const int64_t p = win_.out_positions(), f = cfg_.filters, rows = count * p, r0 = first * p;
  const int64_t in_size = win_.in_positions() * win_.channels;
  const bool cf = cfg_.window.channels_first;
  // dz goes to this thread's scratch, not over dy: dy is not needed afterwards, and writing
  // it would send a whole layer's worth of dirty cache lines back to memory.
  T* dz = reserve(s.dz, rows * f);
  T* dzl = cf ? reserve(s.dz_cf, rows * f) : dz;  // in the output layout
  kernels::activation_backward<T>(cfg_.activation, z ? z + r0 * f : nullptr, y + r0 * f, dy + r0 * f, dzl, rows * f,
                                  span_);
  if (cf) kernels::transpose_samples<T>(dzl, count, f, p, dz);
  ConstMatMap<T> dzm(dz, rows, f);
  if (db) kernels::column_sums_accumulate<T>(dzm, db);
  T* dxcl = nullptr;  // the channels_last input gradient of these samples
  if (dx) {
    dxcl = cf ? reserve(s.dx, count * in_size) : dx->data() + first * in_size;
    std::fill(dxcl, dxcl + count * in_size, T(0));
  }
  // Few input channels: the kernel gradient straight from x, without im2col.
  if (direct_grad_ && dw && kernels::direct_conv_kernel_grad<T>(x, win_, r0, rows, dz, f, dw)) dw = nullptr;
  T* cols = dw ? reserve(s.cols, rows * rows_k_) : nullptr;
  T* dcols = dx ? reserve(s.dcols, rows * rows_k_) : nullptr;
  const T* w = arena_->param(kernel_);
  for (int64_t g = 0; g < cfg_.groups; ++g) {
    if (dw) kernels::im2col_rows<T>(x, win_, r0, rows, g * cin_g_, cin_g_, cols);
    ConstMatMap<T> colsm(cols, rows, rows_k_);
    MatMap<T> dcolsm(dcols, rows, rows_k_);
    if (cfg_.groups == 1) {
      if (dw && !kernels::gemm_tn_accumulate<T>(rows_k_, f, rows, cols, rows_k_, dz, f, dw, f))
        kernels::matmul<T>(colsm, true, dzm, false, MatMap<T>(dw, rows_k_, f), T(1), T(1));
      if (dx && !kernels::gemm_nn<T>(rows, rows_k_, f, dz, f, w_t_.data(), rows_k_, dcols, rows_k_))
        kernels::matmul<T>(dzm, false, ConstMatMap<T>(w, rows_k_, f), true, dcolsm);
    } else {
      T* dzg = reserve(s.z_g, rows * f_g_);
      kernels::copy_block<T>(dz + g * f_g_, f, dzg, f_g_, rows, f_g_, false);
      ConstMatMap<T> dzgm(dzg, rows, f_g_);
      if (dw) {
        T* dwg = reserve(s.dw_g, rows_k_ * f_g_);
        kernels::matmul<T>(colsm, true, dzgm, false, MatMap<T>(dwg, rows_k_, f_g_));
        kernels::copy_block<T>(dwg, f_g_, dw + g * f_g_, f, rows_k_, f_g_, true);
      }
      if (dx)
        kernels::matmul<T>(dzgm, false, ConstMatMap<T>(w_groups_.data() + g * rows_k_ * f_g_, rows_k_, f_g_), true,
                           dcolsm);
    }
    if (dx) kernels::col2im_rows_accumulate<T>(dcols, win_, 0, rows, g * cin_g_, cin_g_, dxcl);
  }
  if (dx && cf)
    kernels::transpose_samples<T>(dxcl, count, win_.in_positions(), win_.channels, dx->data() + first * in_size);
}

template class Conv<float>;
template class Conv<double>;

}  // namespace axon
