// Metrics accumulated by the trainer over an epoch: a weighted sum and a count, so the
// running value shown during the epoch is the mean so far, as Keras reports it.
#pragma once
#include <memory>
#include <string>

#include "core/tensor.hpp"

namespace axon {

template <class T>
class Metric {
 public:
  explicit Metric(std::string name) : name_(std::move(name)) {}
  virtual ~Metric() = default;
  // pred: (N, F) seen as rows of the last axis k; y_true: k values per row, or 1 (sparse).
  virtual void update(const Mat<T>& pred, const Mat<T>& y_true, int64_t k) = 0;
  double result() const { return count_ > 0 ? total_ / count_ : 0.0; }
  void reset() { total_ = count_ = 0; }
  const std::string& name() const { return name_; }

 protected:
  std::string name_;
  double total_ = 0, count_ = 0;
};

// kind: "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy".
// `display_name` is what the logs call it ("accuracy" when the user asked for that).
template <class T>
std::unique_ptr<Metric<T>> make_metric(const std::string& kind, const std::string& display_name);

}  // namespace axon
