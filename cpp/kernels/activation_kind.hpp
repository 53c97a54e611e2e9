// The activation functions the kernels know, by Keras name.
#pragma once
#include <string>

namespace axon {

enum class Activation { linear, relu, sigmoid, tanh, softmax };

// Throws ValueError naming `where` for unknown names.
Activation parse_activation(const std::string& name, const std::string& where);
const char* activation_name(Activation a);

}  // namespace axon
