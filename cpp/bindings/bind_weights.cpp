// Regularizers and constraints over NumPy arrays (float64), so axon.regularizers and
// axon.constraints, called directly, compute exactly what the engine applies in training.
#include "bindings/common.hpp"
#include "core/constraints.hpp"
#include "core/regularizers.hpp"

namespace axon::bindings {

void bind_weight_functions(py::module_& m) {
  // (penalty, d penalty / dx) of regularizer spec `spec` at x.
  m.def(
      "regularize",
      [](const py::object& spec, const Array<double>& x) {
        const RegSpec r = to_reg(spec);
        const Shape shape(x.shape(), x.shape() + x.ndim());
        check_regularizer(r, shape, "the input");
        const int64_t rows = x.ndim() <= 1 ? 1 : x.shape(0);
        py::array_t<double> grad(std::vector<py::ssize_t>(shape.begin(), shape.end()));
        std::fill(grad.mutable_data(), grad.mutable_data() + grad.size(), 0.0);
        RegScratch<double> scratch;
        const double penalty =
            regularize<double>(r, x.data(), rows, rows ? x.size() / rows : 0, grad.mutable_data(), scratch);
        return py::make_tuple(penalty, grad);
      },
      py::arg("spec"), py::arg("x"));
  // constraint(w) for constraint spec `spec`, as a new array.
  m.def(
      "constrain",
      [](const py::object& spec, const Array<double>& w) {
        const ConstraintSpec c = to_constraint(spec);
        const Shape shape(w.shape(), w.shape() + w.ndim());
        check_constraint(c, shape, "the weight");
        py::array_t<double> out(std::vector<py::ssize_t>(shape.begin(), shape.end()));
        std::copy(w.data(), w.data() + w.size(), out.mutable_data());
        std::vector<double> scratch;
        apply_constraint<double>(c, shape, out.mutable_data(), scratch);
        return out;
      },
      py::arg("spec"), py::arg("w"));
}

}  // namespace axon::bindings
