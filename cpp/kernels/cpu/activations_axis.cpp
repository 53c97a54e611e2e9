// Activations along one axis of each sample: softmax, log_softmax, sparsemax, glu.
//
// A sample's values along the axis are `group` values spaced `inner` apart; there are
// n / (group * inner) * inner such groups in the buffer. The last axis (inner == 1) is the
// common case and keeps softmax's vectorized contiguous path.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "kernels/cpu/activations_impl.hpp"
#include "kernels/kernels.hpp"

namespace axon::kernels::detail {

namespace {

// Calls fn(p, stride) for every group: its values are p[0], p[stride], ... p[(group-1)*stride],
// at offset p from the start of the buffer.
template <class Fn>
void for_each_group(int64_t n, AxisSpan s, Fn fn) {
  const int64_t block = s.group * s.inner;
  for (int64_t o = 0; o < n; o += block)
    for (int64_t k = 0; k < s.inner; ++k) fn(o + k, s.inner);
}

template <class T>
void softmax_forward(const T* z, T* y, int64_t n, AxisSpan s, bool log) {
  if (s.inner == 1 && !log) {
    // Exponentials over the whole buffer at once through Eigen's SIMD exp: with 10 classes a
    // per-row loop cannot vectorize, and scalar expf made this 15x slower at batch 1024.
    shifted_exp(z, y, n, s.group);
    for (int64_t start = 0; start < n; start += s.group) {
      T sum = 0;
      for (int64_t j = start; j < start + s.group; ++j) sum += y[j];
      const T inv = T(1) / sum;
      for (int64_t j = start; j < start + s.group; ++j) y[j] *= inv;
    }
    return;
  }
  for_each_group(n, s, [&](int64_t p, int64_t st) {
    T mx = z[p];
    for (int64_t j = 1; j < s.group; ++j) mx = std::max(mx, z[p + j * st]);
    T sum = 0;
    for (int64_t j = 0; j < s.group; ++j) sum += std::exp(z[p + j * st] - mx);
    if (log) {
      const T shift = mx + std::log(sum);
      for (int64_t j = 0; j < s.group; ++j) y[p + j * st] = z[p + j * st] - shift;
    } else {
      for (int64_t j = 0; j < s.group; ++j) y[p + j * st] = std::exp(z[p + j * st] - mx) / sum;
    }
  });
}

// Sparsemax (Martins & Astudillo 2016): the Euclidean projection onto the simplex,
// y = max(z - tau, 0) with tau chosen so that y sums to one.
template <class T>
void sparsemax_forward(const T* z, T* y, int64_t n, AxisSpan s) {
  thread_local std::vector<T> sorted;  // grows once to the group size; no steady-state allocation
  sorted.resize(size_t(s.group));
  for_each_group(n, s, [&](int64_t p, int64_t st) {
    bool nan = false;
    for (int64_t j = 0; j < s.group; ++j) nan |= std::isnan(sorted[size_t(j)] = z[p + j * st]);
    if (nan) {  // std::sort needs a strict weak order, which NaN breaks (out-of-bounds reads)
      for (int64_t j = 0; j < s.group; ++j) y[p + j * st] = std::numeric_limits<T>::quiet_NaN();
      return;
    }
    std::sort(sorted.begin(), sorted.end(), std::greater<T>());
    T cumsum = 0, tau = 0;
    for (int64_t k = 1; k <= s.group; ++k) {
      cumsum += sorted[size_t(k - 1)];
      if (T(1) + T(k) * sorted[size_t(k - 1)] > cumsum) tau = (cumsum - T(1)) / T(k);  // k is in the support
    }
    for (int64_t j = 0; j < s.group; ++j) y[p + j * st] = std::max(z[p + j * st] - tau, T(0));
  });
}

// glu: y = a * sigmoid(b) where a, b are the first and second halves of the axis.
template <class T>
void glu_forward(const T* z, T* y, int64_t n, AxisSpan s) {
  const int64_t h = s.group / 2, outer = n / (s.group * s.inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) {
      const T* zp = z + o * s.group * s.inner + k;
      T* yp = y + o * h * s.inner + k;
      for (int64_t j = 0; j < h; ++j) yp[j * s.inner] = zp[j * s.inner] * stable_sigmoid(zp[(j + h) * s.inner]);
    }
}

}  // namespace

template <class T>
void axis_forward(const ActivationSpec& f, const T* z, T* y, int64_t n, AxisSpan s) {
  switch (f.kind) {
    case Activation::softmax: return softmax_forward(z, y, n, s, false);
    case Activation::log_softmax: return softmax_forward(z, y, n, s, true);
    case Activation::sparsemax: return sparsemax_forward(z, y, n, s);
    case Activation::glu: return glu_forward(z, y, n, s);
    default: return;
  }
}

template <class T>
void axis_backward(const ActivationSpec& f, const T* z, const T* y, const T* dy, T* dz, int64_t n, AxisSpan s) {
  switch (f.kind) {
    case Activation::softmax:  // dz = y * (dy - <dy, y>)
      return for_each_group(n, s, [&](int64_t p, int64_t st) {
        T dot = 0;
        for (int64_t j = 0; j < s.group; ++j) dot += dy[p + j * st] * y[p + j * st];
        for (int64_t j = 0; j < s.group; ++j) dz[p + j * st] = y[p + j * st] * (dy[p + j * st] - dot);
      });
    case Activation::log_softmax:  // dz = dy - softmax * sum(dy), softmax = exp(y)
      return for_each_group(n, s, [&](int64_t p, int64_t st) {
        T sum = 0;
        for (int64_t j = 0; j < s.group; ++j) sum += dy[p + j * st];
        for (int64_t j = 0; j < s.group; ++j) dz[p + j * st] = dy[p + j * st] - std::exp(y[p + j * st]) * sum;
      });
    case Activation::sparsemax:  // on the support: dy minus its mean there; zero elsewhere
      return for_each_group(n, s, [&](int64_t p, int64_t st) {
        T sum = 0;
        int64_t count = 0;
        for (int64_t j = 0; j < s.group; ++j)
          if (y[p + j * st] > T(0)) sum += dy[p + j * st], ++count;
        const T mean = count ? sum / T(count) : T(0);
        for (int64_t j = 0; j < s.group; ++j)
          dz[p + j * st] = y[p + j * st] > T(0) ? dy[p + j * st] - mean : T(0);
      });
    case Activation::glu: {  // da = dy * sigmoid(b); db = dy * a * sigmoid(b) * (1 - sigmoid(b))
      const int64_t h = s.group / 2, outer = n / (s.group * s.inner);
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t k = 0; k < s.inner; ++k) {
          const int64_t in = o * s.group * s.inner + k, out = o * h * s.inner + k;
          for (int64_t j = 0; j < h; ++j) {
            const T a = z[in + j * s.inner], sg = stable_sigmoid(z[in + (j + h) * s.inner]);
            const T g = dy[out + j * s.inner];
            dz[in + j * s.inner] = g * sg;
            dz[in + (j + h) * s.inner] = g * a * sg * (T(1) - sg);
          }
        }
      return;
    }
    default:
      return;
  }
}

template void axis_forward<float>(const ActivationSpec&, const float*, float*, int64_t, AxisSpan);
template void axis_forward<double>(const ActivationSpec&, const double*, double*, int64_t, AxisSpan);
template void axis_backward<float>(const ActivationSpec&, const float*, const float*, const float*, float*, int64_t,
                                   AxisSpan);
template void axis_backward<double>(const ActivationSpec&, const double*, const double*, const double*, double*,
                                    int64_t, AxisSpan);

}  // namespace axon::kernels::detail
