// BatchNormalization, LayerNormalization and GroupNormalization (Keras 3 formulas).
//
// Each normalizes x to z over its own statistics (kernels::GroupView), then applies the
// per-channel affine y = z * gamma + beta (kernels::ChannelView). z is kept for backward.
#pragma once
#include <vector>

#include "core/layer.hpp"
#include "kernels/normalization.hpp"

namespace axon {

// The arguments the three layers share.
struct NormalizationConfig {
  double epsilon = 1e-3;
  bool center = true;  // beta
  bool scale = true;   // gamma
  InitSpec beta_initializer{"zeros"};
  InitSpec gamma_initializer{"ones"};
  RegSpec beta_regularizer, gamma_regularizer;
  ConstraintSpec beta_constraint, gamma_constraint;
};

struct BatchNormConfig : NormalizationConfig {
  int axis = -1;
  double momentum = 0.99;
  InitSpec moving_mean_initializer{"zeros"};
  InitSpec moving_variance_initializer{"ones"};
};

struct LayerNormConfig : NormalizationConfig {
  std::vector<int> axes{-1};
  bool rms_scaling = false;  // Keras' deprecated option: z = x / sqrt(var + eps), no centering, no beta
};

struct GroupNormConfig : NormalizationConfig {
  int64_t groups = 32;  // -1: one group per channel
  int axis = -1;
};

// gamma/beta and the affine step; subclasses compute z_ and its gradient.
template <class T>
class Normalization : public Layer<T> {
 public:
  Normalization(std::string name, NormalizationConfig cfg);

 protected:
  // ValueError unless epsilon is finite and >= 0; subclass constructors call it.
  void check_epsilon() const;
  // Per-sample axis index of Keras axis `axis` (counting the batch axis, negative from the end).
  int sample_axis(int axis, const Shape& input_shape) const;
  // Declares gamma then beta (Keras' order), each of `shape` when present.
  void declare_affine(Arena<T>& arena, const Shape& shape, bool gamma, bool beta);
  // The affine view for a batch of n: (n * before, channels, after).
  kernels::ChannelView channels(int64_t n) const { return {n * before_, channels_, after_}; }
  // mean_ and var_ of x over v (batch statistics).
  void compute_statistics(const kernels::GroupView& v, const Mat<T>& x);
  // z = normalized x from mean_ and var_, then y = z * gamma + beta.
  void normalize(const kernels::GroupView& v, const Mat<T>& x, Mat<T>& y, bool centered);
  // Accumulates the gamma/beta gradients; writes dL/dz into dz unless it is null.
  void affine_backward(const Mat<T>& dy, T* dz);
  // Gamma/beta gradients and, when dx is set, dx through statistics computed from x itself.
  void backward_through_statistics(const kernels::GroupView& v, const Mat<T>& dy, Mat<T>* dx, bool centered);

  NormalizationConfig base_;
  Arena<T>* arena_ = nullptr;
  int gamma_ = -1, beta_ = -1;
  int64_t before_ = 1, channels_ = 1, after_ = 1;  // per sample, around the affine axes
  Mat<T> z_;                                       // normalized x, before the affine
  std::vector<T> mean_, var_, inv_std_;            // per statistic
};

// Training: batch statistics over every axis but `axis`, and the moving averages
//   moving = moving * momentum + batch_stat * (1 - momentum)   (biased batch variance)
// Inference, or when frozen (layer.trainable = False, as Keras): the moving statistics.
template <class T>
class BatchNormalization final : public Normalization<T> {
 public:
  BatchNormalization(std::string name, BatchNormConfig cfg);
  const char* type() const override { return "BatchNormalization"; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;
  void set_trainable(bool trainable) override { frozen_ = !trainable; }

 private:
  BatchNormConfig cfg_;
  int moving_mean_ = -1, moving_var_ = -1;
  bool frozen_ = false;
  bool batch_stats_ = false;  // the last forward normalized with batch statistics
};

// Statistics per sample (and per position outside `axes`) over `axes`. Non-adjacent axes
// are moved last (perm_) around the computation, so the statistics are always contiguous.
template <class T>
class LayerNormalization final : public Normalization<T> {
 public:
  LayerNormalization(std::string name, LayerNormConfig cfg);
  const char* type() const override { return "LayerNormalization"; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  kernels::GroupView stats(int64_t n) const { return {n * this->before_, this->channels_, this->after_, 1}; }
  LayerNormConfig cfg_;
  Shape shape_, permuted_;          // per-sample input shape, and with the axes last
  std::vector<int> perm_, inverse_;  // empty when the axes are adjacent
  Mat<T> xp_, yp_;                  // permuted input/output, and their gradients in backward
};

// Channels split into `groups`; statistics per sample and group over the group's channels
// and every other axis.
template <class T>
class GroupNormalization final : public Normalization<T> {
 public:
  GroupNormalization(std::string name, GroupNormConfig cfg);
  const char* type() const override { return "GroupNormalization"; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  kernels::GroupView stats(int64_t n) const {
    return {n, this->before_, groups_, this->channels_ / groups_ * this->after_};
  }
  GroupNormConfig cfg_;
  int64_t groups_ = 1;
};

}  // namespace axon
