// The update rules, one fused element loop each. Element-wise, so threading them cannot
// change results.
#include <algorithm>
#include <cmath>

#include "optimizers/optimizers.hpp"

namespace axon {

namespace {
constexpr size_t kParallelMin = 1 << 15;  // below this, thread start-up costs more than it saves
}

template <class T>
void SGD<T>::update(T* p, const T* g, T* const* slots, size_t n, int64_t) {
  const T lr = T(this->learning_rate), mu = T(momentum_);
  if (momentum_ == 0) {
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
    for (size_t i = 0; i < n; ++i) p[i] -= lr * g[i];
    return;
  }
  T* m = slots[0];
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    m[i] = -g[i] * lr + m[i] * mu;
    p[i] += nesterov_ ? -g[i] * lr + m[i] * mu : m[i];
  }
}

template <class T>
void Adam<T>::update(T* p, const T* g, T* const* slots, size_t n, int64_t iteration) {
  const double t = double(iteration + 1);
  const T alpha = T(this->learning_rate * std::sqrt(1 - std::pow(beta_2_, t)) / (1 - std::pow(beta_1_, t)));
  const T b1 = T(1 - beta_1_), b2 = T(1 - beta_2_), eps = T(epsilon_);
  T* m = slots[0];
  T* v = slots[1];
  if (!amsgrad_) {
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
    for (size_t i = 0; i < n; ++i) {
      m[i] += (g[i] - m[i]) * b1;
      v[i] += (g[i] * g[i] - v[i]) * b2;
      p[i] -= (m[i] * alpha) / (std::sqrt(v[i]) + eps);
    }
    return;
  }
  T* v_hat = slots[2];
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    m[i] += (g[i] - m[i]) * b1;
    v[i] += (g[i] * g[i] - v[i]) * b2;
    v_hat[i] = std::max(v_hat[i], v[i]);
    p[i] -= (m[i] * alpha) / (std::sqrt(v_hat[i]) + eps);
  }
}

template <class T>
void RMSprop<T>::update(T* p, const T* g, T* const* slots, size_t n, int64_t) {
  const T lr = T(this->learning_rate), rho = T(rho_), mu = T(momentum_), eps = T(epsilon_);
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
void Adagrad<T>::update(T* p, const T* g, T* const* slots, size_t n, int64_t) {
  const T lr = T(this->learning_rate), eps = T(epsilon_);
  T* acc = slots[0];
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    acc[i] += g[i] * g[i];
    p[i] -= lr * g[i] / std::sqrt(acc[i] + eps);
  }
}

template class SGD<float>;
template class SGD<double>;
template class Adam<float>;
template class Adam<double>;
template class RMSprop<float>;
template class RMSprop<double>;
template class Adagrad<float>;
template class Adagrad<double>;

}  // namespace axon
