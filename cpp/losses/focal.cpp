// Focal cross-entropies (keras/src/losses/losses.py). Both work on probabilities clipped to
// [eps, 1 - eps]: with from_logits Keras applies sigmoid / softmax first and then the
// probability formula, so the logits path here does the same and chains the gradient.
#include <cmath>

#include "losses/losses.hpp"
#include "losses/math.hpp"

namespace axon {

using lossmath::clip_prob;

// Per element, y the (smoothed) target, q the probability, qc = clip(q):
//   bce = -(y log qc + (1 - y) log(1 - qc)), p_t = y q + (1 - y)(1 - q),
//   L = w (1 - p_t)^gamma bce, w = y alpha + (1 - y)(1 - alpha) with class balancing, else 1;
// mean over the last axis.
template <class T>
double BinaryFocalCrossentropy<T>::row(const T* p, const T* t, int64_t k, T* g, T scale) const {
  const LossSpec& s = this->spec_;
  const T gamma = T(s.gamma), alpha = T(s.alpha), g_scale = scale / T(k);
  double loss = 0;
  for (int64_t j = 0; j < k; ++j) {
    const T y = t[j], q = s.from_logits ? lossmath::sigmoid(p[j]) : p[j], qc = clip_prob(q);
    const T bce = -(y * std::log(qc) + (1 - y) * std::log(1 - qc));
    const T base = 1 - (y * q + (1 - y) * (1 - q));
    const T focal = std::pow(base, gamma);
    const T w = s.apply_class_balancing ? y * alpha + (1 - y) * (1 - alpha) : T(1);
    loss += double(w) * double(focal) * double(bce);
    if (!g) continue;
    const T dbce = (qc == q) ? -y / qc + (1 - y) / (1 - qc) : T(0);
    // d(1 - p_t)/dq = 1 - 2y; the power's derivative vanishes at base 0 for gamma >= 1.
    const T dfocal = (gamma != 0 && base > 0) ? gamma * std::pow(base, gamma - 1) * (1 - 2 * y) : T(0);
    T dq = w * (dfocal * bce + focal * dbce);
    if (s.from_logits) dq *= q * (1 - q);
    g[j] = g_scale * dq;
  }
  return loss / double(k);
}

// o = clip(q / sum q) (q = softmax(z) with from_logits), L = sum_j alpha (1 - o_j)^gamma (-t_j log o_j).
// dL/do_j = alpha t_j (gamma (1 - o_j)^(gamma-1) log o_j - (1 - o_j)^gamma / o_j), zero where clipped;
// both the normalization and the softmax map it back as dq_j - sum_i dq_i q_i (over s for the former).
template <class T>
double CategoricalFocalCrossentropy<T>::row(const T* p, const T* t, int64_t k, T* g, T scale) const {
  const LossSpec& s = this->spec_;
  const T gamma = T(s.gamma), alpha = T(s.alpha);
  q_.resize(size_t(k));
  dq_.resize(size_t(k));
  T sum = 0;
  if (s.from_logits) {
    const T mx = *std::max_element(p, p + k);
    for (int64_t j = 0; j < k; ++j) sum += (q_[j] = std::exp(p[j] - mx));
    for (int64_t j = 0; j < k; ++j) q_[j] /= sum;
    sum = 1;  // the softmax's Jacobian already absorbs the normalization
  } else {
    for (int64_t j = 0; j < k; ++j) sum += p[j];
    for (int64_t j = 0; j < k; ++j) q_[j] = p[j] / sum;
  }
  double loss = 0;
  T dot = 0;
  for (int64_t j = 0; j < k; ++j) {
    const T o = clip_prob(q_[j]), logo = std::log(o), m = std::pow(1 - o, gamma);
    loss -= double(alpha) * double(m) * double(t[j]) * double(logo);
    if (!g) continue;
    const T dm = gamma != 0 ? gamma * std::pow(1 - o, gamma - 1) : T(0);
    dq_[j] = (o == q_[j]) ? alpha * t[j] * (dm * logo - m / o) : T(0);
    dot += dq_[j] * q_[j];
  }
  if (g) {
    for (int64_t j = 0; j < k; ++j)
      g[j] = s.from_logits ? scale * q_[j] * (dq_[j] - dot) : scale * (dq_[j] - dot) / sum;
  }
  return loss;
}

template class BinaryFocalCrossentropy<float>;
template class BinaryFocalCrossentropy<double>;
template class CategoricalFocalCrossentropy<float>;
template class CategoricalFocalCrossentropy<double>;

}  // namespace axon
