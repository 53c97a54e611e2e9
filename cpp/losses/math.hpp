// Small numerics shared by the loss families.
#pragma once
#include <algorithm>
#include <cmath>

namespace axon::lossmath {

constexpr double kEps = 1e-7;  // keras.config.epsilon()

template <class T>
T clip_prob(T p) {
  return std::min(std::max(p, T(kEps)), T(1 - kEps));
}

// 1 / (1 + exp(-z)) without overflow for either sign of z.
template <class T>
T sigmoid(T z) {
  return z >= 0 ? T(1) / (T(1) + std::exp(-z)) : std::exp(z) / (T(1) + std::exp(z));
}

template <class T>
T sign(T x) {
  return T((x > 0) - (x < 0));
}

}  // namespace axon::lossmath
