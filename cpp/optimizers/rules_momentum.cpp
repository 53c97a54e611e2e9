// SGD, RMSprop and Lion: one fused element loop each. Element-wise, so threading them
// cannot change results.
#include <algorithm>
#include <cmath>

#include "optimizers/optimizers.hpp"

namespace axon {

template <class T>
void SGD<T>::update(T* p, const T* g, T* const* slots, size_t n, double learning_rate, int64_t) {
  const T lr = T(learning_rate), mu = T(momentum_);
  if (momentum_ == 0) {
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
    for (size_t i = 0; i < n; ++i) p[i] -= g[i] * lr;
    return;
  }
  T* m = slots[0];
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    m[i] = m[i] * mu - g[i] * lr;
    p[i] += nesterov_ ? m[i] * mu - g[i] * lr : m[i];
  }
}

template <class T>
void RMSprop<T>::update(T* p, const T* g, T* const* slots, size_t n, double learning_rate, int64_t) {
  const T lr = T(learning_rate), rho = T(rho_), mu = T(momentum_), eps = T(epsilon_);
  T* velocity = slots[0];
  T* mom = momentum_ > 0 ? slots[1] : nullptr;
  T* avg_grad = centered_ ? slots[momentum_ > 0 ? 2 : 1] : nullptr;
#pragma omp parallel for schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    velocity[i] = rho * velocity[i] + (1 - rho) * g[i] * g[i];
    T denominator = velocity[i] + eps;
    if (avg_grad) {
      avg_grad[i] = rho * avg_grad[i] + (1 - rho) * g[i];
      denominator = velocity[i] - avg_grad[i] * avg_grad[i] + eps;
    }
    const T increment = lr * g[i] / std::sqrt(denominator);
    if (mom) {
      mom[i] = mu * mom[i] + increment;
      p[i] -= mom[i];
    } else {
      p[i] -= increment;
    }
  }
}

template <class T>
void Lion<T>::update(T* p, const T* g, T* const* slots, size_t n, double learning_rate, int64_t) {
  const T lr = T(learning_rate), b1 = T(beta_1_), b2 = T(beta_2_);
  T* m = slots[0];
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    const T c = m[i] * b1 + g[i] * (1 - b1);
    p[i] -= lr * T((c > 0) - (c < 0));  // sign(c), 0 at 0 as ops.sign
    m[i] = m[i] * b2 + g[i] * (1 - b2);
  }
}

template class SGD<float>;
template class SGD<double>;
template class RMSprop<float>;
template class RMSprop<double>;
template class Lion<float>;
template class Lion<double>;

}  // namespace axon
