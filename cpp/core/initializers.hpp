// Keras initializers, drawn from the counter-based generator so a seed fixes every value.
#pragma once
#include "core/param_spec.hpp"

namespace axon {

// Throws ValueError when `spec` is unknown, has invalid arguments, or cannot fill `shape`
// (orthogonal needs rank >= 2, identity rank 2). `what` names the weight in messages.
void check_initializer(const InitSpec& spec, const Shape& shape, const std::string& what);

// Fills data (shape `shape`) according to spec; checks it first.
template <class T>
void initialize(const InitSpec& spec, const Shape& shape, T* data);

// Keras' compute_fans: (fan_in, fan_out) with the receptive field for rank > 2.
void compute_fans(const Shape& shape, double& fan_in, double& fan_out);

}  // namespace axon
