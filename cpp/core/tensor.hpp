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

inline int64_t shape_size(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

// "(None, 28, 28)", as Keras prints output shapes.
inline std::string batch_shape_str(const Shape& s) {
  std::ostringstream o;
  o << "(None";
  for (int64_t d : s) o << ", " << d;
  o << ")";
  return o.str();
}

}  // namespace axon
