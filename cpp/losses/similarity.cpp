// Row losses that couple the whole last axis: cosine similarity and categorical hinge.
#include <algorithm>
#include <cmath>

#include "losses/losses.hpp"
#include "losses/math.hpp"

namespace axon {

// L = -(t . p) it ip, with it, ip = min(1 / |x|, 1 / eps) (Keras' l2 normalize).
// dL/dp_j = -it (t_j ip - (t . p) p_j ip^3), or -it ip t_j when ip is clipped.
template <class T>
double CosineSimilarity<T>::row(const T* p, const T* t, int64_t k, T* g, T scale) const {
  double tt = 0, pp = 0, tp = 0;
  for (int64_t j = 0; j < k; ++j) {
    tt += double(t[j]) * double(t[j]);
    pp += double(p[j]) * double(p[j]);
    tp += double(t[j]) * double(p[j]);
  }
  const double cap = 1.0 / lossmath::kEps;
  const double it = std::min(1.0 / std::sqrt(tt), cap), ip_raw = 1.0 / std::sqrt(pp), ip = std::min(ip_raw, cap);
  if (g) {
    const double c = ip_raw < cap ? tp * ip * ip * ip : 0.0;
    for (int64_t j = 0; j < k; ++j) g[j] = T(double(scale) * -it * (double(t[j]) * ip - c * double(p[j])));
  }
  return -tp * it * ip;
}

// L = max(max_j (1 - t_j) p_j - t . p + 1, 0); the max's subgradient goes to its first argmax.
template <class T>
double CategoricalHinge<T>::row(const T* p, const T* t, int64_t k, T* g, T scale) const {
  double pos = 0;
  int64_t arg = 0;
  T neg = (1 - t[0]) * p[0];
  for (int64_t j = 0; j < k; ++j) {
    pos += double(t[j]) * double(p[j]);
    const T v = (1 - t[j]) * p[j];
    if (v > neg) neg = v, arg = j;
  }
  const double value = double(neg) - pos + 1.0;
  if (g) {
    for (int64_t j = 0; j < k; ++j) g[j] = value > 0 ? -scale * t[j] : T(0);
    if (value > 0) g[arg] += scale * (1 - t[arg]);
  }
  return std::max(value, 0.0);
}

template class CosineSimilarity<float>;
template class CosineSimilarity<double>;
template class CategoricalHinge<float>;
template class CategoricalHinge<double>;

}  // namespace axon
