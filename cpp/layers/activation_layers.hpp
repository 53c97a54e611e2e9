// Activation layers with parameters: PReLU. (ReLU, LeakyReLU, ELU and Softmax have none and
// are ActivationLayer with a spec; see layers/simple.hpp.)
#pragma once
#include <vector>

#include "core/layer.hpp"

namespace axon {

struct PReLUConfig {
  InitSpec alpha_initializer{"zeros"};
  RegSpec alpha_regularizer;
  std::vector<int64_t> shared_axes;  // Keras numbering: 1 is the first per-sample axis
};

// y = x for x >= 0, alpha * x otherwise, with a learnable alpha of the per-sample shape
// (size 1 along shared axes, broadcast there).
template <class T>
class PReLU final : public Layer<T> {
 public:
  PReLU(std::string name, PReLUConfig cfg) : Layer<T>(std::move(name)), cfg_(std::move(cfg)) {}
  const char* type() const override { return "PReLU"; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  PReLUConfig cfg_;
  Arena<T>* arena_ = nullptr;
  int alpha_ = -1;
  // alpha_index_[e]: the alpha entry that sample element e uses (built once; the broadcast
  // is then a gather instead of index arithmetic per element per step).
  std::vector<int64_t> alpha_index_;
};

}  // namespace axon
