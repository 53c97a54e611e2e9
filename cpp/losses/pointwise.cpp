// Losses that reduce a function of (prediction, target) over the last axis: the regression
// losses, Poisson, KL divergence (a sum, as Keras) and the binary hinges (a mean).
#include <cmath>

#include "losses/losses.hpp"
#include "losses/math.hpp"

namespace axon {

namespace {

using lossmath::kEps;
using lossmath::sign;

// The value of one element; *d receives its derivative w.r.t. p.
template <class T>
double element(Pointwise kind, T p, T t, T delta, T* d) {
  switch (kind) {
    case Pointwise::mse: {
      const T e = p - t;
      *d = 2 * e;
      return double(e) * double(e);
    }
    case Pointwise::mae:
      *d = sign(p - t);
      return std::abs(double(p) - double(t));
    case Pointwise::mape: {  // 100 |t - p| / max(|t|, eps)
      const T den = std::max(std::abs(t), T(kEps));
      *d = T(100) * sign(p - t) / den;
      return 100.0 * std::abs(double(t) - double(p)) / double(den);
    }
    case Pointwise::msle: {  // (log(max(p, eps) + 1) - log(max(t, eps) + 1))^2
      const T pc = std::max(p, T(kEps));
      const T diff = std::log(pc + 1) - std::log(std::max(t, T(kEps)) + 1);
      *d = p > T(kEps) ? 2 * diff / (pc + 1) : T(0);
      return double(diff) * double(diff);
    }
    case Pointwise::huber: {
      const T e = p - t, ae = std::abs(e);
      if (ae <= delta) {
        *d = e;
        return 0.5 * double(e) * double(e);
      }
      *d = delta * sign(e);
      return double(delta) * double(ae) - 0.5 * double(delta) * double(delta);
    }
    case Pointwise::log_cosh: {
      // x + softplus(-2x) - log 2 = |x| + log1p(exp(-2|x|)) - log 2: finite for any x, but it
      // cancels for small |x| (log cosh 1e-7 = 5e-15 came out 2% off); there
      // log1p(cosh x - 1) = log1p(2 sinh^2(x/2)) keeps every digit.
      const T x = p - t, ax = std::abs(x);
      *d = std::tanh(x);
      if (ax < T(1)) {
        const double s = std::sinh(0.5 * double(x));
        return std::log1p(2.0 * s * s);
      }
      return double(ax) + std::log1p(std::exp(-2.0 * double(ax))) - std::log(2.0);
    }
    case Pointwise::poisson:  // p - t log(p + eps)
      *d = 1 - t / (p + T(kEps));
      return double(p) - double(t) * std::log(double(p) + kEps);
    case Pointwise::kld: {  // t log(t / p) on [eps, 1]-clipped values
      const T tc = std::min(std::max(t, T(kEps)), T(1)), pc = std::min(std::max(p, T(kEps)), T(1));
      *d = (pc == p) ? -tc / pc : T(0);
      return double(tc) * std::log(double(tc) / double(pc));
    }
    case Pointwise::hinge: {
      const T m = 1 - t * p;
      *d = m > 0 ? -t : T(0);
      return m > 0 ? double(m) : 0.0;
    }
    case Pointwise::squared_hinge: {
      const T m = 1 - t * p;
      *d = m > 0 ? -2 * t * m : T(0);
      return m > 0 ? double(m) * double(m) : 0.0;
    }
  }
  return 0.0;
}

}  // namespace

template <class T>
const char* PointwiseLoss<T>::name() const {
  switch (kind_) {
    case Pointwise::mse: return "mean_squared_error";
    case Pointwise::mae: return "mean_absolute_error";
    case Pointwise::mape: return "mean_absolute_percentage_error";
    case Pointwise::msle: return "mean_squared_logarithmic_error";
    case Pointwise::huber: return "huber_loss";
    case Pointwise::log_cosh: return "log_cosh";
    case Pointwise::poisson: return "poisson";
    case Pointwise::kld: return "kl_divergence";
    case Pointwise::hinge: return "hinge";
    case Pointwise::squared_hinge: return "squared_hinge";
  }
  return "?";
}

template <class T>
double PointwiseLoss<T>::row(const T* p, const T* t, int64_t k, T* g, T scale) const {
  const double per = kind_ == Pointwise::kld ? 1.0 : 1.0 / double(k);  // KL sums, the others average
  const T g_scale = T(double(scale) * per), delta = T(this->spec_.delta);
  double sum = 0;
  T d = 0;
  for (int64_t j = 0; j < k; ++j) {
    sum += element(kind_, p[j], t[j], delta, &d);
    if (g) g[j] = g_scale * d;
  }
  return sum * per;
}

// Hinge losses take labels in {-1, 1}; Keras converts {0, 1} labels when the whole batch
// is binary (convert_binary_labels_to_hinge), and leaves anything else as it is.
template <class T>
const Mat<T>& PointwiseLoss<T>::prepare_targets(const Mat<T>& y, int64_t) const {
  if (kind_ != Pointwise::hinge && kind_ != Pointwise::squared_hinge) return y;
  for (int64_t i = 0; i < y.size(); ++i)
    if (y.data()[i] != T(0) && y.data()[i] != T(1)) return y;
  this->targets_.resize(y.rows(), y.cols());
  for (int64_t i = 0; i < y.size(); ++i) this->targets_.data()[i] = 2 * y.data()[i] - 1;
  return this->targets_;
}

template class PointwiseLoss<float>;
template class PointwiseLoss<double>;

}  // namespace axon
