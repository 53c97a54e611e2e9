// Keras weight constraints, applied in place after each optimizer step.
#pragma once
#include <string>
#include <vector>

#include "core/param_spec.hpp"

namespace axon {

// Throws ValueError when `spec` is invalid for a weight of `shape` (an axis out of range,
// a negative norm bound). `what` names the weight in messages.
void check_constraint(const ConstraintSpec& spec, const Shape& shape, const std::string& what);

// w <- constraint(w), w of shape `shape` (row-major). Norms reduce over spec.axes;
// `scratch` holds them (kept by the caller so steady-state steps do not allocate).
template <class T>
void apply_constraint(const ConstraintSpec& spec, const Shape& shape, T* w, std::vector<T>& scratch);

}  // namespace axon
