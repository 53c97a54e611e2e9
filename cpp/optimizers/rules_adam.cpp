// The Adam family: Adam (and AdamW, which only adds weight decay), Adamax, Nadam.
// Step-dependent scalars (bias corrections) are computed once per step in double.
#include <algorithm>
#include <cmath>

#include "optimizers/optimizers.hpp"

namespace axon {

template <class T>
void Adam<T>::update(T* p, const T* g, T* const* slots, size_t n, double lr, int64_t iteration) {
  const double t = double(iteration + 1);
  const T alpha = T(lr * std::sqrt(1 - std::pow(beta_2_, t)) / (1 - std::pow(beta_1_, t)));
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
void Adamax<T>::update(T* p, const T* g, T* const* slots, size_t n, double learning_rate, int64_t iteration) {
  const T lr = T(learning_rate), b1 = T(1 - beta_1_), b2 = T(beta_2_), eps = T(epsilon_);
  const T correction = T(1 - std::pow(beta_1_, double(iteration + 1)));
  T* m = slots[0];
  T* u = slots[1];
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    m[i] += (g[i] - m[i]) * b1;
    u[i] = std::max(b2 * u[i], std::abs(g[i]));
    p[i] -= (lr * m[i]) / (correction * (u[i] + eps));
  }
}

template <class T>
void Nadam<T>::begin_step(int64_t iteration) {
  // Keras advances the cache once per step, before any variable's update.
  u_product_ *= beta_1_ * (1.0 - 0.5 * std::pow(0.96, double(iteration + 1)));
}

template <class T>
void Nadam<T>::update(T* p, const T* g, T* const* slots, size_t n, double learning_rate, int64_t iteration) {
  const double u_t = beta_1_ * (1.0 - 0.5 * std::pow(0.96, double(iteration + 1)));
  const double u_t_1 = beta_1_ * (1.0 - 0.5 * std::pow(0.96, double(iteration + 2)));
  const double u_product_t_1 = u_product_ * u_t_1;
  // m_hat = u_t_1 m / (1 - u_product_t_1) + (1 - u_t) g / (1 - u_product_t)
  const T cm = T(u_t_1 / (1 - u_product_t_1)), cg = T((1 - u_t) / (1 - u_product_));
  const T inv_v = T(1 / (1 - std::pow(beta_2_, double(iteration + 1))));
  const T lr = T(learning_rate), b1 = T(1 - beta_1_), b2 = T(1 - beta_2_), eps = T(epsilon_);
  T* m = slots[0];
  T* v = slots[1];
#pragma omp parallel for simd schedule(static) if (n > kParallelMin)
  for (size_t i = 0; i < n; ++i) {
    m[i] += (g[i] - m[i]) * b1;
    v[i] += (g[i] * g[i] - v[i]) * b2;
    const T m_hat = cm * m[i] + cg * g[i];
    p[i] -= (m_hat * lr) / (std::sqrt(v[i] * inv_v) + eps);
  }
}

template class Adam<float>;
template class Adam<double>;
template class Adamax<float>;
template class Adamax<double>;
template class Nadam<float>;
template class Nadam<double>;

}  // namespace axon
