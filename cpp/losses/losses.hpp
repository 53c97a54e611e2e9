// The concrete losses. Formulas follow keras/src/losses/losses.py and the backend's
// *_crossentropy (epsilon = 1e-7 clipping on probabilities).
#pragma once
#include "losses/loss.hpp"

namespace axon {

// Losses that are a mean (or, for KL divergence, a sum) over the last axis of a function of
// one prediction and one target: regression, Poisson, KL divergence, hinge, squared hinge.
enum class Pointwise { mse, mae, mape, msle, huber, log_cosh, poisson, kld, hinge, squared_hinge };

template <class T>
class PointwiseLoss final : public Loss<T> {
 public:
  PointwiseLoss(LossSpec spec, Pointwise kind) : Loss<T>(std::move(spec)), kind_(kind) {}
  const char* name() const override;

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
  const Mat<T>& prepare_targets(const Mat<T>& y, int64_t k) const override;

 private:
  Pointwise kind_;
};

template <class T>
class CategoricalHinge final : public Loss<T> {
 public:
  using Loss<T>::Loss;
  const char* name() const override { return "categorical_hinge"; }

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
};

template <class T>
class CosineSimilarity final : public Loss<T> {
 public:
  using Loss<T>::Loss;
  const char* name() const override { return "cosine_similarity"; }

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
  const Mat<T>& prepare_targets(const Mat<T>& y, int64_t) const override { return this->smooth(y, 0.5); }
};

template <class T>
class CategoricalCrossentropy final : public Loss<T> {
 public:
  using Loss<T>::Loss;
  const char* name() const override { return "categorical_crossentropy"; }
  Activation fused_activation() const override { return Activation::softmax; }

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
  double row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const override;
  bool has_logits_batch() const override { return true; }
  double logits_batch(const Mat<T>& z, const Mat<T>& t, int64_t k, Mat<T>* grad, const T* row_w, double inv,
                      double* row_losses) const override;
  const Mat<T>& prepare_targets(const Mat<T>& y, int64_t k) const override { return this->smooth(y, 1.0 / double(k)); }

 private:
  mutable Mat<T> scratch_;  // exponentials when no gradient buffer is given (evaluation)
};

template <class T>
class SparseCategoricalCrossentropy final : public Loss<T> {
 public:
  using Loss<T>::Loss;
  const char* name() const override { return "sparse_categorical_crossentropy"; }
  int64_t targets_per_row(int64_t) const override { return 1; }
  Activation fused_activation() const override { return Activation::softmax; }

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
  double row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const override;
  bool has_logits_batch() const override { return true; }
  double logits_batch(const Mat<T>& z, const Mat<T>& t, int64_t k, Mat<T>* grad, const T* row_w, double inv,
                      double* row_losses) const override;
  bool masks_rows() const override { return this->spec_.has_ignore_class; }
  bool row_counts(const T* t) const override { return double(t[0]) != double(this->spec_.ignore_class); }

 private:
  mutable Mat<T> scratch_;
};

// Focal losses work on probabilities (Keras applies sigmoid/softmax first when from_logits).
template <class T>
class BinaryFocalCrossentropy final : public Loss<T> {
 public:
  using Loss<T>::Loss;
  const char* name() const override { return "binary_focal_crossentropy"; }

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
  const Mat<T>& prepare_targets(const Mat<T>& y, int64_t) const override { return this->smooth(y, 0.5); }
};

template <class T>
class CategoricalFocalCrossentropy final : public Loss<T> {
 public:
  using Loss<T>::Loss;
  const char* name() const override { return "categorical_focal_crossentropy"; }

 protected:
  double row(const T* p, const T* t, int64_t k, T* g, T scale) const override;
  const Mat<T>& prepare_targets(const Mat<T>& y, int64_t k) const override { return this->smooth(y, 1.0 / double(k)); }

 private:
  mutable std::vector<T> q_, dq_;  // one row's probabilities and their gradient
};

}  // namespace axon
