// axon._core: the compiled engine. Python never sees a C++ exception: axon::TypeError
// becomes TypeError, axon::ValueError (and other std::invalid_argument) ValueError.
#include <omp.h>

#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "bindings/common.hpp"
#include "bindings/metric_config.hpp"
#include "core/crc32c.hpp"
#include "kernels/cpu/isa.hpp"
#include "train/thread_tuner.hpp"

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
  // Threads (see train/thread_tuner.hpp): adaptive by default, between 1 and the cores
  // OpenMP sees now; OMP_NUM_THREADS in the environment (joblib's workers get
  // cpu_count // n_jobs) or set_num_threads(n) fixes the count exactly.
  axon::set_adaptive_max_threads(omp_get_max_threads());
  if (const char* env = std::getenv("OMP_NUM_THREADS"); env && *env) axon::set_fixed_threads(omp_get_max_threads());
  m.def(
      "set_num_threads",
      [](int n) {
        AXON_CHECK(n >= 0, "set_num_threads: expected a positive thread count (or 0: adaptive), got ", n);
        axon::set_fixed_threads(n);
        omp_set_num_threads(n > 0 ? n : axon::adaptive_max_threads());
        Eigen::setNbThreads(n);  // 0: Eigen follows the calling thread's OpenMP count again
      },
      py::arg("n"), "n > 0: the engine uses exactly n threads; 0: it adapts the count to the load (the default).");
  m.def(
      "get_num_threads", []() { return axon::fixed_threads() > 0 ? axon::fixed_threads() : axon::adaptive_max_threads(); },
      "The fixed thread count, or the most threads the adaptive count uses.");
  // For tests of the adaptive choice without timing: phases of (batches, {count: seconds per
  // row}); returns the count each batch ran at.
  m.def(
      "simulate_thread_tuner",
      [](int max_threads, int64_t rows, const std::vector<std::pair<int64_t, std::map<int, double>>>& phases) {
        AXON_CHECK(max_threads > 0 && rows > 0, "simulate_thread_tuner: expected positive max_threads and rows");
        axon::ThreadTuner tuner(max_threads);
        tuner.prepare();
        std::vector<int> counts;
        for (const auto& [batches, per_row] : phases) {
          for (int64_t b = 0; b < batches; ++b) {
            const int n = tuner.current();
            const auto it = per_row.find(n);
            AXON_CHECK(it != per_row.end(), "simulate_thread_tuner: no time given for ", n, " threads");
            counts.push_back(n);
            tuner.record(it->second * double(rows), rows);
          }
        }
        return counts;
      },
      py::arg("max_threads"), py::arg("rows"), py::arg("phases"));
  m.def("kernel_isa", []() { return std::string(axon::kernels::isa_name(axon::kernels::kernel_isa())); },
        "The instruction-set variant of the kernels in use (kernels/cpu/isa.hpp).");
  m.def(
      "kernel_isas",
      []() {
        std::vector<std::string> names;
        for (auto isa : axon::kernels::available_isas()) names.emplace_back(axon::kernels::isa_name(isa));
        return names;
      },
      "The variants this build has and this CPU can run (AXON_KERNEL_ISA chooses among them).");
  m.def("adaptive_threads", []() { return axon::fixed_threads() == 0; },
        "Whether the engine adapts its thread count to the load (no OMP_NUM_THREADS, no set_num_threads).");
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
