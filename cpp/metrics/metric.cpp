// The metric factory: asks each family in turn.
#include "metrics/metric.hpp"

#include "core/check.hpp"

namespace axon {

template <class T>
std::unique_ptr<Metric<T>> make_metric(const MetricConfig& c) {
  using Maker = std::unique_ptr<Metric<T>> (*)(const MetricConfig&);
  for (Maker make : {&make_accuracy_metric<T>, &make_regression_metric<T>, &make_probabilistic_metric<T>,
                     &make_confusion_metric<T>, &make_class_metric<T>})
    if (auto m = make(c)) return m;
  fail("metrics: unknown metric kind '", c.kind, "'");
}

template std::unique_ptr<Metric<float>> make_metric<float>(const MetricConfig&);
template std::unique_ptr<Metric<double>> make_metric<double>(const MetricConfig&);

}  // namespace axon
