// axon._core: the compiled engine. Python never sees a C++ exception: axon::TypeError
// becomes TypeError, axon::ValueError (and other std::invalid_argument) ValueError.
#include <omp.h>

#include <Eigen/Core>

#include "bindings/common.hpp"
#include "bindings/metric_config.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "axon's C++ engine";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const axon::TypeError& e) {
      PyErr_SetString(PyExc_TypeError, e.what());
    } catch (const axon::ValueError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
  axon::bindings::bind_model<float>(m, "Model32");
  axon::bindings::bind_model<double>(m, "Model64");
  axon::bindings::bind_queues(m);
  axon::bindings::bind_functions(m);
  axon::bindings::bind_weight_functions(m);
  axon::bindings::bind_optimizers(m);
  axon::bindings::bind_metrics(m);
  m.def("set_num_threads", [](int n) {
    AXON_CHECK(n > 0, "set_num_threads: expected a positive thread count, got ", n);
    omp_set_num_threads(n);
    Eigen::setNbThreads(n);
  });
  m.def("get_num_threads", []() { return omp_get_max_threads(); });
}
