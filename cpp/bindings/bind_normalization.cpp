// Model.add_batch_normalization / add_layer_normalization / add_group_normalization.
#include "bindings/common.hpp"
#include "layers/normalization.hpp"

namespace axon::bindings {

namespace {
// The gamma/beta arguments the three layers share.
void set_affine(NormalizationConfig& c, double epsilon, bool center, bool scale, const py::tuple& beta_init,
                const py::tuple& gamma_init, const py::object& beta_reg, const py::object& gamma_reg,
                const py::object& beta_constraint, const py::object& gamma_constraint) {
  c.epsilon = epsilon;
  c.center = center;
  c.scale = scale;
  c.beta_initializer = to_init(beta_init);
  c.gamma_initializer = to_init(gamma_init);
  c.beta_regularizer = to_reg(beta_reg);
  c.gamma_regularizer = to_reg(gamma_reg);
  c.beta_constraint = to_constraint(beta_constraint);
  c.gamma_constraint = to_constraint(gamma_constraint);
}
}  // namespace

#define AXON_AFFINE_ARGS                                                                                 \
  py::arg("epsilon"), py::arg("center"), py::arg("scale"), py::arg("beta_initializer"),                  \
      py::arg("gamma_initializer"), py::arg("beta_regularizer"), py::arg("gamma_regularizer"),           \
      py::arg("beta_constraint"), py::arg("gamma_constraint"), py::arg("input")

template <class T>
void bind_normalization_layers(py::class_<Model<T>>& cls) {
  cls.def(
      "add_batch_normalization",
      [](Model<T>& m, const std::string& name, int axis, double momentum, const py::tuple& moving_mean_init,
         const py::tuple& moving_variance_init, double epsilon, bool center, bool scale, const py::tuple& beta_init,
         const py::tuple& gamma_init, const py::object& beta_reg, const py::object& gamma_reg,
         const py::object& beta_constraint, const py::object& gamma_constraint, int input) {
        BatchNormConfig c;
        set_affine(c, epsilon, center, scale, beta_init, gamma_init, beta_reg, gamma_reg, beta_constraint,
                   gamma_constraint);
        c.axis = axis;
        c.momentum = momentum;
        c.moving_mean_initializer = to_init(moving_mean_init);
        c.moving_variance_initializer = to_init(moving_variance_init);
        return m.graph().add(std::make_unique<BatchNormalization<T>>(name, c), input);
      },
      py::arg("name"), py::arg("axis"), py::arg("momentum"), py::arg("moving_mean_initializer"),
      py::arg("moving_variance_initializer"), AXON_AFFINE_ARGS);
  cls.def(
      "add_layer_normalization",
      [](Model<T>& m, const std::string& name, const std::vector<int>& axes, bool rms_scaling, double epsilon,
         bool center, bool scale, const py::tuple& beta_init, const py::tuple& gamma_init, const py::object& beta_reg,
         const py::object& gamma_reg, const py::object& beta_constraint, const py::object& gamma_constraint,
         int input) {
        LayerNormConfig c;
        set_affine(c, epsilon, center, scale, beta_init, gamma_init, beta_reg, gamma_reg, beta_constraint,
                   gamma_constraint);
        c.axes = axes;
        c.rms_scaling = rms_scaling;
        return m.graph().add(std::make_unique<LayerNormalization<T>>(name, c), input);
      },
      py::arg("name"), py::arg("axis"), py::arg("rms_scaling"), AXON_AFFINE_ARGS);
  cls.def(
      "add_group_normalization",
      [](Model<T>& m, const std::string& name, int64_t groups, int axis, double epsilon, bool center, bool scale,
         const py::tuple& beta_init, const py::tuple& gamma_init, const py::object& beta_reg,
         const py::object& gamma_reg, const py::object& beta_constraint, const py::object& gamma_constraint,
         int input) {
        GroupNormConfig c;
        set_affine(c, epsilon, center, scale, beta_init, gamma_init, beta_reg, gamma_reg, beta_constraint,
                   gamma_constraint);
        c.groups = groups;
        c.axis = axis;
        return m.graph().add(std::make_unique<GroupNormalization<T>>(name, c), input);
      },
      py::arg("name"), py::arg("groups"), py::arg("axis"), AXON_AFFINE_ARGS);
}

#undef AXON_AFFINE_ARGS

template void bind_normalization_layers<float>(py::class_<Model<float>>&);
template void bind_normalization_layers<double>(py::class_<Model<double>>&);

}  // namespace axon::bindings
