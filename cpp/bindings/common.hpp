// Shared helpers for the binding files: NumPy <-> Eigen views and config tuples.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "core/check.hpp"
#include "core/param_spec.hpp"
#include "train/model.hpp"

namespace axon::bindings {

namespace py = pybind11;

// C-contiguous arrays of the model's dtype; the Python side converts beforehand, so this
// never copies in practice (forcecast only guards direct calls to _core).
template <class T>
using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;

// (N, ...) array -> values per sample.
template <class T>
int64_t per_sample(const Array<T>& a, const char* what) {
  AXON_CHECK(a.ndim() >= 1, what, ": expected an array with a batch dimension, got a scalar");
  return a.shape(0) == 0 ? 0 : int64_t(a.size() / a.shape(0));
}

template <class T>
Mat<T> to_mat(const Array<T>& a, const char* what) {
  return ConstMatMap<T>(a.data(), a.ndim() ? a.shape(0) : 1, per_sample<T>(a, what));
}

// (kind, a, b, seed) from axon.initializers
inline InitSpec to_init(const py::tuple& t) {
  AXON_CHECK(t.size() == 4, "initializer spec: expected (kind, a, b, seed)");
  return InitSpec{t[0].cast<std::string>(), t[1].cast<double>(), t[2].cast<double>(), t[3].cast<uint64_t>()};
}

// (l1, l2) from axon.regularizers, or None
inline RegSpec to_reg(const py::object& o) {
  if (o.is_none()) return {};
  auto t = o.cast<py::tuple>();
  return RegSpec{t[0].cast<double>(), t[1].cast<double>()};
}

inline py::dict to_dict(const Logs& logs) {
  py::dict d;
  for (const auto& [k, v] : logs) d[py::str(k)] = v;
  return d;
}

// Wraps a Python callable (batch, logs) -> bool as a hook that takes the GIL only when called.
inline BatchHook to_hook(const py::object& fn) {
  if (fn.is_none()) return {};
  return [fn](int64_t batch, const Logs& logs) {
    py::gil_scoped_acquire gil;
    return fn(batch, to_dict(logs)).cast<bool>();
  };
}

template <class T>
void bind_layers(py::class_<Model<T>>& cls);
template <class T>
void bind_model(py::module_& m, const char* name);
void bind_functions(py::module_& m);
void bind_optimizers(py::module_& m);
template <class T>
void bind_optimizer_methods(py::class_<Model<T>>& cls);

}  // namespace axon::bindings
