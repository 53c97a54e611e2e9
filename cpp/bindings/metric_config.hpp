// Metric specs from Python: (kind, name, {option: value}) -> MetricConfig; and the
// stand-alone metric classes Metric32/Metric64 that back axon.metrics objects.
#pragma once
#include <pybind11/pybind11.h>

#include "metrics/metric.hpp"

namespace axon::bindings {

MetricConfig metric_config(pybind11::handle spec);
void bind_metrics(pybind11::module_& m);

}  // namespace axon::bindings
