// Keras' confusion-matrix metrics (keras/src/metrics/confusion_metrics.py and
// metrics_utils.update_confusion_matrix_variables): weighted counts of true/false
// positives/negatives at each threshold, a prediction counting as positive when it is
// strictly greater than the threshold and a label when it is nonzero.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/check.hpp"
#include "metrics/metric.hpp"

namespace axon {

namespace {

constexpr double kNegInf = -1e10;  // metrics_utils.NEG_INF: what top_k filtering leaves

double divide_no_nan(double a, double b) { return b != 0 ? a / b : 0.0; }

template <class T>
class Confusion : public Metric<T> {
 public:
  // evenly: the thresholds are AUC's default grid (-eps, 1/(n-1), ..., 1+eps), where a
  // prediction's bucket is found in O(1) (Keras' "optimized" update; the same counts).
  Confusion(const MetricConfig& c, std::vector<double> thresholds, bool evenly)
      : Metric<T>(c.name), th_(std::move(thresholds)), evenly_(evenly), logits_(c.from_logits), top_k_(c.top_k),
        class_id_(c.class_id) {
    AXON_CHECK(!th_.empty(), "metric '", c.name, "': needs at least one threshold");
    AXON_CHECK(top_k_ >= 0, "metric '", c.name, "': top_k must be a positive integer or None, got ", top_k_);
    const size_t n = th_.size();
    tp_.assign(n, 0), fp_.assign(n, 0), tn_.assign(n, 0), fn_.assign(n, 0);
  }

  void update(const Mat<T>& pred, const Mat<T>& y, int64_t k, const T* w) override {
    const int64_t n = pred.rows(), rows = pred.size() / k, per = rows / n;
    if (top_k_ > 0) order_.resize(size_t(k)), in_top_.resize(size_t(k));
    for (int64_t r = 0; r < rows; ++r) {
      const T* p = pred.data() + r * k;
      const T* t = y.data() + r * k;
      const double ws = w ? double(w[r / per]) : 1.0;
      if (top_k_ > 0) mark_top_k(p, k);
      const int64_t j0 = class_id_ >= 0 ? class_id_ : 0, j1 = class_id_ >= 0 ? class_id_ + 1 : k;
      for (int64_t j = j0; j < j1; ++j) {
        double v = top_k_ > 0 && !in_top_[size_t(j)] ? kNegInf : double(p[j]);
        if (logits_) v = 1.0 / (1.0 + std::exp(-v));  // AUC(from_logits=True) thresholds sigmoid(y_pred)
        add(v, t[j] != T(0), ws);
      }
    }
  }

  void reset() override {
    for (auto* v : {&tp_, &fp_, &tn_, &fn_}) std::fill(v->begin(), v->end(), 0.0);
  }

  void check(int64_t k, int64_t t, int64_t) const override {
    AXON_CHECK(t == k, "metric '", this->name_, "' expects y shaped like the prediction (", k,
               " values per row), got ", t, " per row");
    AXON_CHECK(class_id_ < k, "metric '", this->name_, "': class_id ", class_id_, " is out of range for ", k,
               " classes");
    AXON_CHECK(top_k_ <= k, "metric '", this->name_, "': top_k ", top_k_, " exceeds the ", k, " classes");
  }

 protected:
  // The counts at each threshold (for the evenly spaced grid, from the bucket counts).
  void counts(std::vector<double>& tp, std::vector<double>& fp, std::vector<double>& tn,
              std::vector<double>& fn) const {
    if (!evenly_) {
      tp = tp_, fp = fp_, tn = tn_, fn = fn_;
      return;
    }
    // tp_/fp_ hold per-bucket sums of positives/negatives; a prediction in bucket b is
    // above thresholds 0..b, so the count at threshold i sums the buckets b >= i.
    const size_t n = th_.size();
    tp.assign(n, 0), fp.assign(n, 0), tn.assign(n, 0), fn.assign(n, 0);
    const double pos = std::accumulate(tp_.begin(), tp_.end(), 0.0), neg = std::accumulate(fp_.begin(), fp_.end(), 0.0);
    double cp = 0, cn = 0;
    for (size_t i = n; i-- > 0;) {
      cp += tp_[i], cn += fp_[i];
      tp[i] = cp, fp[i] = cn, fn[i] = pos - cp, tn[i] = neg - cn;
    }
  }
  const std::vector<double>& thresholds() const { return th_; }

 private:
  void add(double v, bool positive, double ws) {
    if (evenly_) {
      const double c = std::min(std::max(v, 0.0), 1.0);
      const int64_t nt = int64_t(th_.size());
      const int64_t b = std::clamp(int64_t(std::ceil(c * double(nt - 1))) - 1, int64_t(0), nt - 1);
      (positive ? tp_ : fp_)[size_t(b)] += ws;
      return;
    }
    for (size_t i = 0; i < th_.size(); ++i) {
      if (v > th_[i])
        (positive ? tp_ : fp_)[i] += ws;
      else
        (positive ? fn_ : tn_)[i] += ws;
    }
  }
  // ops.top_k: the k largest, the lower index first among equal values.
  void mark_top_k(const T* p, int64_t k) {
    std::iota(order_.begin(), order_.end(), int64_t(0));
    std::stable_sort(order_.begin(), order_.end(), [p](int64_t a, int64_t b) { return p[a] > p[b]; });
    std::fill(in_top_.begin(), in_top_.end(), char(0));
    for (int64_t i = 0; i < std::min(top_k_, k); ++i) in_top_[size_t(order_[size_t(i)])] = 1;
  }

  std::vector<double> th_;
  bool evenly_, logits_;
  int64_t top_k_, class_id_;
  std::vector<double> tp_, fp_, tn_, fn_;
  std::vector<int64_t> order_;  // reused by mark_top_k
  std::vector<char> in_top_;
};

// Precision, Recall, TruePositives, ...: one value per threshold.
template <class T>
class ThresholdCounts final : public Confusion<T> {
 public:
  ThresholdCounts(const MetricConfig& c, std::vector<double> th) : Confusion<T>(c, std::move(th), false), kind_(c.kind) {}
  double result() const override { return mean_of(results()); }
  std::vector<double> results() const override {
    std::vector<double> tp, fp, tn, fn;
    this->counts(tp, fp, tn, fn);
    std::vector<double> out(tp.size());
    for (size_t i = 0; i < out.size(); ++i) {
      if (kind_ == "precision") out[i] = divide_no_nan(tp[i], tp[i] + fp[i]);
      else if (kind_ == "recall") out[i] = divide_no_nan(tp[i], tp[i] + fn[i]);
      else if (kind_ == "true_positives") out[i] = tp[i];
      else if (kind_ == "false_positives") out[i] = fp[i];
      else if (kind_ == "true_negatives") out[i] = tn[i];
      else out[i] = fn[i];
    }
    return out;
  }

 private:
  std::string kind_;
};

// AUC (multi_label=False): the Riemann sum of the ROC or PR curve over the thresholds.
template <class T>
class AUC final : public Confusion<T> {
 public:
  AUC(const MetricConfig& c, std::vector<double> th, bool evenly)
      : Confusion<T>(c, std::move(th), evenly), pr_(c.curve == "PR"), method_(c.summation_method) {}

  double result() const override {
    std::vector<double> tp, fp, tn, fn;
    this->counts(tp, fp, tn, fn);
    const size_t n = tp.size();
    if (pr_ && method_ == "interpolation") return interpolate_pr(tp, fp, fn);
    std::vector<double> x(n), y(n);
    for (size_t i = 0; i < n; ++i) {
      const double recall = divide_no_nan(tp[i], tp[i] + fn[i]);
      x[i] = pr_ ? recall : divide_no_nan(fp[i], fp[i] + tn[i]);
      y[i] = pr_ ? divide_no_nan(tp[i], tp[i] + fp[i]) : recall;
    }
    double area = 0;
    for (size_t i = 0; i + 1 < n; ++i) {
      const double h = method_ == "interpolation" ? (y[i] + y[i + 1]) / 2
                       : method_ == "minoring"    ? std::min(y[i], y[i + 1])
                                                  : std::max(y[i], y[i + 1]);
      area += (x[i] - x[i + 1]) * h;
    }
    return area;
  }

 private:
  // Davis & Goadrich's interpolation of the PR curve (Keras' interpolate_pr_auc):
  // precision varies along each segment as tp/p with tp linear in p.
  static double interpolate_pr(const std::vector<double>& tp, const std::vector<double>& fp,
                               const std::vector<double>& fn) {
    double area = 0;
    for (size_t i = 0; i + 1 < tp.size(); ++i) {
      const double p0 = tp[i] + fp[i], p1 = tp[i + 1] + fp[i + 1];
      const double dtp = tp[i] - tp[i + 1], dp = p0 - p1;
      const double slope = divide_no_nan(dtp, std::max(dp, 0.0));
      const double intercept = tp[i + 1] - slope * p1;
      const double ratio = p0 > 0 && p1 > 0 ? divide_no_nan(p0, std::max(p1, 0.0)) : 1.0;
      area += divide_no_nan(slope * (dtp + intercept * std::log(ratio)), std::max(tp[i + 1] + fn[i + 1], 0.0));
    }
    return area;
  }

  bool pr_;
  std::string method_;
};

}  // namespace

template <class T>
std::unique_ptr<Metric<T>> make_confusion_metric(const MetricConfig& c) {
  static const char* counts[] = {"precision", "recall", "true_positives", "false_positives", "true_negatives",
                                 "false_negatives"};
  if (std::find(std::begin(counts), std::end(counts), c.kind) != std::end(counts)) {
    std::vector<double> th = c.thresholds;
    const bool pr = c.kind == "precision" || c.kind == "recall";
    if (th.empty()) th.push_back(pr && c.top_k > 0 ? kNegInf : 0.5);
    for (double t : th)
      AXON_CHECK(t >= 0 && t <= 1 || (pr && t == kNegInf), "metric '", c.name,
                 "': thresholds must be in [0, 1], got ", t);
    MetricConfig counts_config = c;
    counts_config.from_logits = false;  // only AUC takes logits
    return std::make_unique<ThresholdCounts<T>>(counts_config, std::move(th));
  }
  if (c.kind != "auc") return nullptr;
  AXON_CHECK(c.curve == "ROC" || c.curve == "PR", "metric '", c.name, "': curve must be 'ROC' or 'PR', got '",
             c.curve, "'");
  AXON_CHECK(c.summation_method == "interpolation" || c.summation_method == "minoring" ||
                 c.summation_method == "majoring",
             "metric '", c.name, "': summation_method must be 'interpolation', 'minoring' or 'majoring', got '",
             c.summation_method, "'");
  std::vector<double> th{-kMetricEpsilon};
  const bool evenly = c.thresholds.empty();
  if (evenly) {
    AXON_CHECK(c.num_thresholds > 1, "metric '", c.name, "': num_thresholds must be > 1, got ", c.num_thresholds);
    for (int64_t i = 0; i < c.num_thresholds - 2; ++i) th.push_back(double(i + 1) / double(c.num_thresholds - 1));
  } else {
    th.insert(th.end(), c.thresholds.begin(), c.thresholds.end());
  }
  th.push_back(1.0 + kMetricEpsilon);
  return std::make_unique<AUC<T>>(c, std::move(th), evenly);
}

template std::unique_ptr<Metric<float>> make_confusion_metric<float>(const MetricConfig&);
template std::unique_ptr<Metric<double>> make_confusion_metric<double>(const MetricConfig&);

}  // namespace axon
