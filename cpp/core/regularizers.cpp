#include "core/regularizers.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/tensor.hpp"
#include "kernels/kernels.hpp"

namespace axon {

namespace {

template <class T>
double l1l2(const RegSpec& r, const T* w, int64_t n, T* grad) {
  const T l1 = T(r.l1), two_l2 = T(2 * r.l2);
  double l1_sum = 0, l2_sum = 0;
  for (int64_t j = 0; j < n; ++j) {
    l1_sum += std::abs(double(w[j]));
    l2_sum += double(w[j]) * double(w[j]);
    if (grad) grad[j] += l1 * T((w[j] > 0) - (w[j] < 0)) + two_l2 * w[j];
  }
  return r.l1 * l1_sum + r.l2 * l2_sum;
}

// Keras' OrthogonalRegularizer on the rows of A = ws.a (size, len); columns mode passes W^T:
//   u_i = a_i * min(1/||a_i||, 1/eps)          (ops.nn.normalize, eps = 1e-7)
//   penalty = factor * 0.5 * sum_{i != j} |u_i . u_j| / (size (size - 1) / 2)
// Gradient, with S = sign(U U^T) off the diagonal and c = factor / (size (size - 1)):
//   dU = 2 c S U;  da_i = s_i (du_i - (du_i . u_i) u_i) with s_i = 1/||a_i||, or
//   da_i = du_i / eps where the clip is active (then u_i = a_i / eps is linear in a_i).
// Fewer than two vectors have no pairs: the penalty is 0 (Keras divides 0 by 0 there).
// With want_grad, dA is left in ws.du.
template <class T>
double orthogonal(double factor, RegScratch<T>& ws, bool want_grad) {
  const Mat<T>& a = ws.a;
  const int64_t size = a.rows();
  if (size < 2) return 0.0;
  const T inv_eps = T(1e7);
  ws.inv.resize(size);
  ws.u.resize(a.rows(), a.cols());
  for (int64_t i = 0; i < size; ++i) {
    T sq = T(0);  // in order: Eigen's squaredNorm sums in lanes of the build's vector width
    for (int64_t j = 0; j < a.cols(); ++j) sq += a(i, j) * a(i, j);
    ws.inv(i) = std::min(T(1) / std::sqrt(sq), inv_eps);  // 1/sqrt(0) = inf clips to 1/eps
    ws.u.row(i) = a.row(i) * ws.inv(i);
  }
  ws.p.resize(size, size);
  const ConstMatMap<T> u(ws.u.data(), size, a.cols());
  kernels::matmul<T>(u, false, u, true, MatMap<T>(ws.p.data(), size, size));
  double total = 0;
  for (int64_t i = 0; i < size; ++i)
    for (int64_t j = 0; j < size; ++j)
      if (i != j) total += std::abs(double(ws.p(i, j)));
  if (want_grad) {
    const T two_c = T(2 * factor / (double(size) * (double(size) - 1.0)));
    for (int64_t i = 0; i < size; ++i)
      for (int64_t j = 0; j < size; ++j)
        ws.p(i, j) = i == j ? T(0) : two_c * T((ws.p(i, j) > 0) - (ws.p(i, j) < 0));
    ws.du.resize(a.rows(), a.cols());
    kernels::matmul<T>(ConstMatMap<T>(ws.p.data(), size, size), false, u, false, MatMap<T>(ws.du.data(), size, a.cols()));
    for (int64_t i = 0; i < size; ++i) {  // in place: row i of dA needs row i of dU only
      T dot = T(0);
      for (int64_t j = 0; j < a.cols(); ++j) dot += ws.du(i, j) * ws.u(i, j);
      if (ws.inv(i) < inv_eps)
        ws.du.row(i) = ws.inv(i) * (ws.du.row(i) - dot * ws.u.row(i));
      else
        ws.du.row(i) *= ws.inv(i);
    }
  }
  const double num_pairs = double(size) * (double(size) - 1.0) / 2.0;
  return factor * 0.5 * total / num_pairs;
}

}  // namespace

void check_regularizer(const RegSpec& spec, const Shape& shape, const std::string& what) {
  if (spec.kind != RegKind::orthogonal) return;
  AXON_CHECK(shape.size() == 2, "OrthogonalRegularizer: ", what, " must have rank 2, got ", shape.size(),
             " dimension(s)");
}

template <class T>
double regularize(const RegSpec& spec, const T* w, int64_t rows, int64_t cols, T* grad, RegScratch<T>& ws) {
  if (!spec.active()) return 0.0;
  if (spec.kind == RegKind::l1l2) return l1l2(spec, w, rows * cols, grad);
  const ConstMatMap<T> wm(w, rows, cols);
  if (spec.columns)
    ws.a = wm.transpose();
  else
    ws.a = wm;
  const double penalty = orthogonal<T>(spec.factor, ws, grad != nullptr);
  if (grad && ws.a.rows() >= 2) {
    MatMap<T> g(grad, rows, cols);
    if (spec.columns)
      g += ws.du.transpose();
    else
      g += ws.du;
  }
  return penalty;
}

template double regularize<float>(const RegSpec&, const float*, int64_t, int64_t, float*, RegScratch<float>&);
template double regularize<double>(const RegSpec&, const double*, int64_t, int64_t, double*, RegScratch<double>&);

}  // namespace axon
