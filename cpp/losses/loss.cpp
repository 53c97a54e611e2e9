#include "losses/loss.hpp"

#include "core/check.hpp"

namespace axon {

template <class T>
double Loss<T>::compute(const Mat<T>& pred, const Mat<T>& y_true, int64_t k, Mat<T>* grad) const {
  const int64_t rows = pred.size() / k, tk = targets_per_row(k);
  const T scale = T(1.0 / double(rows));
  if (grad) grad->resize(pred.rows(), pred.cols());
  double total = 0;
  for (int64_t r = 0; r < rows; ++r)
    total += row(pred.data() + r * k, y_true.data() + r * tk, k, grad ? grad->data() + r * k : nullptr, scale);
  return total / double(rows);
}

template <class T>
double Loss<T>::compute_fused(const Mat<T>& z, const Mat<T>& y_true, int64_t k, Mat<T>* grad) const {
  if (has_logits_batch()) return compute_logits_batch(z, y_true, k, grad);
  const int64_t rows = z.size() / k, tk = targets_per_row(k);
  const T scale = T(1.0 / double(rows));
  if (grad) grad->resize(z.rows(), z.cols());
  double total = 0;
  for (int64_t r = 0; r < rows; ++r)
    total += row_logits(z.data() + r * k, y_true.data() + r * tk, k, grad ? grad->data() + r * k : nullptr, scale);
  return total / double(rows);
}

template <class T>
double Loss<T>::row_logits(const T*, const T*, int64_t, T*, T) const {
  fail("loss '", name(), "' cannot be fused with an activation");
}

template class Loss<float>;
template class Loss<double>;

}  // namespace axon
