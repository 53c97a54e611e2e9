#include "core/initializers.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/rng.hpp"

namespace axon {

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

template <class T>
void initialize(const InitSpec& spec, const Shape& shape, T* data) {
  const int64_t n = shape_size(shape);
  const Philox rng(spec.seed, /*stream=*/0x1417);
  const std::string& k = spec.kind;
  auto fill_uniform = [&](double lo, double hi) {
    for (int64_t i = 0; i < n; ++i) data[i] = T(lo + (hi - lo) * rng.uniform_double(uint64_t(i), 0));
  };
  auto fill_normal = [&](double mean, double stddev) {
    for (int64_t i = 0; i < n; ++i) data[i] = T(mean + stddev * rng.normal(uint64_t(i), 0));
  };
  if (k == "zeros") {
    for (int64_t i = 0; i < n; ++i) data[i] = T(0);
  } else if (k == "ones") {
    for (int64_t i = 0; i < n; ++i) data[i] = T(1);
  } else if (k == "constant") {
    for (int64_t i = 0; i < n; ++i) data[i] = T(spec.a);
  } else if (k == "random_normal") {
    fill_normal(spec.a, spec.b);
  } else if (k == "random_uniform") {
    fill_uniform(spec.a, spec.b);
  } else if (k == "glorot_uniform") {
    double fan_in, fan_out;
    compute_fans(shape, fan_in, fan_out);
    const double limit = std::sqrt(6.0 / std::max(1.0, fan_in + fan_out));
    fill_uniform(-limit, limit);
  } else {
    fail("initializer: unknown kind '", k, "'; expected one of zeros, ones, constant, ",
         "random_normal, random_uniform, glorot_uniform");
  }
}

template void initialize<float>(const InitSpec&, const Shape&, float*);
template void initialize<double>(const InitSpec&, const Shape&, double*);

}  // namespace axon
