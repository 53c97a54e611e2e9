// Losses, Keras 3 formulas with reduction 'sum_over_batch_size'.
//
// A prediction (N, F) is seen as M = N*F/K rows of the last axis K; each row gives one loss
// value and the batch loss is their mean, which is what Keras computes for every
// output rank. y_true holds K values per row, or one integer label per row (sparse).
//
// Fusion: when the output layer ends in the activation a loss fuses with (softmax for the
// categorical losses, sigmoid for binary), the model hands the loss the pre-activation
// instead and skips the activation's backward. The loss is then computed from logits
// (log-sum-exp / softplus) and stays finite for logits of any size.
#pragma once
#include <memory>
#include <string>

#include "core/tensor.hpp"
#include "kernels/activation_kind.hpp"

namespace axon {

template <class T>
class Loss {
 public:
  explicit Loss(bool from_logits) : from_logits_(from_logits) {}
  virtual ~Loss() = default;
  virtual const char* name() const = 0;
  // Values of y_true per row of the prediction: K, or 1 for sparse labels.
  virtual int64_t targets_per_row(int64_t k) const { return k; }

  // Mean loss over the rows; when grad != nullptr writes dL/dpred there (sized like pred).
  double compute(const Mat<T>& pred, const Mat<T>& y_true, int64_t k, Mat<T>* grad) const;
  // The same, with `z` the pre-activation of fused_activation().
  double compute_fused(const Mat<T>& z, const Mat<T>& y_true, int64_t k, Mat<T>* grad) const;
  // The activation this loss can absorb, or linear when none.
  virtual Activation fused_activation() const { return Activation::linear; }
  bool from_logits() const { return from_logits_; }

 protected:
  // One row: p (K values), t (targets_per_row values); returns the row's loss and, when
  // g != nullptr, writes its gradient scaled by `scale`.
  virtual double row(const T* p, const T* t, int64_t k, T* g, T scale) const = 0;
  // One row from logits (only called when fused_activation() != linear).
  virtual double row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const;
  // A whole batch from logits; returns false to fall back to row_logits (the default).
  virtual bool has_logits_batch() const { return false; }
  virtual double compute_logits_batch(const Mat<T>& z, const Mat<T>& y_true, int64_t k, Mat<T>* grad) const {
    (void)z, (void)y_true, (void)k, (void)grad;
    return 0.0;
  }
  bool from_logits_;
};

// name: "mean_squared_error", "binary_crossentropy", "categorical_crossentropy",
// "sparse_categorical_crossentropy" (and Keras' short aliases "mse").
template <class T>
std::unique_ptr<Loss<T>> make_loss(const std::string& name, bool from_logits);

}  // namespace axon
