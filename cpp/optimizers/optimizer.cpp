#include "optimizers/optimizer.hpp"

#include <algorithm>

#include "core/check.hpp"
#include "optimizers/optimizers.hpp"

namespace axon {

template <class T>
void Optimizer<T>::attach(Arena<T>& arena) {
  arena.allocate_slots(num_slots());
  for (int k = 0; k < num_slots(); ++k) std::fill(arena.slot(k), arena.slot(k) + arena.size(), T(slot_initial_value(k)));
}

template <class T>
void Optimizer<T>::step(Arena<T>& arena, int64_t iteration) {
  AXON_CHECK(arena.num_slots() == num_slots(), "optimizer '", name(), "': slots not allocated (attach first)");
  T* slots[4] = {nullptr, nullptr, nullptr, nullptr};
  for (const auto& [begin, end] : arena.trainable_ranges()) {
    for (int k = 0; k < num_slots(); ++k) slots[k] = arena.slot(k) + begin;
    update(arena.params() + begin, arena.grads() + begin, slots, end - begin, iteration);
  }
}

namespace {

// Reads `key` from the user's config, or `fallback` (the Keras default) when absent.
double get(const OptimizerConfig& cfg, const char* key, double fallback) {
  auto it = cfg.find(key);
  return it == cfg.end() ? fallback : it->second;
}

void check_keys(const std::string& opt, const OptimizerConfig& cfg, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : cfg) {
    (void)value;
    const bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; });
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail("optimizer ", opt, ": unknown argument '", key, "'; expected one of ", list);
    }
  }
}

}  // namespace

template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name, const OptimizerConfig& c) {
  std::unique_ptr<Optimizer<T>> opt;
  if (name == "sgd") {
    check_keys(name, c, {"learning_rate", "momentum", "nesterov"});
    opt = std::make_unique<SGD<T>>(get(c, "momentum", 0.0), get(c, "nesterov", 0.0) != 0.0);
    opt->learning_rate = get(c, "learning_rate", 0.01);
  } else if (name == "adam") {
    check_keys(name, c, {"learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad"});
    opt = std::make_unique<Adam<T>>(get(c, "beta_1", 0.9), get(c, "beta_2", 0.999), get(c, "epsilon", 1e-7),
                                    get(c, "amsgrad", 0.0) != 0.0);
    opt->learning_rate = get(c, "learning_rate", 0.001);
  } else if (name == "rmsprop") {
    check_keys(name, c, {"learning_rate", "rho", "momentum", "epsilon", "centered"});
    opt = std::make_unique<RMSprop<T>>(get(c, "rho", 0.9), get(c, "momentum", 0.0), get(c, "epsilon", 1e-7),
                                       get(c, "centered", 0.0) != 0.0);
    opt->learning_rate = get(c, "learning_rate", 0.001);
  } else if (name == "adagrad") {
    check_keys(name, c, {"learning_rate", "initial_accumulator_value", "epsilon"});
    opt = std::make_unique<Adagrad<T>>(get(c, "initial_accumulator_value", 0.1), get(c, "epsilon", 1e-7));
    opt->learning_rate = get(c, "learning_rate", 0.001);
  } else {
    fail("optimizer: unknown optimizer '", name, "'; expected one of sgd, adam, rmsprop, adagrad");
  }
  AXON_CHECK(opt->learning_rate >= 0, "optimizer ", name, ": learning_rate must be >= 0, got ", opt->learning_rate);
  return opt;
}

template class Optimizer<float>;
template class Optimizer<double>;
template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const std::string&, const OptimizerConfig&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const std::string&, const OptimizerConfig&);

}  // namespace axon
