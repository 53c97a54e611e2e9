// mean_squared_error: mean over the last axis of (y_true - y_pred)^2.
#include "losses/losses.hpp"

namespace axon {

template <class T>
double MeanSquaredError<T>::row(const T* p, const T* t, int64_t k, T* g, T scale) const {
  double sum = 0;
  const T g_scale = T(2) * scale / T(k);
  for (int64_t j = 0; j < k; ++j) {
    const T d = p[j] - t[j];
    sum += double(d) * double(d);
    if (g) g[j] = g_scale * d;
  }
  return sum / double(k);
}

template class MeanSquaredError<float>;
template class MeanSquaredError<double>;

}  // namespace axon
