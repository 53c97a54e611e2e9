// The activation functions the kernels know, by Keras name, and their parameters.
#pragma once
#include <cstdint>
#include <limits>
#include <string>

#include "core/tensor.hpp"

namespace axon {

enum class Activation {
  linear, relu, sigmoid, tanh, softmax,  // the original five: backward from the output alone
  celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_tanh, leaky_relu,
  log_sigmoid, log_softmax, mish, relu6, selu, silu, soft_shrink, softplus, softsign, sparse_plus,
  sparsemax, squareplus, tanh_shrink, threshold, step
};

// An activation with its Keras arguments. The numbers a, b, c mean, per kind:
//   relu: negative_slope, max_value (+inf for None), threshold
//   leaky_relu: negative_slope; elu, celu: alpha; gelu: approximate (0 or 1)
//   hard_shrink, soft_shrink: threshold; squareplus: b; threshold: threshold, default_value
// `axis` (Keras numbering: 0 is the batch axis, negatives count from the end) is used by
// softmax, log_softmax, sparsemax and glu.
struct ActivationSpec {
  Activation kind = Activation::linear;
  double a = 0.0, b = 0.0, c = 0.0;
  int axis = -1;
};

// Where an axis-wise activation's groups lie in a row-major sample: `group` values spaced
// `inner` apart (inner = product of the later axes). For glu, group is the input's length.
struct AxisSpan {
  int64_t group = 1;
  int64_t inner = 1;
};

// Name -> spec with Keras' default arguments; throws ValueError naming `where` for unknown names.
ActivationSpec parse_activation(const std::string& name, const std::string& where);
// Checks the numbers of a spec built by hand (e.g. from Python); throws ValueError naming `where`.
void validate_activation(const ActivationSpec& spec, const std::string& where);
const char* activation_name(Activation a);

// True when backward needs the pre-activation z (not only the output y).
bool activation_needs_input(const ActivationSpec& spec);
// True for the kinds that work along an axis (softmax, log_softmax, sparsemax, glu).
bool activation_is_axiswise(Activation a);
// The span of spec.axis in a tensor of shape `shape`. With axis_counts_batch (layers), axis
// 0 is the batch axis and `shape` the per-sample shape; without it (plain functions over a
// whole array), axes index `shape` directly.
AxisSpan activation_span(const ActivationSpec& spec, const Shape& shape, bool axis_counts_batch,
                         const std::string& where);
// The output shape (glu halves its axis; everything else keeps the shape).
Shape activation_output_shape(const ActivationSpec& spec, const Shape& shape, bool axis_counts_batch,
                              const std::string& where);
// The activation a loss may fuse with: plain sigmoid, or softmax over the last axis of the
// per-sample `shape`; else linear.
Activation fusable_activation(const ActivationSpec& spec, const Shape& shape);

}  // namespace axon
