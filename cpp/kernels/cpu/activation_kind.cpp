#include "kernels/activation_kind.hpp"

#include "core/check.hpp"

namespace axon {

Activation parse_activation(const std::string& name, const std::string& where) {
  if (name == "linear" || name.empty() || name == "None") return Activation::linear;
  if (name == "relu") return Activation::relu;
  if (name == "sigmoid") return Activation::sigmoid;
  if (name == "tanh") return Activation::tanh;
  if (name == "softmax") return Activation::softmax;
  fail(where, ": unknown activation '", name, "'; expected one of linear, relu, sigmoid, tanh, softmax");
}

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::linear: return "linear";
    case Activation::relu: return "relu";
    case Activation::sigmoid: return "sigmoid";
    case Activation::tanh: return "tanh";
    case Activation::softmax: return "softmax";
  }
  return "linear";
}

}  // namespace axon
