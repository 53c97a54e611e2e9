// Internal to the CPU activation kernels: the two families activations.cpp dispatches to.
#pragma once
#include <cmath>
#include <cstdint>

#include "kernels/activation_kind.hpp"

namespace axon::kernels::detail {

// Element-wise kinds (activations_pointwise.cpp).
template <class T>
void pointwise_forward(const ActivationSpec& f, const T* z, T* y, int64_t n);
template <class T>
void pointwise_backward(const ActivationSpec& f, const T* z, const T* y, const T* dy, T* dz, int64_t n);

// Axis-wise kinds: softmax, log_softmax, sparsemax, glu (activations_axis.cpp).
// n counts input values.
template <class T>
void axis_forward(const ActivationSpec& f, const T* z, T* y, int64_t n, AxisSpan span);
template <class T>
void axis_backward(const ActivationSpec& f, const T* z, const T* y, const T* dy, T* dz, int64_t n, AxisSpan span);

template <class T>
inline T stable_sigmoid(T v) {
  // exp of a non-positive number only, so large |v| neither overflows nor loses 1 - p.
  if (v >= 0) return T(1) / (T(1) + std::exp(-v));
  const T e = std::exp(v);
  return e / (T(1) + e);
}

// log(1 + exp(v)) without overflow for large v or loss of precision for very negative v.
template <class T>
inline T stable_softplus(T v) {
  return std::max(v, T(0)) + std::log1p(std::exp(-std::abs(v)));
}

}  // namespace axon::kernels::detail
