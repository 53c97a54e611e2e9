// Losses, Keras 3 formulas and reductions.
//
// A prediction (N, F) is seen as M = N*F/K rows of the last axis K; each row gives one loss
// value. Sample weights (one per sample, broadcast over that sample's F/K rows) multiply the
// row losses, and the reduction divides their sum (keras/src/losses/loss.py,
// reduce_weighted_values): by M for 'sum_over_batch_size' (not by the sum of the weights),
// by 1 for 'sum', by the sum of the weights for 'mean_with_sample_weight'. y_true holds K
// values per row, or one integer label per row (sparse).
//
// Fusion: when the output layer ends in the activation a loss fuses with (softmax for the
// categorical losses, sigmoid for binary), the model hands the loss the pre-activation
// instead and skips the activation's backward. The loss is then computed from logits
// (log-sum-exp / softplus) and stays finite for logits of any size.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "kernels/activation_kind.hpp"

namespace axon {

enum class Reduction { sum_over_batch_size, sum, mean_with_sample_weight, none };

// Everything a loss is configured by; fields a loss does not use are ignored.
struct LossSpec {
  std::string name = "mean_squared_error";
  bool from_logits = false;
  double label_smoothing = 0.0;  // binary/categorical (focal) cross-entropies
  double alpha = 0.25, gamma = 2.0;  // focal losses
  bool apply_class_balancing = false;  // binary focal
  double delta = 1.0;  // huber
  bool has_ignore_class = false;  // sparse categorical cross-entropy
  int64_t ignore_class = 0;
  Reduction reduction = Reduction::sum_over_batch_size;
};

Reduction parse_reduction(const std::string& name);

template <class T>
class Loss {
 public:
  explicit Loss(LossSpec spec) : spec_(std::move(spec)) {}
  virtual ~Loss() = default;
  virtual const char* name() const = 0;
  // Values of y_true per row of the prediction: K, or 1 for sparse labels.
  virtual int64_t targets_per_row(int64_t k) const { return k; }

  // The reduced loss; when grad != nullptr writes dL/dpred there (sized like pred).
  // weights: one per sample (pred.rows()) or null; row_losses: M weighted row values or null.
  double compute(const Mat<T>& pred, const Mat<T>& y_true, int64_t k, Mat<T>* grad, const T* weights = nullptr,
                 double* row_losses = nullptr) const;
  // The same, with `z` the pre-activation of fused_activation().
  double compute_fused(const Mat<T>& z, const Mat<T>& y_true, int64_t k, Mat<T>* grad, const T* weights = nullptr,
                       double* row_losses = nullptr) const;
  // The activation this loss can absorb, or linear when none.
  virtual Activation fused_activation() const { return Activation::linear; }
  bool from_logits() const { return spec_.from_logits; }
  const LossSpec& spec() const { return spec_; }

 protected:
  // One row: p (K values), t (targets_per_row values); returns the row's loss and, when
  // g != nullptr, writes its gradient scaled by `scale`.
  virtual double row(const T* p, const T* t, int64_t k, T* g, T scale) const = 0;
  // One row from logits (only called when fused_activation() != linear).
  virtual double row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const;
  // A whole batch from logits (the softmax fast path); row r is scaled by row_w[r] * inv.
  virtual bool has_logits_batch() const { return false; }
  virtual double logits_batch(const Mat<T>& z, const Mat<T>& t, int64_t k, Mat<T>* grad, const T* row_w, double inv,
                              double* row_losses) const;
  // The targets the formula sees (label smoothing, hinge's {0,1} -> {-1,1}); y itself when
  // nothing changes, else a buffer reused across batches.
  virtual const Mat<T>& prepare_targets(const Mat<T>& y, int64_t k) const { return (void)k, y; }
  // Whether a row counts (sparse ignore_class); masked rows weigh 0 and leave the divisor.
  virtual bool masks_rows() const { return false; }
  virtual bool row_counts(const T* t) const { return (void)t, true; }

  // targets_ = y * (1 - label_smoothing) + label_smoothing * center (Keras' smoothing).
  const Mat<T>& smooth(const Mat<T>& y, double center) const;

  LossSpec spec_;
  mutable Mat<T> targets_;

 private:
  double run(const Mat<T>& pred, const Mat<T>& y, int64_t k, Mat<T>* grad, const T* w, double* out,
             bool logits) const;
  double weigh_rows(int64_t samples, int64_t rows, const Mat<T>& t, int64_t tk, const T* w) const;
  mutable std::vector<T> row_w_;  // each row's weight (sample weight times mask), reused
};

// Keras names and short aliases (mse, mae, kld, huber, logcosh, ...).
template <class T>
std::unique_ptr<Loss<T>> make_loss(const LossSpec& spec);
template <class T>
std::unique_ptr<Loss<T>> make_loss(const std::string& name, bool from_logits);

}  // namespace axon
