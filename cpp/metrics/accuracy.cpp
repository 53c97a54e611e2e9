// Keras' accuracy metrics (keras/src/metrics/accuracy_metrics.py).
#include <algorithm>

#include "metrics/row_metric.hpp"

namespace axon {

namespace {

template <class T>
int64_t argmax(const T* v, int64_t k) {
  return int64_t(std::max_element(v, v + k) - v);  // first of equal maxima, as ops.argmax
}

// ops.in_top_k: the target is in the top k when fewer than k values beat it (ties count in).
template <class T>
double in_top_k(const T* p, int64_t target, int64_t k, int64_t top) {
  if (target < 0 || target >= k) return 0.0;
  int64_t greater = 0;
  for (int64_t j = 0; j < k; ++j) greater += p[j] > p[target];
  return greater < top ? 1.0 : 0.0;
}

}  // namespace

template <class T>
std::unique_ptr<Metric<T>> make_accuracy_metric(const MetricConfig& c) {
  if (c.kind == "accuracy")  // exact equality of prediction and target
    return row_metric<T>(c, false, [](const T* p, const T* y, int64_t k) {
      int64_t hits = 0;
      for (int64_t j = 0; j < k; ++j) hits += p[j] == y[j];
      return double(hits) / double(k);
    });
  if (c.kind == "binary_accuracy") {
    const T threshold = T(c.threshold);
    return row_metric<T>(c, false, [threshold](const T* p, const T* y, int64_t k) {
      int64_t hits = 0;
      for (int64_t j = 0; j < k; ++j) hits += y[j] == T(p[j] > threshold ? 1 : 0);
      return double(hits) / double(k);
    });
  }
  if (c.kind == "categorical_accuracy")
    return row_metric<T>(c, false, [](const T* p, const T* y, int64_t k) {
      return argmax(p, k) == argmax(y, k) ? 1.0 : 0.0;
    });
  if (c.kind == "sparse_categorical_accuracy")
    return row_metric<T>(c, true, [](const T* p, const T* y, int64_t k) {
      return T(argmax(p, k)) == y[0] ? 1.0 : 0.0;
    });
  const int64_t top = c.top_k;
  if (c.kind == "top_k_categorical_accuracy" || c.kind == "sparse_top_k_categorical_accuracy")
    AXON_CHECK(top > 0, "metric '", c.name, "': k must be a positive integer, got ", top);
  if (c.kind == "top_k_categorical_accuracy")
    return row_metric<T>(c, false, [top](const T* p, const T* y, int64_t k) {
      return in_top_k(p, argmax(y, k), k, top);
    });
  if (c.kind == "sparse_top_k_categorical_accuracy")
    return row_metric<T>(c, true, [top](const T* p, const T* y, int64_t k) {
      return in_top_k(p, int64_t(y[0]), k, top);
    });
  return nullptr;
}

template std::unique_ptr<Metric<float>> make_accuracy_metric<float>(const MetricConfig&);
template std::unique_ptr<Metric<double>> make_accuracy_metric<double>(const MetricConfig&);

}  // namespace axon
