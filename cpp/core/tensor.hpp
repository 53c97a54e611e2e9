// Shapes and the row-major Eigen aliases every layer uses.
//
// A batch of activations is a row-major matrix (N, F): one row per sample, the sample's
// features flattened in channels_last order. Layers that care about the per-sample shape
// (Reshape now, convolutions later) read it from their build-time Shape, not the matrix.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/check.hpp"

namespace axon {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using MatMap = Eigen::Map<Mat<T>>;
template <class T>
using ConstMatMap = Eigen::Map<const Mat<T>>;
template <class T>
using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <class T>
using VecMap = Eigen::Map<Vec<T>>;
template <class T>
using RowVecMap = Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>>;

// Per-sample shape: the batch dimension is never stored.
using Shape = std::vector<int64_t>;

// The most values one tensor (a sample's activation, a parameter) may hold: 2^44 float64
// values are 128 TiB, the whole user address space of x86-64 and arm64 Linux (47 bits), so
// no larger buffer can exist. Checking every shape against it at build time also keeps the
// index arithmetic of the kernels (positions x channels, rows x columns) inside int64.
inline constexpr int64_t kMaxTensorValues = int64_t(1) << 44;

// The one checked multiply for sizes: false when a * b overflows int64 or leaves
// [-kMaxTensorValues, kMaxTensorValues] (then *out is unspecified).
inline bool size_mul(int64_t a, int64_t b, int64_t* out) {
  return !__builtin_mul_overflow(a, b, out) && *out <= kMaxTensorValues && *out >= -kMaxTensorValues;
}
inline bool size_add(int64_t a, int64_t b, int64_t* out) {
  return !__builtin_add_overflow(a, b, out) && *out <= kMaxTensorValues && *out >= -kMaxTensorValues;
}

// "(4, 4294967296)" (a parameter) and "(None, 28, 28)", as Keras prints output shapes.
inline std::string tuple_str(const Shape& s) {
  std::ostringstream o;
  o << "(";
  for (size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
  o << (s.size() == 1 ? ",)" : ")");
  return o.str();
}
inline std::string batch_shape_str(const Shape& s) {
  std::ostringstream o;
  o << "(None";
  for (int64_t d : s) o << ", " << d;
  o << ")";
  return o.str();
}

// "<where>: <what> (4, 4294967296, 4294967296) would hold 7.4e+19 values, more than the
// 2^44 (1.8e+13) one tensor can hold (128 TiB of float64, the whole address space)".
[[noreturn]] inline void fail_too_large(const Shape& s, const std::string& where, const char* what, bool batched) {
  long double n = 1;  // the true size, for the message: long double does not overflow here
  for (int64_t d : s) n *= static_cast<long double>(d);
  fail(where, ": ", what, " ", batched ? batch_shape_str(s) : tuple_str(s), " would hold ", double(n),
       " values", batched ? " per sample" : "", ", more than the 2^44 (", double(kMaxTensorValues),
       ") one tensor can hold (128 TiB of float64, the whole address space)");
}

// The number of values in a shape, checked: ValueError naming `where` beyond kMaxTensorValues.
// batched: the shape is per sample (printed "(None, ...)").
inline int64_t shape_size(const Shape& s, const std::string& where, const char* what = "shape",
                          bool batched = true) {
  int64_t n = 1;
  for (int64_t d : s)
    if (!size_mul(n, d, &n)) fail_too_large(s, where, what, batched);
  return n;
}
// The same where the shape was checked when it was built (a backstop otherwise).
// (Its own loop: naming a place would build a std::string on every call in the hot paths.)
inline int64_t shape_size(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s)
    if (!size_mul(n, d, &n)) fail_too_large(s, "axon", "shape", false);
  return n;
}

}  // namespace axon
