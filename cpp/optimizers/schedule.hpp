// Learning-rate schedules (keras.optimizers.schedules), evaluated in the engine from the
// iteration count, so a scheduled fit never calls back into Python per batch.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace axon {

// std::less<> finds by const char* without building a std::string: evaluating a schedule
// every step must not allocate.
using ScheduleParams = std::map<std::string, double, std::less<>>;

struct Schedule {
  // "constant" (no schedule), "exponential_decay", "piecewise_constant_decay",
  // "polynomial_decay", "inverse_time_decay", "cosine_decay", "cosine_decay_restarts"
  std::string kind = "constant";
  ScheduleParams params;  // Keras argument names; absent warmup_target = None
  std::vector<double> boundaries, values;  // piecewise_constant_decay only

  // Validates the arguments (ValueError naming the argument).
  void check() const;
  // The learning rate at optimizer step `step` (Keras' schedule(iterations)).
  double operator()(double step) const;
};

}  // namespace axon
