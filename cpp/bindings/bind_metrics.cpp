// Metric specs and the stand-alone metric objects. axon.metrics.X.update_state calls
// Metric64.update, so a metric object and the trainer share one implementation.
#include <cmath>

#include "bindings/common.hpp"
#include "bindings/metric_config.hpp"

namespace axon::bindings {

MetricConfig metric_config(py::handle spec) {
  const auto t = spec.cast<py::tuple>();
  AXON_CHECK(t.size() == 3, "metrics: a spec is (kind, name, options)");
  MetricConfig c;
  c.kind = t[0].cast<std::string>();
  c.name = t[1].cast<std::string>();
  const auto opts = t[2].cast<py::dict>();
  for (const auto& [key_h, value] : opts) {
    const std::string key = key_h.cast<std::string>();
    // None means "the Keras default for None": NaN threshold (row max), no average.
    if (key == "threshold") c.threshold = value.is_none() ? std::nan("") : value.cast<double>();
    else if (key == "thresholds") c.thresholds = value.cast<std::vector<double>>();
    else if (key == "top_k") c.top_k = value.is_none() ? 0 : value.cast<int64_t>();
    else if (key == "class_id") c.class_id = value.is_none() ? -1 : value.cast<int64_t>();
    else if (key == "num_thresholds") c.num_thresholds = value.cast<int64_t>();
    else if (key == "curve") c.curve = value.cast<std::string>();
    else if (key == "summation_method") c.summation_method = value.cast<std::string>();
    else if (key == "average") c.average = value.is_none() ? "" : value.cast<std::string>();
    else if (key == "beta") c.beta = value.cast<double>();
    else if (key == "from_logits") c.from_logits = value.cast<bool>();
    else if (key == "label_smoothing") c.label_smoothing = value.cast<double>();
    else if (key == "class_aggregation") c.class_aggregation = value.is_none() ? "" : value.cast<std::string>();
    else if (key == "num_regressors") c.num_regressors = value.cast<int64_t>();
    else fail("metrics: metric '", c.name, "' got an unknown option '", key, "'");
  }
  return c;
}

namespace {

template <class T>
void bind_metric(py::module_& m, const char* name) {
  py::class_<Metric<T>> cls(m, name);
  cls.def(py::init([](const py::tuple& spec) { return make_metric<T>(metric_config(spec)); }), py::arg("spec"));
  // y_pred: (N, F) with rows of k values; y_true: (N, ...) with k or 1 value per row;
  // sample_weight: N values or None.
  cls.def(
      "update",
      [](Metric<T>& self, const Array<T>& y_true, const Array<T>& y_pred, int64_t k, const py::object& sample_weight) {
        const Mat<T> pred = to_mat<T>(y_pred, "y_pred"), y = to_mat<T>(y_true, "y_true");
        AXON_CHECK(k > 0 && pred.size() % k == 0 && pred.rows() > 0, "metric '", self.name(),
                   "': y_pred must be non-empty with a last axis of ", k);
        AXON_CHECK(y.rows() == pred.rows(), "metric '", self.name(), "': y_true and y_pred have ", y.rows(), " and ",
                   pred.rows(), " samples");
        const int64_t rows = pred.size() / k;
        AXON_CHECK(y.size() % rows == 0, "metric '", self.name(), "': y_true has ", y.size(),
                   " values, not a whole number per row of y_pred (", rows, " rows)");
        self.check(k, y.size() / rows, rows / pred.rows());
        Array<T> w;
        if (!sample_weight.is_none()) {
          w = sample_weight.cast<Array<T>>();
          AXON_CHECK(w.size() == pred.rows(), "metric '", self.name(), "': sample_weight has ", w.size(),
                     " values for ", pred.rows(), " samples");
        }
        self.update(pred, y, k, sample_weight.is_none() ? nullptr : w.data());
      },
      py::arg("y_true"), py::arg("y_pred"), py::arg("k"), py::arg("sample_weight"));
  cls.def("result", &Metric<T>::result);
  cls.def("results", &Metric<T>::results);
  cls.def("reset", &Metric<T>::reset);
  cls.def_property_readonly("name", &Metric<T>::name);
}

}  // namespace

void bind_metrics(py::module_& m) {
  bind_metric<float>(m, "Metric32");
  bind_metric<double>(m, "Metric64");
}

}  // namespace axon::bindings
