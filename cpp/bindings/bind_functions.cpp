// Stand-alone functions over NumPy arrays (float64), so axon.activations, axon.losses and
// axon.initializers compute exactly what the engine computes.
#include "bindings/common.hpp"
#include "core/initializers.hpp"
#include "kernels/kernels.hpp"
#include "losses/loss.hpp"

namespace axon::bindings {

LossSpec to_loss_spec(const std::string& name, bool from_logits, const py::dict& c) {
  LossSpec s;
  s.name = name;
  s.from_logits = from_logits;
  for (const auto& [key_obj, value] : c) {
    const auto key = key_obj.cast<std::string>();
    if (key == "label_smoothing") s.label_smoothing = value.cast<double>();
    else if (key == "alpha") s.alpha = value.cast<double>();
    else if (key == "gamma") s.gamma = value.cast<double>();
    else if (key == "delta") s.delta = value.cast<double>();
    else if (key == "apply_class_balancing") s.apply_class_balancing = value.cast<bool>();
    else if (key == "reduction") s.reduction = parse_reduction(value.cast<std::string>());
    else if (key == "ignore_class") {
      s.has_ignore_class = !value.is_none();
      if (s.has_ignore_class) s.ignore_class = value.cast<int64_t>();
    } else {
      fail("loss ", name, ": unknown config key '", key, "'");
    }
  }
  AXON_CHECK(s.label_smoothing >= 0 && s.label_smoothing <= 1, "loss ", name,
             ": label_smoothing must be in [0, 1], got ", s.label_smoothing);
  return s;
}

void bind_functions(py::module_& m) {
  m.def(
      "initialize",
      [](const std::string& kind, double a, double b, uint64_t seed, const Shape& shape, const std::string& mode,
         const std::string& distribution) {
        for (int64_t d : shape) AXON_CHECK(d >= 0, "initializer ", kind, ": dimensions must be >= 0");
        py::array_t<double> out(std::vector<py::ssize_t>(shape.begin(), shape.end()));
        initialize<double>(InitSpec{kind, a, b, seed, mode, distribution}, shape, out.mutable_data());
        return out;
      },
      py::arg("kind"), py::arg("a"), py::arg("b"), py::arg("seed"), py::arg("shape"), py::arg("mode") = "fan_in",
      py::arg("distribution") = "truncated_normal");
  // y = f(x) over a whole array; `axis` (for softmax, log_softmax, sparsemax, glu) indexes
  // x's own axes. With dy, returns (y, dx) instead: the engine's backward, for tests.
  m.def(
      "activation",
      [](const py::object& spec, const Array<double>& x, const py::object& dy) -> py::object {
        AXON_CHECK(x.ndim() >= 1, "activations: expected an array of rank >= 1, got a scalar");
        const ActivationSpec f = to_activation(spec, "activations");
        const Shape shape(x.shape(), x.shape() + x.ndim());
        const AxisSpan span = activation_span(f, shape, false, std::string("activations.") + activation_name(f.kind));
        const Shape out_shape = activation_output_shape(f, shape, false, "activations");
        py::array_t<double> y(std::vector<py::ssize_t>(out_shape.begin(), out_shape.end()));
        kernels::activation_forward<double>(f, x.data(), y.mutable_data(), x.size(), span);
        if (dy.is_none()) return std::move(y);
        const Array<double> g = dy.cast<Array<double>>();
        AXON_CHECK(g.size() == y.size(), "activations: dy must have the output's shape");
        py::array_t<double> dx(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
        kernels::activation_backward<double>(f, x.data(), y.data(), g.data(), dx.mutable_data(), x.size(), span);
        return py::make_tuple(y, dx);
      },
      py::arg("spec"), py::arg("x"), py::arg("dy") = py::none());
  // The loss of y_pred (..., K) against y_true, reduced as config["reduction"] says: a float,
  // or with 'none' an array of y_pred.shape[:-1]; plus dL/dy_pred (of the sum for 'none').
  // sample_weight: one value per sample (y_pred.shape[0]), or None.
  m.def(
      "compute_loss",
      [](const std::string& name, bool from_logits, const Array<double>& y_true, const Array<double>& y_pred,
         bool fused, const py::object& sample_weight, const py::dict& config) -> py::tuple {
        AXON_CHECK(y_pred.ndim() >= 1, "loss ", name, ": y_pred must have rank >= 1");
        auto loss = make_loss<double>(to_loss_spec(name, from_logits, config));
        const int64_t k = y_pred.shape(y_pred.ndim() - 1);
        AXON_CHECK(k > 0, "loss ", name, ": y_pred's last axis is empty");
        const int64_t rows = y_pred.size() / k;
        const int64_t samples = y_pred.ndim() >= 2 ? y_pred.shape(0) : 1;
        AXON_CHECK(y_true.size() == rows * loss->targets_per_row(k), "loss ", name, ": y_true has ", y_true.size(),
                   " values, expected ", rows * loss->targets_per_row(k), " for y_pred of ", y_pred.size(), " values");
        const double* w = nullptr;
        Array<double> weights;
        if (!sample_weight.is_none()) {
          weights = sample_weight.cast<Array<double>>();
          AXON_CHECK(weights.size() == samples, "loss ", name, ": sample_weight must have one value per sample (",
                     samples, "), got ", weights.size());
          w = weights.data();
        }
        const Mat<double> pred = ConstMatMap<double>(y_pred.data(), samples, rows / samples * k);
        const Mat<double> truth = ConstMatMap<double>(y_true.data(), samples, rows / samples * loss->targets_per_row(k));
        Mat<double> grad;
        std::vector<double> per_row(static_cast<size_t>(rows));
        const double value = fused ? loss->compute_fused(pred, truth, k, &grad, w, per_row.data())
                                   : loss->compute(pred, truth, k, &grad, w, per_row.data());
        py::array_t<double> g(std::vector<py::ssize_t>(y_pred.shape(), y_pred.shape() + y_pred.ndim()));
        std::copy(grad.data(), grad.data() + grad.size(), g.mutable_data());
        if (loss->spec().reduction != Reduction::none) return py::make_tuple(value, g);
        py::array_t<double> values(std::vector<py::ssize_t>(y_pred.shape(), y_pred.shape() + y_pred.ndim() - 1));
        std::copy(per_row.begin(), per_row.end(), values.mutable_data());
        return py::make_tuple(values, g);
      },
      py::arg("name"), py::arg("from_logits"), py::arg("y_true"), py::arg("y_pred"), py::arg("fused") = false,
      py::arg("sample_weight") = py::none(), py::arg("config") = py::dict());
}

}  // namespace axon::bindings
