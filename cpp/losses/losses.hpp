// The concrete losses. Formulas follow keras/src/losses/losses.py and the backend's
// *_crossentropy (epsilon = 1e-7 clipping on probabilities).
#pragma once
#include "losses/loss.hpp"

namespace axon {

template <class T>
class MeanSquaredError final : public Loss<T> {
 public:
  MeanSquaredError() : Loss<T>(false) {}
  const char* name() const override { return "mean_squared_error"; }

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
};

template <class T>
class BinaryCrossentropy final : public Loss<T> {
 public:
  using Loss<T>::Loss;
  const char* name() const override { return "binary_crossentropy"; }
  Activation fused_activation() const override { return Activation::sigmoid; }

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
  double row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const override;
};

template <class T>
class CategoricalCrossentropy final : public Loss<T> {
 public:
  using Loss<T>::Loss;
  const char* name() const override { return "categorical_crossentropy"; }
  Activation fused_activation() const override { return Activation::softmax; }
  bool has_logits_batch() const override { return true; }
  double compute_logits_batch(const Mat<T>& z, const Mat<T>& y_true, int64_t k, Mat<T>* grad) const override;

 private:
  mutable Mat<T> scratch_;  // exponentials when no gradient buffer is given (evaluation)

 public:

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
  double row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const override;
};

template <class T>
class SparseCategoricalCrossentropy final : public Loss<T> {
 public:
  using Loss<T>::Loss;
  const char* name() const override { return "sparse_categorical_crossentropy"; }
  int64_t targets_per_row(int64_t) const override { return 1; }
  Activation fused_activation() const override { return Activation::softmax; }
  bool has_logits_batch() const override { return true; }
  double compute_logits_batch(const Mat<T>& z, const Mat<T>& y_true, int64_t k, Mat<T>* grad) const override;

 private:
  mutable Mat<T> scratch_;  // exponentials when no gradient buffer is given (evaluation)

 public:

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
  double row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const override;
};

}  // namespace axon
