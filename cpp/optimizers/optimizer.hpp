// Optimizers: slot buffers live in the arena; a step is one fused loop per contiguous range
// of trainable parameters. Formulas follow keras/src/optimizers/*.py (update_step), and the
// step follows base_optimizer.py: clip the gradients, decay the weights, then update.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/arena.hpp"
#include "optimizers/schedule.hpp"

namespace axon {

using OptimizerConfig = std::map<std::string, double>;

// The base optimizer's arguments; a negative value stands for Keras' None.
struct GradientOptions {
  double weight_decay = -1, clipnorm = -1, clipvalue = -1, global_clipnorm = -1;
};

template <class T>
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual const char* name() const = 0;
  virtual int num_slots() const = 0;
  // Value slot k starts at (Adagrad's and Ftrl's accumulators start at initial_accumulator_value).
  virtual double slot_initial_value(int) const { return 0.0; }

  // Allocates and fills the slots and resets any scalar state (call once the arena is finalized).
  void attach(Arena<T>& arena);
  // One update of every trainable parameter; `iteration` counts from 0.
  void step(Arena<T>& arena, int64_t iteration);

  // The learning rate used at step `iteration`: the schedule's value, or the constant.
  double learning_rate_at(int64_t iteration) const { return schedule_(double(iteration)); }
  // A constant learning rate (replaces any schedule).
  void set_learning_rate(double lr);
  void set_schedule(Schedule s);
  bool has_schedule() const { return schedule_.kind != "constant"; }
  // Scalar state beyond the slots and the iteration count (Nadam's u_product), so a saved
  // optimizer resumes bit-identically.
  virtual std::vector<double> scalar_state() const { return {}; }
  virtual void set_scalar_state(const std::vector<double>& state) { (void)state; }

  GradientOptions options;
  // Per arena parameter: false excludes it from weight decay (exclude_from_weight_decay).
  // Empty means every trainable parameter decays, Keras' default.
  std::vector<bool> decay_mask;

 protected:
  // Scalar state that advances once per step before the element loops (Nadam's u_product).
  virtual void begin_step(int64_t /*iteration*/) {}
  virtual void reset_state() {}
  // Updates n values: p -= f(g, slots). slots[k] points at slot k for the same range.
  virtual void update(T* p, const T* g, T* const* slots, size_t n, double lr, int64_t iteration) = 0;

 private:
  void clip_gradients(Arena<T>& arena);
  void apply_weight_decay(Arena<T>& arena, double lr);
  Schedule schedule_{"constant", {{"learning_rate", 0.001}}, {}, {}};
};

// name: "sgd", "adam", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "lion", "ftrl"
// (AdamW is "adam" with weight_decay). config: the optimizer's own arguments plus
// learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm (absent = None).
// Unknown names or keys, bad values raise ValueError naming the argument.
template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name, const OptimizerConfig& config);

}  // namespace axon
