// SpatialDropout1D/2D/3D: dropout of whole feature maps.
#pragma once
#include <vector>

#include "core/layer.hpp"
#include "kernels/reshaping.hpp"

namespace axon {

// In training, each (sample, channel) is kept with probability 1 - rate and scaled by
// 1 / (1 - rate) at every spatial position, or zeroed at all of them; identity at
// inference. The mask is a function of (seed, step, sample, channel) (Philox), so it does
// not depend on the thread count.
template <class T>
class SpatialDropout final : public Layer<T> {
 public:
  SpatialDropout(std::string name, int rank, double rate, uint64_t seed, bool channels_first);
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  int rank_;
  double rate_;
  uint64_t seed_;
  bool channels_first_;
  const char* type_;
  kernels::SpatialLayout layout_;
  std::vector<T> mask_;  // (N, channels), resized with the batch; forward's, reused by backward
};

}  // namespace axon
