// The optimizer step shared by every rule: gradient clipping and decoupled weight decay in
// the order of Keras' base_optimizer.apply, then the rule's fused loop over each range.
// Clipping and decay are extra passes that run only when configured: the norms they need
// are per parameter tensor (or global), not per merged range.
#include "optimizers/optimizer.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"

namespace axon {

template <class T>
void Optimizer<T>::attach(Arena<T>& arena) {
  arena.allocate_slots(num_slots());
  for (int k = 0; k < num_slots(); ++k) std::fill(arena.slot(k), arena.slot(k) + arena.size(), T(slot_initial_value(k)));
  reset_state();
}

template <class T>
void Optimizer<T>::set_learning_rate(double lr) {
  AXON_CHECK(std::isfinite(lr) && lr >= 0, "optimizer ", name(), ": learning_rate must be >= 0, got ", lr);
  schedule_ = Schedule{"constant", {{"learning_rate", lr}}, {}, {}};
}

template <class T>
void Optimizer<T>::set_schedule(Schedule s) {
  s.check();
  schedule_ = std::move(s);
}

template <class T>
void Optimizer<T>::clip_gradients(Arena<T>& arena) {
  const double clipnorm = options.clipnorm, global = options.global_clipnorm, clipvalue = options.clipvalue;
  auto sum_squares = [&](int i) {
    const T* g = arena.grad(i);
    double s = 0;
    for (size_t j = 0, n = arena.count(i); j < n; ++j) s += double(g[j]) * double(g[j]);
    return s;
  };
  auto scale = [&](int i, double factor) {
    T* g = arena.grad(i);
    const T f = T(factor);
    for (size_t j = 0, n = arena.count(i); j < n; ++j) g[j] *= f;
  };
  if (clipnorm > 0) {
    // Each variable on its own: g * clipnorm / max(||g||, clipnorm).
    for (int i = 0; i < arena.num_params(); ++i) {
      if (!arena.spec(i).trainable) continue;
      const double norm = std::sqrt(sum_squares(i));
      T* g = arena.grad(i);
      const T c = T(clipnorm), d = T(std::max(norm, clipnorm));
      for (size_t j = 0, n = arena.count(i); j < n; ++j) g[j] = g[j] * c / d;
    }
  } else if (global > 0) {
    double total = 0;
    for (int i = 0; i < arena.num_params(); ++i)
      if (arena.spec(i).trainable) total += sum_squares(i);
    const double norm = std::sqrt(total);
    // Keras' clip_by_global_norm: a NaN/inf norm makes the scale NaN rather than 0.
    const double factor = global * std::min(1.0 / norm, 1.0 / global) + (norm - norm);
    for (int i = 0; i < arena.num_params(); ++i)
      if (arena.spec(i).trainable) scale(i, factor);
  } else if (clipvalue > 0) {
    const T v = T(clipvalue);
    for (const auto& [begin, end] : arena.trainable_ranges()) {
      T* g = arena.grads();
      for (size_t j = begin; j < end; ++j) g[j] = std::min(std::max(g[j], -v), v);
    }
  }
}

template <class T>
void Optimizer<T>::apply_weight_decay(Arena<T>& arena, double lr) {
  const T wd = T(options.weight_decay), rate = T(lr);
  for (int i = 0; i < arena.num_params(); ++i) {
    if (!arena.spec(i).trainable || (size_t(i) < decay_mask.size() && !decay_mask[size_t(i)])) continue;
    T* w = arena.param(i);
    for (size_t j = 0, n = arena.count(i); j < n; ++j) w[j] -= w[j] * wd * rate;  // Keras: v - v * wd * lr
  }
}

template <class T>
void Optimizer<T>::step(Arena<T>& arena, int64_t iteration) {
  AXON_CHECK(arena.num_slots() == num_slots(), "optimizer '", name(), "': slots not allocated (attach first)");
  const double lr = learning_rate_at(iteration);
  if (options.clipnorm > 0 || options.global_clipnorm > 0 || options.clipvalue > 0) clip_gradients(arena);
  if (options.weight_decay > 0) apply_weight_decay(arena, lr);
  begin_step(iteration);
  T* slots[4] = {nullptr, nullptr, nullptr, nullptr};
  for (const auto& [begin, end] : arena.trainable_ranges()) {
    for (int k = 0; k < num_slots(); ++k) slots[k] = arena.slot(k) + begin;
    update(arena.params() + begin, arena.grads() + begin, slots, end - begin, lr, iteration);
  }
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace axon
