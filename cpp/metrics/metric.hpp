// Metrics accumulated by the trainer over an epoch (Keras 3 keras/src/metrics/*).
//
// Each metric keeps whatever state its result needs (a weighted sum and count for the
// mean-of-values metrics, confusion counts per threshold for Precision/Recall/AUC,
// per-class counts for the F-scores, column sums for R2) and computes the result from
// it, so the value shown during the epoch is the value over the batches seen so far.
// The same objects back the stand-alone Python metrics (float64), so there is one
// implementation of every formula.
#pragma once
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "losses/math.hpp"

namespace axon {

// What Python passes for one metric; fields a metric does not use are ignored.
struct MetricConfig {
  std::string kind;                  // engine kind, e.g. "auc", "binary_accuracy"
  std::string name;                  // what the logs call it
  double threshold = 0.5;            // binary_accuracy; f-scores (NaN: None = row max)
  std::vector<double> thresholds;    // precision/recall/tp..., AUC (empty: defaults)
  int64_t top_k = 0;                 // top-k accuracies (k), precision/recall (0: None)
  int64_t class_id = -1;             // precision/recall (-1: None)
  int64_t num_thresholds = 200;      // AUC
  std::string curve = "ROC";         // AUC: ROC | PR
  std::string summation_method = "interpolation";  // AUC: interpolation | minoring | majoring
  std::string average;               // f-scores: "" (None) | micro | macro | weighted
  double beta = 1.0;                 // f-scores
  bool from_logits = false;          // crossentropies
  double label_smoothing = 0.0;      // binary / categorical crossentropy
  std::string class_aggregation = "uniform_average";  // R2: uniform_average | variance_weighted_average | ""
  int64_t num_regressors = 0;        // R2 (adjusted R2 when > 0)
};

constexpr double kMetricEpsilon = lossmath::kEps;  // Keras' backend.epsilon(), as the losses use it

inline double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / double(v.size());
}

template <class T>
class Metric {
 public:
  explicit Metric(std::string name) : name_(std::move(name)) {}
  virtual ~Metric() = default;

  // pred: (N, F), seen as N*F/k rows of the last axis k; y: the same number of rows with
  // k values each, or 1 (sparse labels). w: one weight per sample (N), nullptr = all 1.
  virtual void update(const Mat<T>& pred, const Mat<T>& y, int64_t k, const T* w) = 0;
  // The value in the logs; for a metric with several values, their mean (what Keras'
  // progress bar shows for it).
  virtual double result() const = 0;
  // Metrics that can give one value per class/threshold (F1 average=None, Precision with
  // several thresholds) return them here; scalar metrics return {result()}.
  virtual std::vector<double> results() const { return {result()}; }
  virtual void reset() = 0;
  // Throws ValueError when the metric cannot read these shapes: k values per row of the
  // prediction, t values of y per row, `rows` rows per sample.
  virtual void check(int64_t k, int64_t t, int64_t rows) const { (void)k, (void)t, (void)rows; }
  const std::string& name() const { return name_; }

 protected:
  std::string name_;
};

template <class T>
std::unique_ptr<Metric<T>> make_metric(const MetricConfig& config);

// The families (one file each); each returns nullptr when `kind` is not one of its own.
template <class T>
std::unique_ptr<Metric<T>> make_accuracy_metric(const MetricConfig& config);
template <class T>
std::unique_ptr<Metric<T>> make_regression_metric(const MetricConfig& config);  // but R2
template <class T>
std::unique_ptr<Metric<T>> make_probabilistic_metric(const MetricConfig& config);
template <class T>
std::unique_ptr<Metric<T>> make_confusion_metric(const MetricConfig& config);  // precision, recall, AUC, tp...
template <class T>
std::unique_ptr<Metric<T>> make_class_metric(const MetricConfig& config);  // f-scores, R2

}  // namespace axon
