// The mean-of-values metrics (Keras' MeanMetricWrapper): a function gives one value per
// row of the last axis; each sample's value is the mean of its rows; the metric is the
// weighted mean over samples: sum(w * v) / sum(w), 0 before any update.
#pragma once
#include "core/check.hpp"
#include "metrics/metric.hpp"

namespace axon {

template <class T>
class RowMean : public Metric<T> {
 public:
  // sparse: y holds one integer label per row instead of k values.
  RowMean(std::string name, bool sparse) : Metric<T>(std::move(name)), sparse_(sparse) {}

  void update(const Mat<T>& pred, const Mat<T>& y, int64_t k, const T* w) override {
    const int64_t n = pred.rows(), rows = pred.size() / k, per = rows / n, t = sparse_ ? 1 : k;
    const T* p = pred.data();
    const T* yt = y.data();
    for (int64_t s = 0; s < n; ++s) {
      double v = 0;
      for (int64_t r = s * per; r < (s + 1) * per; ++r) v += row(p + r * k, yt + r * t, k);
      const double ws = w ? double(w[s]) : 1.0;
      total_ += ws * v / double(per);
      count_ += ws;
    }
  }
  double result() const override { return count_ != 0 ? total_ / count_ : 0.0; }
  void reset() override { total_ = count_ = 0; }
  void check(int64_t k, int64_t t, int64_t) const override {
    if (sparse_)
      AXON_CHECK(t == 1, "metric '", this->name_, "' expects one integer label per row of the prediction, got ", t,
                 " values of y per row of ", k);
    else
      AXON_CHECK(t == k, "metric '", this->name_, "' expects y shaped like the prediction (", k,
                 " values per row), got ", t, " per row");
  }

 protected:
  // One row: p (k values), y (k values, or 1 label when sparse).
  virtual double row(const T* p, const T* y, int64_t k) const = 0;
  bool sparse_;
  double total_ = 0, count_ = 0;
};

// RowMean over a stateless row function.
template <class T, class Fn>
class RowFn final : public RowMean<T> {
 public:
  RowFn(std::string name, bool sparse, Fn fn) : RowMean<T>(std::move(name), sparse), fn_(fn) {}

 protected:
  double row(const T* p, const T* y, int64_t k) const override { return fn_(p, y, k); }

 private:
  Fn fn_;
};

template <class T, class Fn>
std::unique_ptr<Metric<T>> row_metric(const MetricConfig& c, bool sparse, Fn fn) {
  return std::make_unique<RowFn<T, Fn>>(c.name, sparse, fn);
}

}  // namespace axon
