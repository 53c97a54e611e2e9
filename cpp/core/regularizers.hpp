// Keras regularizers as penalty + gradient, shared by the arena (weight penalties) and the
// graph (activity penalties), so both paths compute the same numbers.
#pragma once
#include <string>

#include "core/param_spec.hpp"

namespace axon {

// Throws ValueError when `spec` cannot regularize a tensor of per-sample or weight shape
// `shape` (OrthogonalRegularizer needs rank 2). `what` names the tensor in messages.
void check_regularizer(const RegSpec& spec, const Shape& shape, const std::string& what);

// The penalty of w seen as a row-major (rows, cols) matrix; when grad is non-null, also
// adds d(penalty)/dw to it. L1L2 ignores the matrix view.
template <class T>
double regularize(const RegSpec& spec, const T* w, int64_t rows, int64_t cols, T* grad);

}  // namespace axon
