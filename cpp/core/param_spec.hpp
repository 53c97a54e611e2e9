// What a layer asks the arena for: shape, how to initialize, regularize and constrain.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace axon {

// Initializers by Keras name. a/b are the distribution's two numbers:
// constant(value=a), random_normal / truncated_normal(mean=a, stddev=b),
// random_uniform(minval=a, maxval=b), variance_scaling(scale=a), orthogonal / identity(gain=a).
// mode and distribution are VarianceScaling's (fan_in|fan_out|fan_avg,
// truncated_normal|untruncated_normal|uniform); the named variance-scaling kinds
// (glorot_*, he_*, lecun_*) fix all three themselves.
struct InitSpec {
  std::string kind = "zeros";
  double a = 0.0;
  double b = 0.0;
  uint64_t seed = 0;
  std::string mode = "fan_in";
  std::string distribution = "truncated_normal";
};

// Keras regularizers. l1l2: penalty = l1 * sum(|w|) + l2 * sum(w^2).
// orthogonal: OrthogonalRegularizer(factor, mode='columns' if columns else 'rows').
enum class RegKind { l1l2, orthogonal };
struct RegSpec {
  double l1 = 0.0;
  double l2 = 0.0;
  RegKind kind = RegKind::l1l2;
  double factor = 0.0;
  bool columns = false;
  bool active() const { return kind == RegKind::orthogonal ? factor != 0.0 : l1 != 0.0 || l2 != 0.0; }
};

// Keras constraints, applied to the weight after every optimizer step.
// Norms are taken over `axes` (Keras' `axis`; negative counts from the end).
enum class ConstraintKind { none, max_norm, min_max_norm, non_neg, unit_norm };
struct ConstraintSpec {
  ConstraintKind kind = ConstraintKind::none;
  double min_value = 0.0;
  double max_value = 0.0;
  double rate = 1.0;
  std::vector<int64_t> axes{0};
  bool active() const { return kind != ConstraintKind::none; }
};

struct ParamSpec {
  std::string name;  // "kernel", "bias"
  Shape shape;
  InitSpec init;
  RegSpec reg;
  bool trainable = true;
  ConstraintSpec constraint;
};

}  // namespace axon
