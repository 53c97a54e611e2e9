#include "losses/loss.hpp"

#include "core/check.hpp"

namespace axon {

Reduction parse_reduction(const std::string& name) {
  // Keras 3 treats 'mean' as 'sum_over_batch_size' (standardize_reduction).
  if (name == "sum_over_batch_size" || name == "mean") return Reduction::sum_over_batch_size;
  if (name == "sum") return Reduction::sum;
  if (name == "mean_with_sample_weight") return Reduction::mean_with_sample_weight;
  if (name == "none") return Reduction::none;
  fail("loss: unknown reduction '", name, "'; expected one of sum_over_batch_size, mean, sum, ",
       "mean_with_sample_weight, none");
}

template <class T>
double Loss<T>::weigh_rows(int64_t samples, int64_t rows, const Mat<T>& t, int64_t tk, const T* w) const {
  row_w_.resize(size_t(rows));
  const int64_t per_sample = rows / samples;
  double valid = 0, weight_sum = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const bool counts = !masks_rows() || row_counts(t.data() + r * tk);
    row_w_[size_t(r)] = counts ? (w ? w[r / per_sample] : T(1)) : T(0);
    valid += counts;
    weight_sum += double(row_w_[size_t(r)]);
  }
  double divisor = 1;
  switch (spec_.reduction) {
    case Reduction::sum_over_batch_size:
      // Keras rescales a mask by total / (valid + epsilon): masked rows leave the mean.
      divisor = masks_rows() ? valid + 1e-7 : double(rows);
      break;
    case Reduction::mean_with_sample_weight:
      // The sum of the weights as given (one per sample), or of weight * mask per row.
      if (masks_rows() || !w) {
        divisor = masks_rows() ? weight_sum : double(rows);
      } else {
        divisor = 0;
        for (int64_t s = 0; s < samples; ++s) divisor += double(w[s]);
      }
      break;
    case Reduction::sum:
    case Reduction::none:
      break;
  }
  return divisor == 0 ? 0.0 : 1.0 / divisor;  // divide_no_nan
}

template <class T>
double Loss<T>::run(const Mat<T>& pred, const Mat<T>& y, int64_t k, Mat<T>* grad, const T* w, double* out,
                    bool logits) const {
  const Mat<T>& t = prepare_targets(y, k);
  const int64_t tk = targets_per_row(k), rows = pred.size() / k;
  const double inv = weigh_rows(pred.rows(), rows, t, tk, w);
  if (grad) grad->resize(pred.rows(), pred.cols());
  if (logits && has_logits_batch()) return logits_batch(pred, t, k, grad, row_w_.data(), inv, out);
  double total = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const T wr = row_w_[size_t(r)];
    T* g = grad ? grad->data() + r * k : nullptr;
    if (wr == T(0)) {  // masked or zero-weighted: no value, no gradient (and no label check)
      if (g) std::fill(g, g + k, T(0));
      if (out) out[r] = 0;
      continue;
    }
    const T* p = pred.data() + r * k;
    const T* tr = t.data() + r * tk;
    const T scale = T(double(wr) * inv);
    const double value = double(wr) * (logits ? row_logits(p, tr, k, g, scale) : row(p, tr, k, g, scale));
    if (out) out[r] = value;
    total += value;
  }
  return total * inv;
}

template <class T>
double Loss<T>::compute(const Mat<T>& pred, const Mat<T>& y, int64_t k, Mat<T>* grad, const T* w,
                        double* out) const {
  return run(pred, y, k, grad, w, out, false);
}

template <class T>
double Loss<T>::compute_fused(const Mat<T>& z, const Mat<T>& y, int64_t k, Mat<T>* grad, const T* w,
                              double* out) const {
  return run(z, y, k, grad, w, out, true);
}

template <class T>
double Loss<T>::row_logits(const T*, const T*, int64_t, T*, T) const {
  fail("loss '", name(), "' cannot be fused with an activation");
}

template <class T>
double Loss<T>::logits_batch(const Mat<T>&, const Mat<T>&, int64_t, Mat<T>*, const T*, double, double*) const {
  fail("loss '", name(), "' has no batched logits path");
}

template <class T>
const Mat<T>& Loss<T>::smooth(const Mat<T>& y, double center) const {
  const double ls = spec_.label_smoothing;
  if (ls == 0) return y;
  targets_.resize(y.rows(), y.cols());
  const T a = T(1 - ls), b = T(ls * center);
  for (int64_t i = 0; i < y.size(); ++i) targets_.data()[i] = y.data()[i] * a + b;
  return targets_;
}

template class Loss<float>;
template class Loss<double>;

}  // namespace axon
