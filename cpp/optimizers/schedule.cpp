// The formulas of keras/src/optimizers/schedules/learning_rate_schedule.py, in float64.
#include "optimizers/schedule.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"

namespace axon {

namespace {

double param(const Schedule& s, const char* key) {
  auto it = s.params.find(key);
  AXON_CHECK(it != s.params.end(), "schedule ", s.kind, ": missing argument '", key, "'");
  return it->second;
}

double param(const Schedule& s, const char* key, double fallback) {
  auto it = s.params.find(key);
  return it == s.params.end() ? fallback : it->second;
}

constexpr double kPi = 3.14159265358979323846;

double cosine(const Schedule& s, double step) {
  const double initial = param(s, "initial_learning_rate"), decay_steps = param(s, "decay_steps");
  const double alpha = param(s, "alpha", 0.0);
  auto decay = [&](double t, double from) {
    const double cosine_decayed = 0.5 * (1.0 + std::cos(kPi * (t / decay_steps)));
    return from * ((1 - alpha) * cosine_decayed + alpha);
  };
  auto target = s.params.find("warmup_target");
  if (target == s.params.end()) return decay(std::min(step, decay_steps), initial);
  const double warmup_steps = param(s, "warmup_steps", 0.0);
  step = std::min(step, decay_steps + warmup_steps);
  if (step < warmup_steps) return (target->second - initial) * (step / warmup_steps) + initial;
  return decay(step - warmup_steps, target->second);
}

double cosine_restarts(const Schedule& s, double step) {
  const double initial = param(s, "initial_learning_rate"), first = param(s, "first_decay_steps");
  const double t_mul = param(s, "t_mul", 2.0), m_mul = param(s, "m_mul", 1.0), alpha = param(s, "alpha", 0.0);
  double fraction = step / first, i_restart;
  if (t_mul == 1.0) {
    i_restart = std::floor(fraction);
    fraction -= i_restart;
  } else {
    // Restart i begins after first * (1 + t_mul + ... + t_mul^(i-1)) steps.
    i_restart = std::floor(std::log(1.0 - fraction * (1.0 - t_mul)) / std::log(t_mul));
    const double sum_r = (1.0 - std::pow(t_mul, i_restart)) / (1.0 - t_mul);
    fraction = (fraction - sum_r) / std::pow(t_mul, i_restart);
  }
  const double cosine_decayed = 0.5 * std::pow(m_mul, i_restart) * (1.0 + std::cos(kPi * fraction));
  return initial * ((1 - alpha) * cosine_decayed + alpha);
}

}  // namespace

void Schedule::check() const {
  auto positive = [&](const char* key) {
    const double v = param(*this, key);
    AXON_CHECK(v > 0, "schedule ", kind, ": Argument `", key, "` must be > 0. Received: ", key, "=", v);
  };
  if (kind == "constant") {
    (void)param(*this, "learning_rate");
  } else if (kind == "exponential_decay" || kind == "inverse_time_decay") {
    (void)param(*this, "initial_learning_rate");
    (void)param(*this, "decay_rate");
    positive("decay_steps");
  } else if (kind == "polynomial_decay" || kind == "cosine_decay") {
    (void)param(*this, "initial_learning_rate");
    positive("decay_steps");
  } else if (kind == "cosine_decay_restarts") {
    (void)param(*this, "initial_learning_rate");
    positive("first_decay_steps");
  } else if (kind == "piecewise_constant_decay") {
    AXON_CHECK(!values.empty() && boundaries.size() + 1 == values.size(),
               "schedule piecewise_constant_decay: The length of boundaries should be 1 less than the length of "
               "values. Received: boundaries of length ", boundaries.size(), " and values of length ",
               values.size());
  } else {
    fail("schedule: unknown kind '", kind, "'");
  }
}

double Schedule::operator()(double step) const {
  if (kind == "constant") return param(*this, "learning_rate");
  if (kind == "exponential_decay" || kind == "inverse_time_decay") {
    double p = step / param(*this, "decay_steps");
    if (param(*this, "staircase", 0.0) != 0.0) p = std::floor(p);
    const double initial = param(*this, "initial_learning_rate"), rate = param(*this, "decay_rate");
    return kind == "exponential_decay" ? initial * std::pow(rate, p) : initial / (1.0 + rate * p);
  }
  if (kind == "piecewise_constant_decay") {
    // values[i] for boundaries[i-1] < step <= boundaries[i]
    size_t i = 0;
    while (i < boundaries.size() && step > boundaries[i]) ++i;
    return values[i];
  }
  if (kind == "polynomial_decay") {
    const double initial = param(*this, "initial_learning_rate"), end = param(*this, "end_learning_rate", 1e-4);
    const double power = param(*this, "power", 1.0);
    double decay_steps = param(*this, "decay_steps");
    if (param(*this, "cycle", 0.0) != 0.0)
      decay_steps *= step == 0 ? 1.0 : std::ceil(step / decay_steps);  // first multiple past step
    else
      step = std::min(step, decay_steps);
    return (initial - end) * std::pow(1 - step / decay_steps, power) + end;
  }
  if (kind == "cosine_decay") return cosine(*this, step);
  if (kind == "cosine_decay_restarts") return cosine_restarts(*this, step);
  fail("schedule: unknown kind '", kind, "'");
}

}  // namespace axon
