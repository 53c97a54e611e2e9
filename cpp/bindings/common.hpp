// Shared helpers for the binding files: NumPy <-> Eigen views and config tuples.
#pragma once
#include <cmath>
#include <mutex>
#include <utility>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "core/check.hpp"
#include "core/param_spec.hpp"
#include "train/model.hpp"

namespace axon::bindings {

namespace py = pybind11;

// One call at a time per model. Python threads may share a model (fit in one, evaluate or
// get_weights in another); the engine keeps per-model buffers (activations, the batch, the
// optimizer's slots), so every binding that touches them holds the model's call mutex.
// Waiting happens with the GIL released: the holder may need the GIL (its batch hook runs
// Python callbacks) before it lets go. The uncontended case takes the lock without
// touching the GIL, which keeps batch-1 predict as fast as before.
template <class T>
class ModelCallLock {
 public:
  explicit ModelCallLock(Model<T>& m) : lock_(m.call_mutex(), std::try_to_lock) {
    if (lock_.owns_lock()) return;
    py::gil_scoped_release release;
    lock_.lock();
  }

 private:
  std::unique_lock<std::recursive_mutex> lock_;
};

namespace detail {
template <class F, class R, class T, class... Args>
auto locked(F f, R (F::*)(Model<T>&, Args...) const) {
  return [f = std::move(f)](Model<T>& self, Args... args) -> R {
    const ModelCallLock<T> lock(self);
    return f(self, std::forward<Args>(args)...);
  };
}
}  // namespace detail

// `fn(Model<T>& self, args...)` (a lambda) run under self's call lock, with the same signature
// for pybind11: cls.def("name", locked([](Model<T>& self, ...) { ... }), py::arg(...)).
template <class F>
auto locked(F fn) {
  return detail::locked(std::move(fn), &F::operator());
}

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

// Per-sample loss weights: None, or n finite values.
template <class T>
const T* sample_weights(const py::object& w, int64_t n, const char* where) {
  if (w.is_none()) return nullptr;
  const auto a = w.cast<Array<T>>();
  // A converted copy would die with `a`; Python always passes the model's dtype, C-contiguous.
  AXON_CHECK(a.ptr() == w.ptr(), where, ": sample_weight must be a C-contiguous array of the model's dtype");
  AXON_CHECK(a.size() == n, where, ": sample_weight must have one value per sample (", n, "), got ", a.size());
  for (int64_t i = 0; i < n; ++i)
    AXON_CHECK(std::isfinite(double(a.data()[i])), where, ": sample_weight contains a non-finite value at ", i);
  return a.data();  // borrowed from the caller's array, alive for the whole call
}

template <class T>
Mat<T> to_mat(const Array<T>& a, const char* what) {
  return ConstMatMap<T>(a.data(), a.ndim() ? a.shape(0) : 1, per_sample<T>(a, what));
}

// (kind, a, b, seed, mode, distribution) from axon.initializers; the last two are optional.
inline InitSpec to_init(const py::tuple& t) {
  AXON_CHECK(t.size() == 4 || t.size() == 6, "initializer spec: expected (kind, a, b, seed, mode, distribution)");
  InitSpec s{t[0].cast<std::string>(), t[1].cast<double>(), t[2].cast<double>(), t[3].cast<uint64_t>()};
  if (t.size() == 6) {
    s.mode = t[4].cast<std::string>();
    s.distribution = t[5].cast<std::string>();
  }
  return s;
}

// ("l1l2", l1, l2) or ("orthogonal", factor, "rows"|"columns") from axon.regularizers, or None
inline RegSpec to_reg(const py::object& o) {
  if (o.is_none()) return {};
  auto t = o.cast<py::tuple>();
  AXON_CHECK(t.size() == 3, "regularizer spec: expected (kind, a, b)");
  const auto kind = t[0].cast<std::string>();
  RegSpec r;
  if (kind == "l1l2") {
    r.l1 = t[1].cast<double>();
    r.l2 = t[2].cast<double>();
  } else if (kind == "orthogonal") {
    r.kind = RegKind::orthogonal;
    r.factor = t[1].cast<double>();
    const auto mode = t[2].cast<std::string>();
    AXON_CHECK(mode == "rows" || mode == "columns", "OrthogonalRegularizer: mode must be 'rows' or 'columns', got '",
               mode, "'");
    r.columns = mode == "columns";
  } else {
    fail("regularizer spec: unknown kind '", kind, "'; expected l1l2 or orthogonal");
  }
  return r;
}

// (kind, min_value, max_value, rate, axes) from axon.constraints, or None
inline ConstraintSpec to_constraint(const py::object& o) {
  if (o.is_none()) return {};
  auto t = o.cast<py::tuple>();
  AXON_CHECK(t.size() == 5, "constraint spec: expected (kind, min_value, max_value, rate, axes)");
  const auto kind = t[0].cast<std::string>();
  ConstraintSpec c;
  if (kind == "max_norm")
    c.kind = ConstraintKind::max_norm;
  else if (kind == "min_max_norm")
    c.kind = ConstraintKind::min_max_norm;
  else if (kind == "non_neg")
    c.kind = ConstraintKind::non_neg;
  else if (kind == "unit_norm")
    c.kind = ConstraintKind::unit_norm;
  else
    fail("constraint spec: unknown kind '", kind, "'; expected max_norm, min_max_norm, non_neg or unit_norm");
  c.min_value = t[1].cast<double>();
  c.max_value = t[2].cast<double>();
  c.rate = t[3].cast<double>();
  c.axes = t[4].cast<std::vector<int64_t>>();
  return c;
}

// An activation from Python: a name, or (name, a, b, c, axis) from axon.activations, where
// None keeps the name's Keras default (see ActivationSpec for what a, b, c mean per kind).
inline ActivationSpec to_activation(const py::object& o, const std::string& where) {
  if (o.is_none()) return ActivationSpec{};
  if (py::isinstance<py::str>(o)) return parse_activation(o.cast<std::string>(), where);
  AXON_CHECK(py::isinstance<py::tuple>(o) && py::len(o) == 5, where,
             ": activation spec must be a name or (name, a, b, c, axis)");
  auto t = o.cast<py::tuple>();
  ActivationSpec spec = parse_activation(t[0].cast<std::string>(), where);
  if (!t[1].is_none()) spec.a = t[1].cast<double>();
  if (!t[2].is_none()) spec.b = t[2].cast<double>();
  if (!t[3].is_none()) spec.c = t[3].cast<double>();
  if (!t[4].is_none()) spec.axis = t[4].cast<int>();
  validate_activation(spec, where);
  return spec;
}

inline py::dict to_dict(const Logs& logs) {
  py::dict d;
  for (const auto& [k, v] : logs) d[py::str(k)] = v;
  return d;
}

// A loss from Python: its name, from_logits and a dict of the other LossSpec fields
// (label_smoothing, alpha, gamma, apply_class_balancing, delta, ignore_class, reduction).
LossSpec to_loss_spec(const std::string& name, bool from_logits, const py::dict& config);

template <class T>
void bind_layers(py::class_<Model<T>>& cls);
template <class T>
void bind_spatial_layers(py::class_<Model<T>>& cls);  // conv and pooling
template <class T>
void bind_reshaping_layers(py::class_<Model<T>>& cls);  // padding, cropping, up-sampling, spatial dropout
template <class T>
void bind_conv_family(py::class_<Model<T>>& cls);  // transposed, depthwise, separable conv
template <class T>
void bind_normalization_layers(py::class_<Model<T>>& cls);
template <class T>
void bind_model(py::module_& m, const char* name);
template <class T>
void bind_training(py::class_<Model<T>>& cls);
void bind_queues(py::module_& m);
void bind_functions(py::module_& m);
void bind_weight_functions(py::module_& m);
void bind_optimizers(py::module_& m);
template <class T>
void bind_optimizer_methods(py::class_<Model<T>>& cls);

}  // namespace axon::bindings
