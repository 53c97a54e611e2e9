// Model.add_conv / add_pooling / add_global_pooling: the convolution and pooling layers.
#include "bindings/common.hpp"
#include "bindings/kernel_bias.hpp"
#include "bindings/window_args.hpp"
#include "layers/conv.hpp"
#include "layers/pooling.hpp"

namespace axon::bindings {

template <class T>
void bind_spatial_layers(py::class_<Model<T>>& cls) {
  cls.def(
      "add_conv",
      [](Model<T>& m, const std::string& name, int64_t filters, const std::vector<int64_t>& kernel_size,
         const std::vector<int64_t>& strides, const std::string& padding, const std::string& data_format,
         const std::vector<int64_t>& dilation_rate, int64_t groups, const py::object& activation, bool use_bias,
         const py::tuple& kernel_init, const py::tuple& bias_init, const py::object& kernel_reg,
         const py::object& bias_reg, const py::object& activity_reg, const py::object& kernel_constraint,
         const py::object& bias_constraint, int input) {
        ConvConfig c;
        c.filters = filters;
        c.window = to_window(kernel_size, strides, dilation_rate, padding, data_format);
        c.groups = groups;
        set_kernel_bias(c, "Conv '" + name + "'", activation, use_bias, kernel_init, bias_init, kernel_reg, bias_reg,
                        kernel_constraint, bias_constraint);
        return m.graph().add(std::make_unique<Conv<T>>(name, c), input, to_reg(activity_reg));
      },
      py::arg("name"), py::arg("filters"), py::arg("kernel_size"), py::arg("strides"), py::arg("padding"),
      py::arg("data_format"), py::arg("dilation_rate"), py::arg("groups"), py::arg("activation"),
      py::arg("use_bias"), py::arg("kernel_initializer"), py::arg("bias_initializer"),
      py::arg("kernel_regularizer"), py::arg("bias_regularizer"), py::arg("activity_regularizer"),
      py::arg("kernel_constraint"), py::arg("bias_constraint"), py::arg("input"));
  cls.def(
      "add_pooling",
      [](Model<T>& m, const std::string& name, bool max, const std::vector<int64_t>& pool_size,
         const std::vector<int64_t>& strides, const std::string& padding, const std::string& data_format,
         int input) {
        const WindowConfig w = to_window(pool_size, strides, {}, padding, data_format);
        return m.graph().add(std::make_unique<Pooling<T>>(name, max, w), input);
      },
      py::arg("name"), py::arg("max"), py::arg("pool_size"), py::arg("strides"), py::arg("padding"),
      py::arg("data_format"), py::arg("input"));
  cls.def(
      "add_global_pooling",
      [](Model<T>& m, const std::string& name, bool max, int rank, const std::string& data_format, bool keepdims,
         int input) {
        return m.graph().add(
            std::make_unique<GlobalPooling<T>>(name, max, rank, channels_first(data_format), keepdims), input);
      },
      py::arg("name"), py::arg("max"), py::arg("rank"), py::arg("data_format"), py::arg("keepdims"),
      py::arg("input"));
}

template void bind_spatial_layers<float>(py::class_<Model<float>>&);
template void bind_spatial_layers<double>(py::class_<Model<double>>&);

}  // namespace axon::bindings
