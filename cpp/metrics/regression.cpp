// Keras' regression metrics (keras/src/metrics/regression_metrics.py), each the mean over
// the last axis of an elementwise error, except cosine similarity (a sum over the axis).
#include <algorithm>
#include <cmath>

#include "metrics/row_metric.hpp"

namespace axon {

namespace {

// RootMeanSquaredError: the mean squared error, square-rooted at the end.
template <class T>
class RootMeanSquared final : public RowMean<T> {
 public:
  explicit RootMeanSquared(std::string name) : RowMean<T>(std::move(name), false) {}
  double result() const override { return std::sqrt(RowMean<T>::result()); }

 protected:
  double row(const T* p, const T* y, int64_t k) const override {
    double s = 0;
    for (int64_t j = 0; j < k; ++j) s += (double(p[j]) - double(y[j])) * (double(p[j]) - double(y[j]));
    return s / double(k);
  }
};

// Sum over the last axis of f(p, y), divided by k.
template <class T, class F>
auto mean_of(F f) {
  return [f](const T* p, const T* y, int64_t k) {
    double s = 0;
    for (int64_t j = 0; j < k; ++j) s += f(double(p[j]), double(y[j]));
    return s / double(k);
  };
}

}  // namespace

template <class T>
std::unique_ptr<Metric<T>> make_regression_metric(const MetricConfig& c) {
  const double eps = kMetricEpsilon;
  if (c.kind == "mean_squared_error")
    return row_metric<T>(c, false, mean_of<T>([](double p, double y) { return (p - y) * (p - y); }));
  if (c.kind == "root_mean_squared_error") return std::make_unique<RootMeanSquared<T>>(c.name);
  if (c.kind == "mean_absolute_error")
    return row_metric<T>(c, false, mean_of<T>([](double p, double y) { return std::abs(p - y); }));
  if (c.kind == "mean_absolute_percentage_error")
    return row_metric<T>(c, false, mean_of<T>([eps](double p, double y) {
      return 100.0 * std::abs((y - p) / std::max(std::abs(y), eps));
    }));
  if (c.kind == "mean_squared_logarithmic_error")
    return row_metric<T>(c, false, mean_of<T>([eps](double p, double y) {
      const double d = std::log(std::max(p, eps) + 1.0) - std::log(std::max(y, eps) + 1.0);
      return d * d;
    }));
  if (c.kind == "log_cosh_error")  // log(cosh(x)) = x + softplus(-2x) - log 2, stable for large |x|
    return row_metric<T>(c, false, mean_of<T>([](double p, double y) {
      const double x = p - y, z = -2.0 * x;
      if (std::abs(x) < 1.0) {  // log1p(2 sinh^2(x/2)): no cancellation for small |x|
        const double s = std::sinh(0.5 * x);
        return std::log1p(2.0 * s * s);
      }
      const double softplus = std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z)));
      return x + softplus - std::log(2.0);
    }));
  if (c.kind == "cosine_similarity")  // both rows l2-normalized with the norm floored at epsilon
    return row_metric<T>(c, false, [eps](const T* p, const T* y, int64_t k) {
      double pp = 0, yy = 0, py = 0;
      for (int64_t j = 0; j < k; ++j) {
        pp += double(p[j]) * double(p[j]);
        yy += double(y[j]) * double(y[j]);
        py += double(p[j]) * double(y[j]);
      }
      return py / (std::max(std::sqrt(pp), eps) * std::max(std::sqrt(yy), eps));
    });
  return nullptr;
}

template std::unique_ptr<Metric<float>> make_regression_metric<float>(const MetricConfig&);
template std::unique_ptr<Metric<double>> make_regression_metric<double>(const MetricConfig&);

}  // namespace axon
