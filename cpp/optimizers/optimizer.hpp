// Optimizers: slot buffers live in the arena; a step is one fused loop per contiguous range
// of trainable parameters. Formulas follow keras/src/optimizers/*.py (update_step).
#pragma once
#include <map>
#include <memory>
#include <string>

#include "core/arena.hpp"

namespace axon {

using OptimizerConfig = std::map<std::string, double>;

template <class T>
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual const char* name() const = 0;
  virtual int num_slots() const = 0;
  // Value slots start at (Adagrad's accumulator starts at initial_accumulator_value).
  virtual double slot_initial_value(int) const { return 0.0; }

  // Allocates and fills the slots (call once the arena is finalized).
  void attach(Arena<T>& arena);
  // One update of every trainable parameter; `iteration` counts from 0.
  void step(Arena<T>& arena, int64_t iteration);

  double learning_rate = 0.001;

 protected:
  // Updates n values: p -= f(g, slots). slots[k] points at slot k for the same range.
  virtual void update(T* p, const T* g, T* const* slots, size_t n, int64_t iteration) = 0;
};

// name: "sgd", "adam", "rmsprop", "adagrad". Unknown names or config keys raise ValueError.
template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name, const OptimizerConfig& config);

}  // namespace axon
