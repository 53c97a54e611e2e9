// Model.add_<layer>(...) for each layer type; each returns the new node's id.
#include "bindings/common.hpp"
#include "bindings/kernel_bias.hpp"
#include "layers/activation_layers.hpp"
#include "layers/dense.hpp"
#include "layers/simple.hpp"

namespace axon::bindings {

template <class T>
void bind_layers(py::class_<Model<T>>& cls) {
  cls.def(
      "add_dense",
      [](Model<T>& m, const std::string& name, int64_t units, const py::object& activation, bool use_bias,
         const py::tuple& kernel_init, const py::tuple& bias_init, const py::object& kernel_reg,
         const py::object& bias_reg, const py::object& activity_reg, int input, const py::object& kernel_constraint,
         const py::object& bias_constraint) {
        DenseConfig c;
        c.units = units;
        set_kernel_bias(c, "Dense '" + name + "'", activation, use_bias, kernel_init, bias_init, kernel_reg, bias_reg,
                        kernel_constraint, bias_constraint);
        return m.graph().add(std::make_unique<Dense<T>>(name, c), input, to_reg(activity_reg));
      },
      py::arg("name"), py::arg("units"), py::arg("activation"), py::arg("use_bias"), py::arg("kernel_initializer"),
      py::arg("bias_initializer"), py::arg("kernel_regularizer"), py::arg("bias_regularizer"),
      py::arg("activity_regularizer"), py::arg("input"), py::arg("kernel_constraint") = py::none(),
      py::arg("bias_constraint") = py::none());
  cls.def(
      "add_activation",
      [](Model<T>& m, const std::string& name, const py::object& activation, const py::object& activity_reg,
         int input, const std::string& type) {
        // The type string must outlive the layer: keep it to the known layer names.
        static const char* const kTypes[] = {"Activation", "ReLU", "LeakyReLU", "ELU", "Softmax"};
        const char* t = kTypes[0];
        for (const char* k : kTypes)
          if (type == k) t = k;
        const ActivationSpec f = to_activation(activation, std::string(t) + " '" + name + "'");
        return m.graph().add(std::make_unique<ActivationLayer<T>>(name, f, t), input, to_reg(activity_reg));
      },
      py::arg("name"), py::arg("activation"), py::arg("activity_regularizer"), py::arg("input"),
      py::arg("type") = "Activation");
  cls.def(
      "add_prelu",
      [](Model<T>& m, const std::string& name, const py::tuple& alpha_init, const py::object& alpha_reg,
         const std::vector<int64_t>& shared_axes, int input) {
        PReLUConfig c{to_init(alpha_init), to_reg(alpha_reg), shared_axes};
        return m.graph().add(std::make_unique<PReLU<T>>(name, c), input);
      },
      py::arg("name"), py::arg("alpha_initializer"), py::arg("alpha_regularizer"), py::arg("shared_axes"),
      py::arg("input"));
  cls.def(
      "add_dropout",
      [](Model<T>& m, const std::string& name, double rate, uint64_t seed, int input) {
        return m.graph().add(std::make_unique<Dropout<T>>(name, rate, seed), input);
      },
      py::arg("name"), py::arg("rate"), py::arg("seed"), py::arg("input"));
  cls.def(
      "add_reshape",
      [](Model<T>& m, const std::string& name, const Shape& target, const std::string& type, int input) {
        // The type string must outlive the layer: keep it to the two known names.
        const char* t = type == "Flatten" ? "Flatten" : "Reshape";
        return m.graph().add(std::make_unique<Reshape<T>>(name, target, t), input);
      },
      py::arg("name"), py::arg("target_shape"), py::arg("type"), py::arg("input"));
  bind_spatial_layers<T>(cls);
  bind_reshaping_layers<T>(cls);
  bind_conv_family<T>(cls);
  bind_normalization_layers<T>(cls);
}

template void bind_layers<float>(py::class_<Model<float>>&);
template void bind_layers<double>(py::class_<Model<double>>&);

}  // namespace axon::bindings
