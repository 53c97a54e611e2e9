// Stand-alone functions over NumPy arrays (float64), so axon.activations, axon.losses and
// axon.initializers compute exactly what the engine computes.
#include "bindings/common.hpp"
#include "core/initializers.hpp"
#include "kernels/kernels.hpp"
#include "losses/loss.hpp"

namespace axon::bindings {

void bind_functions(py::module_& m) {
  m.def(
      "initialize",
      [](const std::string& kind, double a, double b, uint64_t seed, const Shape& shape) {
        py::array_t<double> out(std::vector<py::ssize_t>(shape.begin(), shape.end()));
        initialize<double>(InitSpec{kind, a, b, seed}, shape, out.mutable_data());
        return out;
      },
      py::arg("kind"), py::arg("a"), py::arg("b"), py::arg("seed"), py::arg("shape"));
  m.def(
      "activation",
      [](const std::string& name, const Array<double>& x) {
        AXON_CHECK(x.ndim() >= 1, "activations.", name, ": expected an array of rank >= 1, got a scalar");
        py::array_t<double> y(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
        const int64_t group = x.shape(x.ndim() - 1);
        kernels::activation_forward<double>(parse_activation(name, "activations"), x.data(), y.mutable_data(),
                                            x.size(), group);
        return y;
      },
      py::arg("name"), py::arg("x"));
  m.def(
      "compute_loss",
      [](const std::string& name, bool from_logits, const Array<double>& y_true, const Array<double>& y_pred,
         bool fused) {
        AXON_CHECK(y_pred.ndim() >= 1, "loss ", name, ": y_pred must have rank >= 1");
        auto loss = make_loss<double>(name, from_logits);
        const int64_t k = y_pred.shape(y_pred.ndim() - 1);
        const int64_t rows = y_pred.size() / k;
        AXON_CHECK(y_true.size() == rows * loss->targets_per_row(k), "loss ", name, ": y_true has ", y_true.size(),
                   " values, expected ", rows * loss->targets_per_row(k), " for y_pred of ", y_pred.size(), " values");
        const Mat<double> pred = ConstMatMap<double>(y_pred.data(), rows, k);
        const Mat<double> truth = ConstMatMap<double>(y_true.data(), rows, loss->targets_per_row(k));
        Mat<double> grad;
        const double value = fused ? loss->compute_fused(pred, truth, k, &grad) : loss->compute(pred, truth, k, &grad);
        py::array_t<double> g(std::vector<py::ssize_t>(y_pred.shape(), y_pred.shape() + y_pred.ndim()));
        std::copy(grad.data(), grad.data() + grad.size(), g.mutable_data());
        return py::make_tuple(value, g);
      },
      py::arg("name"), py::arg("from_logits"), py::arg("y_true"), py::arg("y_pred"), py::arg("fused") = false);
}

}  // namespace axon::bindings
