// Cross-entropies. Probabilities are clipped to [eps, 1 - eps] as Keras does (the clipped
// side gets zero gradient); logits go through log-sum-exp / softplus and never overflow.
#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "kernels/kernels.hpp"
#include "losses/losses.hpp"
#include "losses/math.hpp"

namespace axon {

namespace {

using lossmath::clip_prob;

template <class T>
int64_t label_of(T value, int64_t k) {
  const int64_t label = int64_t(value);
  AXON_CHECK(double(label) == double(value) && label >= 0 && label < k,
             "sparse_categorical_crossentropy: labels must be integers in [0, ", k, "), got ", double(value));
  return label;
}

// log(sum(exp(z))) computed around the max.
template <class T>
T log_sum_exp(const T* z, int64_t k) {
  const T mx = *std::max_element(z, z + k);
  T sum = 0;
  for (int64_t j = 0; j < k; ++j) sum += std::exp(z[j] - mx);
  return mx + std::log(sum);
}

// L = -sum t_j log(clip(p_j / s)) with s = sum p. Gradient through the normalization:
// dL/dp_i = (dL/dq_i - sum_j dL/dq_j q_j) / s.
template <class T>
double categorical_from_probs(const T* p, const T* t, int64_t k, T* g, T scale) {
  T s = 0;
  for (int64_t j = 0; j < k; ++j) s += p[j];
  double loss = 0;
  T dot = 0;
  for (int64_t j = 0; j < k; ++j) {
    const T q = p[j] / s, qc = clip_prob(q);
    loss -= double(t[j]) * std::log(double(qc));
    const T dq = (q == qc) ? -t[j] / qc : T(0);
    if (g) g[j] = dq;
    dot += dq * q;
  }
  if (g)
    for (int64_t j = 0; j < k; ++j) g[j] = scale * (g[j] - dot) / s;
  return loss;
}

// L = -sum t_j (z_j - lse(z)); dL/dz_i = softmax_i * sum(t) - t_i.
template <class T>
double categorical_from_logits(const T* z, const T* t, int64_t k, T* g, T scale) {
  const T lse = log_sum_exp(z, k);
  double loss = 0;
  T t_sum = 0;
  for (int64_t j = 0; j < k; ++j) {
    loss -= double(t[j]) * double(z[j] - lse);
    t_sum += t[j];
  }
  if (g)
    for (int64_t j = 0; j < k; ++j) g[j] = scale * (std::exp(z[j] - lse) * t_sum - t[j]);
  return loss;
}

}  // namespace

template <class T>
double CategoricalCrossentropy<T>::row(const T* p, const T* t, int64_t k, T* g, T scale) const {
  return this->spec_.from_logits ? categorical_from_logits(p, t, k, g, scale) : categorical_from_probs(p, t, k, g, scale);
}

template <class T>
double CategoricalCrossentropy<T>::row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const {
  return categorical_from_logits(z, t, k, g, scale);
}

namespace {

// Whole-batch fused softmax cross-entropy, the training hot path: the exponentials go
// through one SIMD pass (kernels::shifted_exp) into the gradient buffer (or `scratch` when
// only the loss is wanted), so nothing is allocated per batch. Row r weighs row_w[r] and
// the sum is scaled by `inv` (the reduction's 1 / divisor).
template <class T, class Targets>
double softmax_xent_batch(const Mat<T>& zmat, int64_t k, Mat<T>& scratch, Mat<T>* grad, const T* row_w, double inv,
                          double* row_losses, Targets targets) {
  Mat<T>& e = grad ? *grad : scratch;
  e.resize(zmat.rows(), zmat.cols());
  const int64_t rows = zmat.size() / k;
  kernels::shifted_exp<T>(zmat.data(), e.data(), zmat.size(), k);
  double total = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const T* z = zmat.data() + r * k;
    T* er = e.data() + r * k;
    const T w = row_w[r];
    if (w == T(0)) {  // masked (ignore_class) or zero weight: no loss, no gradient
      if (grad) std::fill(er, er + k, T(0));
      if (row_losses) row_losses[r] = 0;
      continue;
    }
    T sum = 0;
    for (int64_t j = 0; j < k; ++j) sum += er[j];
    const T lse = *std::max_element(z, z + k) + std::log(sum);
    const double value = double(w) * targets.row_loss(r, z, lse, k);
    total += value;
    if (row_losses) row_losses[r] = value;
    if (grad) targets.row_grad(r, er, sum, k, er, T(double(w) * inv));  // in place: e becomes dL/dz
  }
  return total * inv;
}

// Dense (one-hot or soft) targets: L = sum(t) lse - sum(t z); dL/dz = p sum(t) - t.
template <class T>
struct DenseTargets {
  const T* t;
  double row_loss(int64_t r, const T* z, T lse, int64_t k) const {
    double loss = 0;
    for (int64_t j = 0; j < k; ++j) loss -= double(t[r * k + j]) * double(z[j] - lse);
    return loss;
  }
  void row_grad(int64_t r, const T* e, T sum, int64_t k, T* g, T scale) const {  // g may alias e
    T t_sum = 0;
    for (int64_t j = 0; j < k; ++j) t_sum += t[r * k + j];
    const T c = scale * t_sum / sum;
    for (int64_t j = 0; j < k; ++j) g[j] = c * e[j] - scale * t[r * k + j];
  }
};

// Integer labels: L = lse - z_label; dL/dz = p - onehot(label).
template <class T>
struct SparseTargets {
  const T* t;
  double row_loss(int64_t r, const T* z, T lse, int64_t k) const { return double(lse - z[label_of(t[r], k)]); }
  void row_grad(int64_t r, const T* e, T sum, int64_t k, T* g, T scale) const {
    const T c = scale / sum;
    for (int64_t j = 0; j < k; ++j) g[j] = c * e[j];
    g[label_of(t[r], k)] -= scale;
  }
};

}  // namespace

template <class T>
double CategoricalCrossentropy<T>::logits_batch(const Mat<T>& z, const Mat<T>& t, int64_t k, Mat<T>* grad,
                                                const T* row_w, double inv, double* row_losses) const {
  return softmax_xent_batch(z, k, scratch_, grad, row_w, inv, row_losses, DenseTargets<T>{t.data()});
}

template <class T>
double SparseCategoricalCrossentropy<T>::logits_batch(const Mat<T>& z, const Mat<T>& t, int64_t k, Mat<T>* grad,
                                                      const T* row_w, double inv, double* row_losses) const {
  return softmax_xent_batch(z, k, scratch_, grad, row_w, inv, row_losses, SparseTargets<T>{t.data()});
}

template <class T>
double SparseCategoricalCrossentropy<T>::row(const T* p, const T* t, int64_t k, T* g, T scale) const {
  if (this->spec_.from_logits) return row_logits(p, t, k, g, scale);
  const int64_t label = label_of(t[0], k);
  T s = 0;
  for (int64_t j = 0; j < k; ++j) s += p[j];
  const T q = p[label] / s, qc = clip_prob(q);
  if (g) {
    // Only dL/dq_label = -1/q is non-zero (unless clipped).
    const T dq = (q == qc) ? T(-1) / qc : T(0);
    for (int64_t j = 0; j < k; ++j) g[j] = scale * (-dq * q) / s;
    g[label] += scale * dq / s;
  }
  return -std::log(double(qc));
}

template <class T>
double SparseCategoricalCrossentropy<T>::row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const {
  const int64_t label = label_of(t[0], k);
  const T lse = log_sum_exp(z, k);
  if (g) {
    for (int64_t j = 0; j < k; ++j) g[j] = scale * std::exp(z[j] - lse);
    g[label] -= scale;
  }
  return double(lse - z[label]);
}

template <class T>
double BinaryCrossentropy<T>::row(const T* p, const T* t, int64_t k, T* g, T scale) const {
  if (this->spec_.from_logits) return row_logits(p, t, k, g, scale);
  double loss = 0;
  const T g_scale = scale / T(k);
  for (int64_t j = 0; j < k; ++j) {
    const T pc = clip_prob(p[j]);
    loss -= double(t[j]) * std::log(double(pc)) + double(1 - t[j]) * std::log(double(1 - pc));
    if (g) g[j] = (pc == p[j]) ? g_scale * (-t[j] / pc + (1 - t[j]) / (1 - pc)) : T(0);
  }
  return loss / double(k);
}

template <class T>
double BinaryCrossentropy<T>::row_logits(const T* z, const T* t, int64_t k, T* g, T scale) const {
  double loss = 0;
  const T g_scale = scale / T(k);
  for (int64_t j = 0; j < k; ++j) {
    // max(z, 0) - z t + log(1 + exp(-|z|)): finite for any z.
    loss += double(std::max(z[j], T(0)) - z[j] * t[j] + std::log1p(std::exp(-std::abs(z[j]))));
    if (g) {
      g[j] = g_scale * (lossmath::sigmoid(z[j]) - t[j]);
    }
  }
  return loss / double(k);
}

template class BinaryCrossentropy<float>;
template class BinaryCrossentropy<double>;
template class CategoricalCrossentropy<float>;
template class CategoricalCrossentropy<double>;
template class SparseCategoricalCrossentropy<float>;
template class SparseCategoricalCrossentropy<double>;

}  // namespace axon
