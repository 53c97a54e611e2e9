#include "core/initializers.hpp"

#include <Eigen/QR>
#include <cmath>

#include "core/check.hpp"
#include "core/rng.hpp"

namespace axon {

namespace {

// Standard deviation of a standard normal truncated to [-2, 2]: dividing by it makes the
// truncated draws' standard deviation the one asked for (Keras' VarianceScaling constant).
constexpr double kTruncatedStd = 0.87962566103423978;

struct Scaling {
  double scale;
  std::string mode, distribution;
};

// The named VarianceScaling subclasses, or the explicit variance_scaling; false otherwise.
bool variance_scaling(const InitSpec& s, Scaling* out) {
  const std::string& k = s.kind;
  if (k == "variance_scaling") {
    *out = {s.a, s.mode, s.distribution == "normal" ? "truncated_normal" : s.distribution};
  } else if (k == "glorot_uniform") {
    *out = {1.0, "fan_avg", "uniform"};
  } else if (k == "glorot_normal") {
    *out = {1.0, "fan_avg", "truncated_normal"};
  } else if (k == "he_uniform") {
    *out = {2.0, "fan_in", "uniform"};
  } else if (k == "he_normal") {
    *out = {2.0, "fan_in", "truncated_normal"};
  } else if (k == "lecun_uniform") {
    *out = {1.0, "fan_in", "uniform"};
  } else if (k == "lecun_normal") {
    *out = {1.0, "fan_in", "truncated_normal"};
  } else {
    return false;
  }
  return true;
}

std::string shape_str(const Shape& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}

// Element i of a normal(0, 1) truncated to [-2, 2], by rejection: attempt k uses counter
// (i, k), so each value depends on (seed, i) only. P(reject) = 4.6%; 64 rejections in a
// row (p ~ 1e-86) fall back to the boundary rather than loop.
double truncated_normal(const Philox& rng, uint64_t i) {
  for (uint64_t k = 0; k < 64; ++k) {
    const double z = rng.normal(i, k);
    if (std::abs(z) <= 2.0) return z;
  }
  return 2.0;
}

// Keras' Orthogonal: QR of a (max(r, c), min(r, c)) normal matrix, columns signed by R's
// diagonal so the distribution is uniform (Haar), transposed when r < c. Shape is seen as
// (prod(shape[:-1]), shape[-1]).
template <class T>
void orthogonal(const Philox& rng, double gain, const Shape& shape, T* data) {
  const int64_t cols = shape.back(), rows = shape_size(shape) / cols;
  const int64_t m = std::max(rows, cols), n = std::min(rows, cols);
  // Eigen blocks its products by the cache sizes it reads off the CPU; fixed sizes make the
  // factorization, and so the weights, the same on every machine.
  static const bool fixed_blocking = (Eigen::setCpuCacheSizes(32 << 10, 1 << 20, 8 << 20), true);
  (void)fixed_blocking;
  Eigen::MatrixXd a(m, n);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) a(i, j) = rng.normal(uint64_t(i * n + j), 0);
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(m, n);
  for (int64_t j = 0; j < n; ++j)
    if (qr.matrixQR()(j, j) < 0) q.col(j) *= -1.0;
  // q is (m, n); the result, row-major (rows, cols), is q or q^T.
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) data[i * cols + j] = T(gain * (rows >= cols ? q(i, j) : q(j, i)));
}

}  // namespace

void compute_fans(const Shape& shape, double& fan_in, double& fan_out) {
  if (shape.empty()) {
    fan_in = fan_out = 1;
  } else if (shape.size() == 1) {
    fan_in = fan_out = double(shape[0]);
  } else if (shape.size() == 2) {
    fan_in = double(shape[0]);
    fan_out = double(shape[1]);
  } else {
    // Convolution kernels (..., in, out): the leading dims are the receptive field.
    double receptive = 1;
    for (size_t i = 0; i + 2 < shape.size(); ++i) receptive *= double(shape[i]);
    fan_in = double(shape[shape.size() - 2]) * receptive;
    fan_out = double(shape.back()) * receptive;
  }
}

void check_initializer(const InitSpec& s, const Shape& shape, const std::string& what) {
  const std::string& k = s.kind;
  Scaling vs;
  if (variance_scaling(s, &vs)) {
    AXON_CHECK(vs.scale > 0, "initializer ", k, ": scale must be a positive number, got ", vs.scale);
    AXON_CHECK(vs.mode == "fan_in" || vs.mode == "fan_out" || vs.mode == "fan_avg", "initializer ", k,
               ": mode must be one of fan_in, fan_out, fan_avg, got '", vs.mode, "'");
    AXON_CHECK(vs.distribution == "truncated_normal" || vs.distribution == "untruncated_normal" ||
                   vs.distribution == "uniform",
               "initializer ", k, ": distribution must be one of truncated_normal, untruncated_normal, ",
               "uniform, got '", vs.distribution, "'");
  } else if (k == "random_normal" || k == "truncated_normal") {
    AXON_CHECK(s.b >= 0, "initializer ", k, ": stddev must be >= 0, got ", s.b);
  } else if (k == "random_uniform") {
    AXON_CHECK(s.b >= s.a, "initializer random_uniform: maxval must be >= minval, got minval=", s.a,
               ", maxval=", s.b);
  } else if (k == "orthogonal") {
    AXON_CHECK(shape.size() >= 2, "initializer orthogonal: ", what, " must be at least two-dimensional, got shape ",
               shape_str(shape));
  } else if (k == "identity") {
    AXON_CHECK(shape.size() == 2, "initializer identity: ", what, " must be a 2-D matrix, got shape ",
               shape_str(shape));
  } else if (k != "zeros" && k != "ones" && k != "constant") {
    fail("initializer: unknown kind '", k, "'; expected one of zeros, ones, constant, random_normal, ",
         "random_uniform, truncated_normal, variance_scaling, glorot_normal, glorot_uniform, he_normal, ",
         "he_uniform, lecun_normal, lecun_uniform, orthogonal, identity");
  }
}

template <class T>
void initialize(const InitSpec& spec, const Shape& shape, T* data) {
  check_initializer(spec, shape, "the weight");
  const int64_t n = shape_size(shape);
  if (n == 0) return;  // an empty shape has nothing to draw (and no columns to orthogonalize)
  const Philox rng(spec.seed, /*stream=*/0x1417);
  const std::string& k = spec.kind;
  auto fill_uniform = [&](double lo, double hi) {
    for (int64_t i = 0; i < n; ++i) data[i] = T(lo + (hi - lo) * rng.uniform_double(uint64_t(i), 0));
  };
  auto fill_normal = [&](double mean, double stddev) {
    for (int64_t i = 0; i < n; ++i) data[i] = T(mean + stddev * rng.normal(uint64_t(i), 0));
  };
  auto fill_truncated = [&](double mean, double stddev) {
    for (int64_t i = 0; i < n; ++i) data[i] = T(mean + stddev * truncated_normal(rng, uint64_t(i)));
  };
  Scaling vs;
  if (variance_scaling(spec, &vs)) {
    double fan_in, fan_out;
    compute_fans(shape, fan_in, fan_out);
    const double fan = vs.mode == "fan_in" ? fan_in : vs.mode == "fan_out" ? fan_out : (fan_in + fan_out) / 2.0;
    const double scale = vs.scale / std::max(1.0, fan);
    if (vs.distribution == "truncated_normal") {
      fill_truncated(0.0, std::sqrt(scale) / kTruncatedStd);
    } else if (vs.distribution == "untruncated_normal") {
      fill_normal(0.0, std::sqrt(scale));
    } else {
      const double limit = std::sqrt(3.0 * scale);
      fill_uniform(-limit, limit);
    }
  } else if (k == "zeros" || k == "ones" || k == "constant") {
    const T v = T(k == "zeros" ? 0.0 : k == "ones" ? 1.0 : spec.a);
    for (int64_t i = 0; i < n; ++i) data[i] = v;
  } else if (k == "random_normal") {
    fill_normal(spec.a, spec.b);
  } else if (k == "truncated_normal") {
    fill_truncated(spec.a, spec.b);
  } else if (k == "random_uniform") {
    fill_uniform(spec.a, spec.b);
  } else if (k == "orthogonal") {
    orthogonal<T>(rng, spec.a, shape, data);
  } else if (k == "identity") {
    const int64_t cols = shape[1];
    for (int64_t i = 0; i < n; ++i) data[i] = T(i / cols == i % cols ? spec.a : 0.0);
  }
}

template void initialize<float>(const InitSpec&, const Shape&, float*);
template void initialize<double>(const InitSpec&, const Shape&, double*);

}  // namespace axon
