// Element-wise activations: y = f(z) and dz = dy * f'(z), one plain loop per kind (the
// compiler vectorizes the simple ones). Formulas follow Keras 3 (keras.activations).
#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/cpu/activations_impl.hpp"
#include "kernels/cpu/parallel_ranges.hpp"

namespace axon::kernels::detail {

namespace {

// Keras 3 / JAX selu constants (Klambauer et al. 2017).
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSqrt2OverPi = 0.7978845608028654;  // sqrt(2 / pi), tanh-approximate gelu
constexpr double kInvSqrt2 = 0.7071067811865476;
constexpr double kInvSqrt2Pi = 0.3989422804014327;  // 1 / sqrt(2 pi), the normal density's scale

template <class T>
T clamp(T v, T lo, T hi) {
  return std::min(std::max(v, lo), hi);
}

template <class T>
void forward_range(const ActivationSpec& f, const T* z, T* y, int64_t n) {
  const T a = T(f.a), b = T(f.b), c = T(f.c);
#define AXON_MAP(expr)                                          \
  for (int64_t i = 0; i < n; ++i) {                             \
    const T v = z[i];                                           \
    y[i] = (expr);                                              \
  }                                                             \
  return;
  switch (f.kind) {
    case Activation::linear:
      if (y != z) std::copy(z, z + n, y);
      return;
    case Activation::relu:
      if (f.a == 0 && f.c == 0 && std::isinf(f.b)) { AXON_MAP(v > T(0) ? v : T(0)) }
      // Keras: x * (x > threshold), clipped to [0, max_value] when given, minus
      // negative_slope * relu(threshold - x).
      AXON_MAP((std::isinf(f.b) ? (v > c ? v : T(0)) : clamp(v > c ? v : T(0), T(0), b)) -
               a * std::max(c - v, T(0)))
    case Activation::leaky_relu: AXON_MAP(v >= T(0) ? v : a * v)
    case Activation::relu6: AXON_MAP(clamp(v, T(0), T(6)))
    case Activation::elu: AXON_MAP(v > T(0) ? v : a * std::expm1(v))
    case Activation::selu: AXON_MAP(T(kSeluScale) * (v > T(0) ? v : T(kSeluAlpha) * std::expm1(v)))
    case Activation::celu: AXON_MAP(std::max(v, T(0)) + std::min(T(0), a * std::expm1(v / a)))
    case Activation::exponential: AXON_MAP(std::exp(v))
    case Activation::gelu:
      if (f.a != 0) {
        AXON_MAP(T(0.5) * v * (T(1) + std::tanh(T(kSqrt2OverPi) * (v + T(0.044715) * v * v * v))))
      }
      AXON_MAP(T(0.5) * v * (T(1) + std::erf(v * T(kInvSqrt2))))
    case Activation::hard_shrink: AXON_MAP(std::abs(v) > a ? v : T(0))
    case Activation::soft_shrink: AXON_MAP(v > a ? v - a : (v < -a ? v + a : T(0)))
    case Activation::hard_sigmoid: AXON_MAP(clamp(v + T(3), T(0), T(6)) / T(6))
    case Activation::hard_silu: AXON_MAP(v * clamp(v + T(3), T(0), T(6)) / T(6))
    case Activation::hard_tanh: AXON_MAP(clamp(v, T(-1), T(1)))
    case Activation::sigmoid: AXON_MAP(stable_sigmoid(v))
    case Activation::log_sigmoid: AXON_MAP(-stable_softplus(-v))
    case Activation::silu: AXON_MAP(v * stable_sigmoid(v))
    case Activation::softplus: AXON_MAP(stable_softplus(v))
    case Activation::softsign: AXON_MAP(v / (T(1) + std::abs(v)))
    case Activation::mish: AXON_MAP(v * std::tanh(stable_softplus(v)))
    case Activation::sparse_plus: AXON_MAP(v <= T(-1) ? T(0) : (v >= T(1) ? v : (v + T(1)) * (v + T(1)) / T(4)))
    // (v + s) / 2 with s = sqrt(v^2 + b) cancels for v << 0 (0 instead of ~b / 4|v| in float32
    // at -1e4); there it equals b / (2 (s - v)). hypot keeps v^2 from overflowing.
    case Activation::squareplus: AXON_MAP([&] {
        const T s = std::hypot(v, std::sqrt(a));
        return v >= T(0) ? (v + s) / T(2) : a / (T(2) * (s - v));
      }())
    case Activation::tanh: AXON_MAP(std::tanh(v))
    // v - tanh(v) cancels for small |v| (all digits lost near 1e-7); the Taylor series
    // v^3/3 - 2v^5/15 + 17v^7/315 is exact to ~1e-13 relative below 0.01.
    case Activation::tanh_shrink: AXON_MAP(std::abs(v) < T(0.01)
                                               ? v * v * v * (T(1) / T(3) + v * v * (T(-2) / T(15) + v * v * (T(17) / T(315))))
                                               : v - std::tanh(v))
    case Activation::threshold: AXON_MAP(v > a ? v : b)
    case Activation::step: AXON_MAP(v >= T(0) ? T(1) : T(0))  // Heaviside, H(0) = 1
    default:
      return;  // axis-wise kinds never reach here
  }
#undef AXON_MAP
}

template <class T>
void backward_range(const ActivationSpec& f, const T* z, const T* y, const T* dy, T* dz, int64_t n) {
  const T a = T(f.a), b = T(f.b), c = T(f.c);
  // d(v) is f'(z[i]) written with v = z[i] and o = y[i].
#define AXON_GRAD(deriv)                                        \
  for (int64_t i = 0; i < n; ++i) {                             \
    const T v = z ? z[i] : T(0), o = y[i];                      \
    (void)v, (void)o;                                           \
    dz[i] = dy[i] * (deriv);                                    \
  }                                                             \
  return;
  switch (f.kind) {
    case Activation::linear:
    case Activation::step:  // straight-through estimator: the gradient passes unchanged
      if (dz != dy) std::copy(dy, dy + n, dz);
      return;
    case Activation::relu:
      if (!activation_needs_input(f)) { AXON_GRAD((o > T(0) && o < b) ? T(1) : T(0)) }
      AXON_GRAD((v > c && (std::isinf(f.b) || (v > T(0) && v < b)) ? T(1) : T(0)) + (v < c ? a : T(0)))
    case Activation::leaky_relu: AXON_GRAD(v >= T(0) ? T(1) : a)
    case Activation::relu6: AXON_GRAD(v > T(0) && v < T(6) ? T(1) : T(0))
    case Activation::elu: AXON_GRAD(v > T(0) ? T(1) : a * std::exp(v))
    case Activation::selu: AXON_GRAD(T(kSeluScale) * (v > T(0) ? T(1) : T(kSeluAlpha) * std::exp(v)))
    case Activation::celu: AXON_GRAD(v > T(0) ? T(1) : std::exp(v / a))
    case Activation::exponential: AXON_GRAD(o)
    case Activation::gelu:
      if (f.a != 0) {
        AXON_GRAD([&] {
          const T t = std::tanh(T(kSqrt2OverPi) * (v + T(0.044715) * v * v * v));
          return T(0.5) * (T(1) + t) +
                 T(0.5) * v * (T(1) - t * t) * T(kSqrt2OverPi) * (T(1) + T(3 * 0.044715) * v * v);
        }())
      }
      AXON_GRAD(T(0.5) * (T(1) + std::erf(v * T(kInvSqrt2))) + v * T(kInvSqrt2Pi) * std::exp(T(-0.5) * v * v))
    case Activation::hard_shrink:
    case Activation::soft_shrink: AXON_GRAD(std::abs(v) > a ? T(1) : T(0))
    case Activation::hard_sigmoid: AXON_GRAD(v > T(-3) && v < T(3) ? T(1) / T(6) : T(0))
    case Activation::hard_silu:
      AXON_GRAD(clamp(v + T(3), T(0), T(6)) / T(6) + (v > T(-3) && v < T(3) ? v / T(6) : T(0)))
    case Activation::hard_tanh: AXON_GRAD(v > T(-1) && v < T(1) ? T(1) : T(0))
    case Activation::sigmoid: AXON_GRAD(o * (T(1) - o))
    case Activation::log_sigmoid: AXON_GRAD(stable_sigmoid(-v))
    case Activation::silu: AXON_GRAD([&] {
        const T s = stable_sigmoid(v);
        return s * (T(1) + v * (T(1) - s));
      }())
    case Activation::softplus: AXON_GRAD(stable_sigmoid(v))
    case Activation::softsign: AXON_GRAD(T(1) / ((T(1) + std::abs(v)) * (T(1) + std::abs(v))))
    case Activation::mish: AXON_GRAD([&] {
        const T t = std::tanh(stable_softplus(v));
        return t + v * (T(1) - t * t) * stable_sigmoid(v);
      }())
    case Activation::sparse_plus: AXON_GRAD(v <= T(-1) ? T(0) : (v >= T(1) ? T(1) : (v + T(1)) / T(2)))
    // 1 + v / s = b / (s (s - v)) for v < 0, without the cancellation; s = 0 only at v = b = 0.
    case Activation::squareplus: AXON_GRAD([&] {
        const T s = std::hypot(v, std::sqrt(a));
        if (s == T(0)) return T(0.5);
        return v >= T(0) ? T(0.5) * (T(1) + v / s) : T(0.5) * a / (s * (s - v));
      }())
    case Activation::tanh: AXON_GRAD(T(1) - o * o)
    case Activation::tanh_shrink: AXON_GRAD([&] {
        const T t = std::tanh(v);
        return t * t;
      }())
    case Activation::threshold: AXON_GRAD(v > a ? T(1) : T(0))
    default:
      return;
  }
#undef AXON_GRAD
  (void)c;
}

}  // namespace

// Each element's result does not depend on how the elements are split among the threads.
template <class T>
void pointwise_forward(const ActivationSpec& f, const T* z, T* y, int64_t n) {
  for_ranges(n, n > kParallelElements,
             [&](int64_t begin, int64_t end) { forward_range(f, z + begin, y + begin, end - begin); });
}

template <class T>
void pointwise_backward(const ActivationSpec& f, const T* z, const T* y, const T* dy, T* dz, int64_t n) {
  for_ranges(n, n > kParallelElements, [&](int64_t begin, int64_t end) {
    backward_range(f, z ? z + begin : nullptr, y + begin, dy + begin, dz + begin, end - begin);
  });
}

template void pointwise_forward<float>(const ActivationSpec&, const float*, float*, int64_t);
template void pointwise_forward<double>(const ActivationSpec&, const double*, double*, int64_t);
template void pointwise_backward<float>(const ActivationSpec&, const float*, const float*, const float*, float*,
                                        int64_t);
template void pointwise_backward<double>(const ActivationSpec&, const double*, const double*, const double*,
                                         double*, int64_t);

}  // namespace axon::kernels::detail
