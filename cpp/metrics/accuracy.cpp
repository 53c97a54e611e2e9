// Keras' accuracy metrics (keras/src/metrics/accuracy_metrics.py): the per-sample value is
// the mean over the last axis, and the metric is the mean over samples.
#include <algorithm>

#include "core/check.hpp"
#include "metrics/metric.hpp"

namespace axon {

namespace {

template <class T>
int64_t argmax(const T* v, int64_t k) {
  return int64_t(std::max_element(v, v + k) - v);
}

template <class T>
class BinaryAccuracy final : public Metric<T> {
 public:
  using Metric<T>::Metric;
  void update(const Mat<T>& pred, const Mat<T>& y_true, int64_t) override {
    const int64_t n = pred.size();
    int64_t hits = 0;
    for (int64_t i = 0; i < n; ++i) hits += T(pred.data()[i] > T(0.5)) == y_true.data()[i];
    this->total_ += double(hits);
    this->count_ += double(n);
  }
};

template <class T>
class CategoricalAccuracy final : public Metric<T> {
 public:
  CategoricalAccuracy(std::string name, bool sparse) : Metric<T>(std::move(name)), sparse_(sparse) {}
  void update(const Mat<T>& pred, const Mat<T>& y_true, int64_t k) override {
    const int64_t rows = pred.size() / k;
    int64_t hits = 0;
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t predicted = argmax(pred.data() + r * k, k);
      const int64_t truth = sparse_ ? int64_t(y_true.data()[r]) : argmax(y_true.data() + r * k, k);
      hits += predicted == truth;
    }
    this->total_ += double(hits);
    this->count_ += double(rows);
  }

 private:
  bool sparse_;
};

}  // namespace

template <class T>
std::unique_ptr<Metric<T>> make_metric(const std::string& kind, const std::string& display_name) {
  if (kind == "binary_accuracy") return std::make_unique<BinaryAccuracy<T>>(display_name);
  if (kind == "categorical_accuracy") return std::make_unique<CategoricalAccuracy<T>>(display_name, false);
  if (kind == "sparse_categorical_accuracy") return std::make_unique<CategoricalAccuracy<T>>(display_name, true);
  fail("metrics: unknown metric '", kind, "'; expected one of accuracy, binary_accuracy, ",
       "categorical_accuracy, sparse_categorical_accuracy");
}

template std::unique_ptr<Metric<float>> make_metric<float>(const std::string&, const std::string&);
template std::unique_ptr<Metric<double>> make_metric<double>(const std::string&, const std::string&);

}  // namespace axon
