// Metrics with per-class (per-column) state over 2-D predictions (N, K): the F-scores
// (keras/src/metrics/f_score_metrics.py) and R2 (regression_metrics.R2Score).
#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "metrics/metric.hpp"

namespace axon {

namespace {

constexpr double kEps = kMetricEpsilon;

// Shared by both: (N, K) only, y shaped like the prediction; state sized at the first update.
template <class T>
class PerClass : public Metric<T> {
 public:
  using Metric<T>::Metric;
  void check(int64_t k, int64_t t, int64_t rows) const override {
    AXON_CHECK(rows == 1 && t == k, "metric '", this->name_,
               "' expects 2-D y_true and y_pred of the same shape (batch_size, num_classes); got ", rows,
               " rows of ", k, " values per sample and ", t, " values of y per row");
    AXON_CHECK(classes_ == 0 || classes_ == k, "metric '", this->name_, "' was built for ", classes_,
               " classes, got ", k);
  }

 protected:
  void size_state(int64_t k, std::initializer_list<std::vector<double>*> state) {
    if (classes_ == k) return;
    classes_ = k;
    for (auto* v : state) v->assign(size_t(k), 0.0);
  }
  int64_t classes_ = 0;
};

// FBetaScore / F1Score: per-class weighted tp, fp, fn and support.
template <class T>
class FBeta final : public PerClass<T> {
 public:
  explicit FBeta(const MetricConfig& c) : PerClass<T>(c.name), average_(c.average), beta_(c.beta), threshold_(c.threshold) {
    AXON_CHECK(average_.empty() || average_ == "micro" || average_ == "macro" || average_ == "weighted", "metric '",
               c.name, "': average must be None, 'micro', 'macro' or 'weighted', got '", average_, "'");
    AXON_CHECK(beta_ > 0, "metric '", c.name, "': beta must be a positive number, got ", beta_);
    AXON_CHECK(std::isnan(threshold_) || (threshold_ > 0 && threshold_ <= 1), "metric '", c.name,
               "': threshold must be a float in (0, 1] or None, got ", threshold_);
  }

  void update(const Mat<T>& pred, const Mat<T>& y, int64_t k, const T* w) override {
    this->size_state(k, {&tp_, &fp_, &fn_, &support_});
    for (int64_t r = 0; r < pred.rows(); ++r) {
      const T* p = pred.data() + r * k;
      const T* t = y.data() + r * k;
      const double ws = w ? double(w[r]) : 1.0;
      // threshold None: the row's maximum is the positive class (ties all positive), and an
      // all-zero row predicts nothing.
      const double top = std::isnan(threshold_) ? double(*std::max_element(p, p + k)) : 0.0;
      for (int64_t j = 0; j < k; ++j) {
        const double v = double(p[j]), yt = double(t[j]);
        const double pos = std::isnan(threshold_) ? double(v >= top && std::abs(v) > 1e-9) : double(v > threshold_);
        tp_[size_t(j)] += pos * yt * ws;
        fp_[size_t(j)] += pos * (1 - yt) * ws;
        fn_[size_t(j)] += (1 - pos) * yt * ws;
        support_[size_t(j)] += yt * ws;
      }
    }
  }

  std::vector<double> results() const override {
    if (tp_.empty()) return {0.0};
    std::vector<double> tp = tp_, fp = fp_, fn = fn_;
    if (average_ == "micro") tp = {sum(tp_)}, fp = {sum(fp_)}, fn = {sum(fn_)};
    const double b2 = beta_ * beta_;
    std::vector<double> f(tp.size());
    for (size_t i = 0; i < f.size(); ++i) {
      const double precision = tp[i] / (tp[i] + fp[i] + kEps), recall = tp[i] / (tp[i] + fn[i] + kEps);
      f[i] = (1 + b2) * precision * recall / (b2 * precision + recall + kEps);
    }
    if (average_.empty()) return f;
    if (average_ == "weighted") {
      const double total = sum(support_) + kEps;
      double s = 0;
      for (size_t i = 0; i < f.size(); ++i) s += f[i] * support_[i] / total;
      return {s};
    }
    return {sum(f) / double(f.size())};
  }
  double result() const override { return mean_of(results()); }
  void reset() override {
    for (auto* v : {&tp_, &fp_, &fn_, &support_}) std::fill(v->begin(), v->end(), 0.0);
  }

 private:
  static double sum(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s;
  }
  std::string average_;
  double beta_, threshold_;
  std::vector<double> tp_, fp_, fn_, support_;
};

// R2Score: per column weighted sums of y, y^2, squared error and weight.
template <class T>
class R2 final : public PerClass<T> {
 public:
  explicit R2(const MetricConfig& c)
      : PerClass<T>(c.name), aggregation_(c.class_aggregation), regressors_(c.num_regressors) {
    AXON_CHECK(aggregation_.empty() || aggregation_ == "uniform_average" || aggregation_ == "variance_weighted_average",
               "metric '", c.name, "': class_aggregation must be None, 'uniform_average' or ",
               "'variance_weighted_average', got '", aggregation_, "'");
    AXON_CHECK(regressors_ >= 0, "metric '", c.name, "': num_regressors must be >= 0, got ", regressors_);
  }

  void update(const Mat<T>& pred, const Mat<T>& y, int64_t k, const T* w) override {
    this->size_state(k, {&sum_, &sq_, &sse_, &count_});
    for (int64_t r = 0; r < pred.rows(); ++r) {
      const double ws = w ? double(w[r]) : 1.0;
      for (int64_t j = 0; j < k; ++j) {
        const double yt = double(y.data()[r * k + j]), e = yt - double(pred.data()[r * k + j]);
        sum_[size_t(j)] += yt * ws;
        sq_[size_t(j)] += yt * yt * ws;
        sse_[size_t(j)] += e * e * ws;
        count_[size_t(j)] += ws;
      }
    }
    samples_ += double(pred.size());  // Keras counts ops.size(y_true)
  }

  std::vector<double> results() const override {
    if (sum_.empty()) return {0.0};
    const size_t k = sum_.size();
    std::vector<double> raw(k), total(k);
    for (size_t j = 0; j < k; ++j) {
      total[j] = sq_[j] - sum_[j] * (sum_[j] / count_[j]);
      raw[j] = 1 - sse_[j] / total[j];
      if (std::isinf(raw[j])) raw[j] = 0.0;
    }
    if (aggregation_.empty()) return adjust(raw);
    double r2 = 0;
    if (aggregation_ == "uniform_average") {
      for (double v : raw) r2 += v / double(k);
    } else {
      double num = 0, den = 0;
      for (size_t j = 0; j < k; ++j) num += total[j] * raw[j], den += total[j];
      r2 = num / den;
    }
    return adjust({r2});
  }
  double result() const override { return mean_of(results()); }
  void reset() override {
    for (auto* v : {&sum_, &sq_, &sse_, &count_}) std::fill(v->begin(), v->end(), 0.0);
    samples_ = 0;
  }

 private:
  // Adjusted R2; Keras falls back to plain R2 (with a warning) when n - 1 <= p.
  std::vector<double> adjust(std::vector<double> r2) const {
    const double n = samples_, p = double(regressors_);
    if (regressors_ == 0 || p >= n - 1) return r2;
    for (double& v : r2) v = 1 - (1 - v) * (n - 1) / (n - p - 1);
    return r2;
  }
  std::string aggregation_;
  int64_t regressors_;
  std::vector<double> sum_, sq_, sse_, count_;
  double samples_ = 0;
};

}  // namespace

template <class T>
std::unique_ptr<Metric<T>> make_class_metric(const MetricConfig& c) {
  if (c.kind == "f_beta_score") return std::make_unique<FBeta<T>>(c);
  if (c.kind == "r2_score") return std::make_unique<R2<T>>(c);
  return nullptr;
}

template std::unique_ptr<Metric<float>> make_class_metric<float>(const MetricConfig&);
template std::unique_ptr<Metric<double>> make_class_metric<double>(const MetricConfig&);

}  // namespace axon
