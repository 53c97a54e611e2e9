// axon._core: the compiled engine. Python never sees a C++ exception: axon::TypeError
// becomes TypeError, axon::ValueError (and other std::invalid_argument) ValueError.
#include <omp.h>

#include <Eigen/Core>

#include "bindings/common.hpp"
#include "bindings/metric_config.hpp"
#include "core/crc32c.hpp"

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
  m.def(
      "crc32c",
      [](const py::buffer& data, uint32_t value) {
        const py::buffer_info info = data.request();
        AXON_CHECK(info.ndim <= 1 && (info.ndim == 0 || info.strides[0] == info.itemsize),
                   "crc32c: expected a contiguous bytes-like object");
        const size_t n = size_t(info.size) * size_t(info.itemsize);
        if (n < (1 << 16)) return axon::crc32c(info.ptr, n, value);
        py::gil_scoped_release release;  // a large tensor: let other threads run meanwhile
        return axon::crc32c(info.ptr, n, value);
      },
      py::arg("data"), py::arg("value") = 0, "CRC-32C (Castagnoli) of a bytes-like object, continuing from value.");
}
