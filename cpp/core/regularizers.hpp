// Keras regularizers as penalty + gradient, shared by the arena (weight penalties) and the
// graph (activity penalties), so both paths compute the same numbers.
#pragma once
#include <string>

#include "core/param_spec.hpp"
#include "core/tensor.hpp"

namespace axon {

// Throws ValueError when `spec` cannot regularize a tensor of per-sample or weight shape
// `shape` (OrthogonalRegularizer needs rank 2). `what` names the tensor in messages.
void check_regularizer(const RegSpec& spec, const Shape& shape, const std::string& what);

// OrthogonalRegularizer's work matrices. Callers keep one per regularized tensor, so a
// steady-state step reuses them (Eigen does not reallocate at an unchanged size).
template <class T>
struct RegScratch {
  Mat<T> a, u, p, du;
  Vec<T> inv;
};

// The penalty of w seen as a row-major (rows, cols) matrix; when grad is non-null, also
// adds d(penalty)/dw to it. L1L2 ignores the matrix view and the scratch.
template <class T>
double regularize(const RegSpec& spec, const T* w, int64_t rows, int64_t cols, T* grad, RegScratch<T>& scratch);

}  // namespace axon
