// Model.add_conv_transpose / add_depthwise: the transposed, depthwise and separable
// convolutions (layers/conv_transpose.hpp, layers/depthwise.hpp).
#include "bindings/common.hpp"
#include "bindings/kernel_bias.hpp"
#include "bindings/window_args.hpp"
#include "layers/conv_transpose.hpp"
#include "layers/depthwise.hpp"

namespace axon::bindings {

template <class T>
void bind_conv_family(py::class_<Model<T>>& cls) {
  cls.def(
      "add_conv_transpose",
      [](Model<T>& m, const std::string& name, int64_t filters, const std::vector<int64_t>& kernel_size,
         const std::vector<int64_t>& strides, const std::string& padding, const std::vector<int64_t>& output_padding,
         const std::string& data_format, const std::vector<int64_t>& dilation_rate, const py::object& activation,
         bool use_bias, const py::tuple& kernel_init, const py::tuple& bias_init, const py::object& kernel_reg,
         const py::object& bias_reg, const py::object& activity_reg, const py::object& kernel_constraint,
         const py::object& bias_constraint, int input) {
        ConvTransposeConfig c;
        c.filters = filters;
        c.window = to_window(kernel_size, strides, dilation_rate, padding, data_format);
        c.output_padding = output_padding;
        set_kernel_bias(c, "ConvTranspose '" + name + "'", activation, use_bias, kernel_init, bias_init, kernel_reg,
                        bias_reg, kernel_constraint, bias_constraint);
        return m.graph().add(std::make_unique<ConvTranspose<T>>(name, c), input, to_reg(activity_reg));
      },
      py::arg("name"), py::arg("filters"), py::arg("kernel_size"), py::arg("strides"), py::arg("padding"),
      py::arg("output_padding"), py::arg("data_format"), py::arg("dilation_rate"), py::arg("activation"),
      py::arg("use_bias"), py::arg("kernel_initializer"), py::arg("bias_initializer"),
      py::arg("kernel_regularizer"), py::arg("bias_regularizer"), py::arg("activity_regularizer"),
      py::arg("kernel_constraint"), py::arg("bias_constraint"), py::arg("input"));
  // filters = 0: DepthwiseConv; filters > 0: SeparableConv with the pointwise_* arguments.
  // kernel_* are the depthwise kernel's arguments.
  cls.def(
      "add_depthwise",
      [](Model<T>& m, const std::string& name, int64_t filters, const std::vector<int64_t>& kernel_size,
         const std::vector<int64_t>& strides, const std::string& padding, const std::string& data_format,
         const std::vector<int64_t>& dilation_rate, int64_t depth_multiplier, const py::object& activation,
         bool use_bias, const py::tuple& kernel_init, const py::tuple& bias_init, const py::object& kernel_reg,
         const py::object& bias_reg, const py::object& activity_reg, const py::object& kernel_constraint,
         const py::object& bias_constraint, const py::tuple& pointwise_init, const py::object& pointwise_reg,
         const py::object& pointwise_constraint, int input) {
        DepthwiseConfig c;
        c.filters = filters;
        c.window = to_window(kernel_size, strides, dilation_rate, padding, data_format);
        c.depth_multiplier = depth_multiplier;
        set_kernel_bias(c, "Depthwise '" + name + "'", activation, use_bias, kernel_init, bias_init, kernel_reg,
                        bias_reg, kernel_constraint, bias_constraint);
        c.pointwise_initializer = to_init(pointwise_init);
        c.pointwise_regularizer = to_reg(pointwise_reg);
        c.pointwise_constraint = to_constraint(pointwise_constraint);
        return m.graph().add(std::make_unique<Depthwise<T>>(name, c), input, to_reg(activity_reg));
      },
      py::arg("name"), py::arg("filters"), py::arg("kernel_size"), py::arg("strides"), py::arg("padding"),
      py::arg("data_format"), py::arg("dilation_rate"), py::arg("depth_multiplier"), py::arg("activation"),
      py::arg("use_bias"), py::arg("kernel_initializer"), py::arg("bias_initializer"),
      py::arg("kernel_regularizer"), py::arg("bias_regularizer"), py::arg("activity_regularizer"),
      py::arg("kernel_constraint"), py::arg("bias_constraint"), py::arg("pointwise_initializer"),
      py::arg("pointwise_regularizer"), py::arg("pointwise_constraint"), py::arg("input"));
}

template void bind_conv_family<float>(py::class_<Model<float>>&);
template void bind_conv_family<double>(py::class_<Model<double>>&);

}  // namespace axon::bindings
