// Keras' probabilistic metrics (keras/src/metrics/probabilistic_metrics.py): the loss
// formulas, averaged as metrics. Probabilities are clipped to [eps, 1 - eps] as Keras'
// backend does; from_logits uses the stable log-sum-exp / softplus forms.
#include <algorithm>
#include <cmath>

#include "losses/math.hpp"
#include "metrics/row_metric.hpp"

namespace axon {

namespace {

constexpr double kEps = kMetricEpsilon;

double clip(double p) { return lossmath::clip_prob(p); }  // the losses' clipping, the same epsilon

// log softmax(z)[j] for every j of the row, via the row's log-sum-exp.
template <class T>
double log_sum_exp(const T* z, int64_t k) {
  const double m = double(*std::max_element(z, z + k));
  double s = 0;
  for (int64_t j = 0; j < k; ++j) s += std::exp(double(z[j]) - m);
  return m + std::log(s);
}

template <class T>
double row_sum(const T* p, int64_t k) {
  double s = 0;
  for (int64_t j = 0; j < k; ++j) s += double(p[j]);
  return s;
}

}  // namespace

template <class T>
std::unique_ptr<Metric<T>> make_probabilistic_metric(const MetricConfig& c) {
  const bool logits = c.from_logits;
  const double ls = c.label_smoothing;
  if (c.kind == "binary_crossentropy")
    return row_metric<T>(c, false, [logits, ls](const T* p, const T* y, int64_t k) {
      double s = 0;
      for (int64_t j = 0; j < k; ++j) {
        const double t = double(y[j]) * (1.0 - ls) + 0.5 * ls;
        if (logits) {
          const double z = double(p[j]);
          s += std::max(z, 0.0) - z * t + std::log1p(std::exp(-std::abs(z)));
        } else {
          const double q = clip(double(p[j]));
          s -= t * std::log(q) + (1.0 - t) * std::log(1.0 - q);
        }
      }
      return s / double(k);
    });
  if (c.kind == "categorical_crossentropy")
    return row_metric<T>(c, false, [logits, ls](const T* p, const T* y, int64_t k) {
      const double norm = logits ? log_sum_exp(p, k) : row_sum(p, k);
      double s = 0;
      for (int64_t j = 0; j < k; ++j) {
        const double t = double(y[j]) * (1.0 - ls) + ls / double(k);
        s -= t * (logits ? double(p[j]) - norm : std::log(clip(double(p[j]) / norm)));
      }
      return s;
    });
  if (c.kind == "sparse_categorical_crossentropy")
    return row_metric<T>(c, true, [logits](const T* p, const T* y, int64_t k) {
      const int64_t label = int64_t(y[0]);
      AXON_CHECK(label >= 0 && label < k, "sparse_categorical_crossentropy: label ", label,
                 " is out of range for ", k, " classes");
      if (logits) return log_sum_exp(p, k) - double(p[label]);
      return -std::log(clip(double(p[label]) / row_sum(p, k)));
    });
  if (c.kind == "kl_divergence")
    return row_metric<T>(c, false, [](const T* p, const T* y, int64_t k) {
      double s = 0;
      for (int64_t j = 0; j < k; ++j) {
        const double t = std::min(std::max(double(y[j]), kEps), 1.0);
        const double q = std::min(std::max(double(p[j]), kEps), 1.0);
        s += t * std::log(t / q);
      }
      return s;
    });
  if (c.kind == "poisson")
    return row_metric<T>(c, false, [](const T* p, const T* y, int64_t k) {
      double s = 0;
      for (int64_t j = 0; j < k; ++j) s += double(p[j]) - double(y[j]) * std::log(double(p[j]) + kEps);
      return s / double(k);
    });
  return nullptr;
}

template std::unique_ptr<Metric<float>> make_probabilistic_metric<float>(const MetricConfig&);
template std::unique_ptr<Metric<double>> make_probabilistic_metric<double>(const MetricConfig&);

}  // namespace axon
