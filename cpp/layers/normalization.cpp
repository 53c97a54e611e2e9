#include "layers/normalization.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"

namespace axon {

using kernels::GroupView;

namespace {
template <class T>
void inverse_std(const std::vector<T>& var, double epsilon, std::vector<T>& inv) {
  inv.resize(var.size());
  for (size_t i = 0; i < var.size(); ++i) inv[i] = T(1) / std::sqrt(var[i] + T(epsilon));
}

int64_t product(const Shape& s, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) p *= s[i];
  return p;
}
}  // namespace

// --- shared: arguments, gamma/beta and the affine step ----------------------------------

template <class T>
Normalization<T>::Normalization(std::string name, NormalizationConfig cfg)
    : Layer<T>(std::move(name)), base_(std::move(cfg)) {}

// Called by each subclass's constructor: in the base's own, where() would call type() while
// it is still pure virtual ("pure virtual method called", abort) when the check fails.
template <class T>
void Normalization<T>::check_epsilon() const {
  AXON_CHECK(std::isfinite(base_.epsilon) && base_.epsilon >= 0, this->where(),
             ": epsilon must be a non-negative number, got ", base_.epsilon);
}

template <class T>
int Normalization<T>::sample_axis(int axis, const Shape& input_shape) const {
  const int rank = int(input_shape.size()) + 1;  // with the batch axis
  AXON_CHECK(axis >= -rank && axis < rank, this->where(), ": axis ", axis, " is out of bounds for input shape ",
             batch_shape_str(input_shape));
  const int a = axis < 0 ? axis + rank : axis;
  AXON_CHECK(a != 0, this->where(), ": axis ", axis, " is the batch axis; expected an axis in [1, ", rank - 1,
             "] or [", -(rank - 1), ", -1] for input shape ", batch_shape_str(input_shape));
  return a - 1;
}

template <class T>
void Normalization<T>::declare_affine(Arena<T>& arena, const Shape& shape, bool gamma, bool beta) {
  arena_ = &arena;
  if (gamma)
    gamma_ = this->declare(arena, {"gamma", shape, base_.gamma_initializer, base_.gamma_regularizer, true,
                                   base_.gamma_constraint});
  if (beta)
    beta_ = this->declare(arena, {"beta", shape, base_.beta_initializer, base_.beta_regularizer, true,
                                  base_.beta_constraint});
}

template <class T>
void Normalization<T>::compute_statistics(const GroupView& v, const Mat<T>& x) {
  mean_.resize(size_t(v.stats()));
  var_.resize(size_t(v.stats()));
  kernels::group_moments<T>(x.data(), v, mean_.data(), var_.data());
}

template <class T>
void Normalization<T>::normalize(const GroupView& v, const Mat<T>& x, Mat<T>& y, bool centered) {
  inverse_std(var_, base_.epsilon, inv_std_);
  z_.resize(x.rows(), x.cols());
  kernels::group_normalize<T>(x.data(), v, mean_.data(), inv_std_.data(), centered, z_.data());
  kernels::channel_affine<T>(channels(x.rows()), z_.data(), gamma_ >= 0 ? arena_->param(gamma_) : nullptr,
                             beta_ >= 0 ? arena_->param(beta_) : nullptr, y.data());
}

template <class T>
void Normalization<T>::affine_backward(const Mat<T>& dy, T* dz) {
  T* dgamma = gamma_ >= 0 && arena_->spec(gamma_).trainable ? arena_->grad(gamma_) : nullptr;
  T* dbeta = beta_ >= 0 && arena_->spec(beta_).trainable ? arena_->grad(beta_) : nullptr;
  kernels::channel_affine_backward<T>(channels(dy.rows()), dy.data(), z_.data(),
                                      gamma_ >= 0 ? arena_->param(gamma_) : nullptr, dgamma, dbeta, dz);
}

template <class T>
void Normalization<T>::backward_through_statistics(const GroupView& v, const Mat<T>& dy, Mat<T>* dx,
                                                   bool centered) {
  affine_backward(dy, dx ? dx->data() : nullptr);
  if (dx) kernels::group_normalize_backward<T>(v, z_.data(), mean_.data(), inv_std_.data(), centered, dx->data());
}

// --- BatchNormalization ---------------------------------------------------------------

template <class T>
BatchNormalization<T>::BatchNormalization(std::string name, BatchNormConfig cfg)
    : Normalization<T>(std::move(name), cfg), cfg_(std::move(cfg)) {
  this->check_epsilon();
  AXON_CHECK(std::isfinite(cfg_.momentum) && cfg_.momentum >= 0 && cfg_.momentum <= 1, this->where(),
             ": momentum must be in [0, 1], got ", cfg_.momentum);
}

template <class T>
Shape BatchNormalization<T>::build(const Shape& input_shape, Arena<T>& arena) {
  const size_t a = size_t(this->sample_axis(cfg_.axis, input_shape));
  this->before_ = product(input_shape, 0, a);
  this->channels_ = input_shape[a];
  this->after_ = product(input_shape, a + 1, input_shape.size());
  const Shape shape{this->channels_};
  this->declare_affine(arena, shape, cfg_.scale, cfg_.center);
  // Non-trainable: the optimizer never touches them; forward updates them in training.
  moving_mean_ = this->declare(arena, {"moving_mean", shape, cfg_.moving_mean_initializer, {}, false, {}});
  moving_var_ = this->declare(arena, {"moving_variance", shape, cfg_.moving_variance_initializer, {}, false, {}});
  return input_shape;
}

// x, z, y: (N, before * C * after); statistics per channel over N * before * after values
template <class T>
void BatchNormalization<T>::forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) {
  const int64_t n = x.rows(), c = this->channels_;
  const GroupView v{1, n * this->before_, c, this->after_};
  T* moving_mean = this->arena_->param(moving_mean_);
  T* moving_var = this->arena_->param(moving_var_);
  batch_stats_ = ctx.training && !frozen_;
  if (batch_stats_) {
    this->compute_statistics(v, x);
    const T m = T(cfg_.momentum), rest = T(1.0 - cfg_.momentum);
    for (int64_t i = 0; i < c; ++i) {
      moving_mean[i] = moving_mean[i] * m + this->mean_[size_t(i)] * rest;
      moving_var[i] = moving_var[i] * m + this->var_[size_t(i)] * rest;
    }
  } else {
    this->mean_.assign(moving_mean, moving_mean + c);
    this->var_.assign(moving_var, moving_var + c);
  }
  this->normalize(v, x, y, true);
}

template <class T>
void BatchNormalization<T>::backward(const Context&, const Mat<T>&, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) {
  const int64_t n = dy.rows();
  if (batch_stats_) {
    this->backward_through_statistics({1, n * this->before_, this->channels_, this->after_}, dy, dx, true);
    return;
  }
  // The moving statistics are constants: dx = dz / sqrt(moving_var + eps).
  this->affine_backward(dy, dx ? dx->data() : nullptr);
  if (dx) kernels::channel_affine<T>(this->channels(n), dx->data(), this->inv_std_.data(), nullptr, dx->data());
}

// --- LayerNormalization ---------------------------------------------------------------

template <class T>
LayerNormalization<T>::LayerNormalization(std::string name, LayerNormConfig cfg)
    : Normalization<T>(std::move(name), cfg), cfg_(std::move(cfg)) {
  this->check_epsilon();
  AXON_CHECK(!cfg_.axes.empty(), this->where(), ": axis must name at least one axis");
}

template <class T>
Shape LayerNormalization<T>::build(const Shape& input_shape, Arena<T>& arena) {
  std::vector<int> axes;
  for (int a : cfg_.axes) axes.push_back(this->sample_axis(a, input_shape));
  std::sort(axes.begin(), axes.end());
  AXON_CHECK(std::adjacent_find(axes.begin(), axes.end()) == axes.end(), this->where(),
             ": axis lists an axis twice");
  shape_ = input_shape;
  perm_.clear();
  inverse_.clear();
  const size_t last = size_t(axes.back()) + 1;
  Shape gamma_shape;
  for (int a : axes) gamma_shape.push_back(input_shape[size_t(a)]);
  if (last - size_t(axes.front()) != axes.size()) {  // not adjacent: compute on a copy with the axes last
    AXON_CHECK(input_shape.size() <= kernels::kMaxPermuteRank, this->where(), ": inputs of rank above ",
               kernels::kMaxPermuteRank, " are not supported with non-adjacent axes");
    for (int i = 0; i < int(input_shape.size()); ++i)
      if (!std::binary_search(axes.begin(), axes.end(), i)) perm_.push_back(i);
    perm_.insert(perm_.end(), axes.begin(), axes.end());
    inverse_.resize(perm_.size());
    for (size_t i = 0; i < perm_.size(); ++i) inverse_[size_t(perm_[i])] = int(i);
  }
  const int64_t total = shape_size(input_shape);
  this->channels_ = shape_size(gamma_shape);
  this->after_ = perm_.empty() ? product(input_shape, last, input_shape.size()) : 1;  // permuted: axes last
  this->before_ = total / (this->channels_ * this->after_);
  this->declare_affine(arena, gamma_shape, cfg_.scale || cfg_.rms_scaling, cfg_.center && !cfg_.rms_scaling);
  permuted_.clear();
  for (int p : perm_) permuted_.push_back(input_shape[size_t(p)]);
  return input_shape;
}

// x, z, y: (N, before * M * after); statistics per (sample, before, after) over the M values
template <class T>
void LayerNormalization<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  const GroupView v = stats(x.rows());
  if (perm_.empty()) {
    this->compute_statistics(v, x);
    this->normalize(v, x, y, !cfg_.rms_scaling);
    return;
  }
  xp_.resize(x.rows(), x.cols());
  yp_.resize(x.rows(), x.cols());
  kernels::permute_samples<T>(x.data(), x.rows(), shape_, perm_, xp_.data());
  this->compute_statistics(v, xp_);
  this->normalize(v, xp_, yp_, !cfg_.rms_scaling);
  kernels::permute_samples<T>(yp_.data(), x.rows(), permuted_, inverse_, y.data());
}

template <class T>
void LayerNormalization<T>::backward(const Context&, const Mat<T>&, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) {
  const GroupView v = stats(dy.rows());
  if (perm_.empty()) {
    this->backward_through_statistics(v, dy, dx, !cfg_.rms_scaling);
    return;
  }
  // xp_ and yp_ hold the permuted dy and dx now.
  kernels::permute_samples<T>(dy.data(), dy.rows(), shape_, perm_, xp_.data());
  this->backward_through_statistics(v, xp_, dx ? &yp_ : nullptr, !cfg_.rms_scaling);
  if (!dx) return;
  kernels::permute_samples<T>(yp_.data(), dy.rows(), permuted_, inverse_, dx->data());
}

// --- GroupNormalization ---------------------------------------------------------------

template <class T>
GroupNormalization<T>::GroupNormalization(std::string name, GroupNormConfig cfg)
    : Normalization<T>(std::move(name), cfg), cfg_(std::move(cfg)) {
  this->check_epsilon();
  AXON_CHECK(cfg_.groups > 0 || cfg_.groups == -1, this->where(),
             ": groups must be a positive integer (or -1 for instance normalization), got ", cfg_.groups);
}

template <class T>
Shape GroupNormalization<T>::build(const Shape& input_shape, Arena<T>& arena) {
  const size_t a = size_t(this->sample_axis(cfg_.axis, input_shape));
  const int64_t c = input_shape[a];
  groups_ = cfg_.groups == -1 ? c : cfg_.groups;
  AXON_CHECK(groups_ <= c, this->where(), ": the number of groups (", groups_,
             ") cannot be more than the number of channels (", c, ") of input shape ", batch_shape_str(input_shape));
  AXON_CHECK(c % groups_ == 0, this->where(), ": the number of channels (", c, ") must be divisible by groups (",
             groups_, "); input shape ", batch_shape_str(input_shape));
  this->before_ = product(input_shape, 0, a);
  this->channels_ = c;
  this->after_ = product(input_shape, a + 1, input_shape.size());
  this->declare_affine(arena, {c}, cfg_.scale, cfg_.center);
  return input_shape;
}

// x, z, y: (N, before * C * after) seen as (N, before, G, C/G * after); statistics per (n, g)
template <class T>
void GroupNormalization<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  const GroupView v = stats(x.rows());
  this->compute_statistics(v, x);
  this->normalize(v, x, y, true);
}

template <class T>
void GroupNormalization<T>::backward(const Context&, const Mat<T>&, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) {
  this->backward_through_statistics(stats(dy.rows()), dy, dx, true);
}

template class Normalization<float>;
template class Normalization<double>;
template class BatchNormalization<float>;
template class BatchNormalization<double>;
template class LayerNormalization<float>;
template class LayerNormalization<double>;
template class GroupNormalization<float>;
template class GroupNormalization<double>;

}  // namespace axon
