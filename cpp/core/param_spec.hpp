// What a layer asks the arena for: shape, how to initialize, how to regularize.
#pragma once
#include <cstdint>
#include <string>

#include "core/tensor.hpp"

namespace axon {

// Initializers by Keras name. a/b are the distribution's two numbers:
// constant(value=a), random_normal(mean=a, stddev=b), random_uniform(minval=a, maxval=b).
struct InitSpec {
  std::string kind = "zeros";
  double a = 0.0;
  double b = 0.0;
  uint64_t seed = 0;
};

// Keras L1L2: penalty = l1 * sum(|w|) + l2 * sum(w^2).
struct RegSpec {
  double l1 = 0.0;
  double l2 = 0.0;
  bool active() const { return l1 != 0.0 || l2 != 0.0; }
};

struct ParamSpec {
  std::string name;  // "kernel", "bias"
  Shape shape;
  InitSpec init;
  RegSpec reg;
  bool trainable = true;
};

}  // namespace axon
