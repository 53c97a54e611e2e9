// Filling the kernel/bias arguments (layers/dense.hpp KernelBiasConfig) from Python.
#pragma once
#include <string>

#include "bindings/common.hpp"
#include "layers/dense.hpp"

namespace axon::bindings {

inline void set_kernel_bias(KernelBiasConfig& c, const std::string& where, const py::object& activation,
                            bool use_bias, const py::tuple& kernel_init, const py::tuple& bias_init,
                            const py::object& kernel_reg, const py::object& bias_reg,
                            const py::object& kernel_constraint, const py::object& bias_constraint) {
  c.activation = to_activation(activation, where);
  c.use_bias = use_bias;
  c.kernel_initializer = to_init(kernel_init);
  c.bias_initializer = to_init(bias_init);
  c.kernel_regularizer = to_reg(kernel_reg);
  c.bias_regularizer = to_reg(bias_reg);
  c.kernel_constraint = to_constraint(kernel_constraint);
  c.bias_constraint = to_constraint(bias_constraint);
}

}  // namespace axon::bindings
