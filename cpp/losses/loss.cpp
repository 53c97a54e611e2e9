#include "losses/loss.hpp"

#include "core/check.hpp"

namespace axon {

namespace {

// Mean of row_fn over the rows of the last axis; row_fn(r, grad_row_or_null, scale).
template <class T, class RowFn>
double mean_over_rows(const Mat<T>& pred, int64_t k, Mat<T>* grad, RowFn row_fn) {
  const int64_t rows = pred.size() / k;
  const T scale = T(1.0 / double(rows));
  if (grad) grad->resize(pred.rows(), pred.cols());
  double total = 0;
  for (int64_t r = 0; r < rows; ++r) total += row_fn(r, grad ? grad->data() + r * k : nullptr, scale);
  return total / double(rows);
}

}  // namespace

template <class T>
double Loss<T>::compute(const Mat<T>& pred, const Mat<T>& y_true, int64_t k, Mat<T>* grad) const {
  const int64_t tk = targets_per_row(k);
  return mean_over_rows(pred, k, grad, [&](int64_t r, T* g, T scale) {
    return row(pred.data() + r * k, y_true.data() + r * tk, k, g, scale);
  });
}

template <class T>
double Loss<T>::compute_fused(const Mat<T>& z, const Mat<T>& y_true, int64_t k, Mat<T>* grad) const {
  if (has_logits_batch()) return compute_logits_batch(z, y_true, k, grad);
  const int64_t tk = targets_per_row(k);
  return mean_over_rows(z, k, grad, [&](int64_t r, T* g, T scale) {
    return row_logits(z.data() + r * k, y_true.data() + r * tk, k, g, scale);
  });
}

template <class T>
double Loss<T>::row_logits(const T*, const T*, int64_t, T*, T) const {
  fail("loss '", name(), "' cannot be fused with an activation");
}

template class Loss<float>;
template class Loss<double>;

}  // namespace axon
