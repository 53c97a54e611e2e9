// Accumulator-based rules: Adagrad, Adadelta, Ftrl.
#include <algorithm>
#include <cmath>

#include "optimizers/optimizers.hpp"

namespace axon {

template <class T>
void Adagrad<T>::update(T* p, const T* g, T* const* slots, size_t n, double learning_rate, int64_t) {
  const T lr = T(learning_rate), eps = T(epsilon_);
  T* acc = slots[0];
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    acc[i] += g[i] * g[i];
    p[i] -= lr * g[i] / std::sqrt(acc[i] + eps);
  }
}

template <class T>
void Adadelta<T>::update(T* p, const T* g, T* const* slots, size_t n, double learning_rate, int64_t) {
  const T lr = T(learning_rate), rho = T(rho_), eps = T(epsilon_);
  T* acc_grad = slots[0];
  T* acc_delta = slots[1];
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    acc_grad[i] = rho * acc_grad[i] + (1 - rho) * (g[i] * g[i]);
    const T delta = -(std::sqrt(acc_delta[i] + eps) * g[i]) / std::sqrt(acc_grad[i] + eps);
    acc_delta[i] = rho * acc_delta[i] + (1 - rho) * (delta * delta);
    p[i] += lr * delta;
  }
}

template <class T>
void Ftrl<T>::update(T* p, const T* g, T* const* slots, size_t n, double learning_rate, int64_t) {
  const T lr = T(learning_rate), power = T(-o_.learning_rate_power), l1 = T(o_.l1);
  const T two_l2 = T(2 * (o_.l2 + o_.beta / (2.0 * learning_rate))), two_shrink = T(2 * o_.l2_shrinkage);
  T* accum = slots[0];
  T* linear = slots[1];
#pragma omp parallel for schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    const T grad_to_use = g[i] + two_shrink * p[i];
    const T new_accum = accum[i] + g[i] * g[i];
    const T new_pow = std::pow(new_accum, power);
    linear[i] += grad_to_use - (new_pow - std::pow(accum[i], power)) / lr * p[i];
    const T quadratic = new_pow / lr + two_l2;
    const T clipped = std::min(std::max(linear[i], -l1), l1);
    p[i] = (clipped - linear[i]) / quadratic;
    accum[i] = new_accum;
  }
}

template class Adagrad<float>;
template class Adagrad<double>;
template class Adadelta<float>;
template class Adadelta<double>;
template class Ftrl<float>;
template class Ftrl<double>;

}  // namespace axon
