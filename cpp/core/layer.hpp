// The layer contract.
//
//   build(input_shape, arena) -> output_shape   declares parameters (config is in the ctor)
//   forward(ctx, x, y)                          x: (N, in_size) -> y: (N, out_size)
//   backward(ctx, x, y, dy, dx)                 accumulates parameter grads into the arena,
//                                               writes dx unless dx == nullptr
//
// The graph owns x and y (so layers keep no copies of them) and sizes y before forward.
// A layer whose output ends in an activation can expose its pre-activation so the loss can
// fuse softmax/sigmoid with cross-entropy (see losses/loss.hpp).
#pragma once
#include <cstdint>
#include <string>

#include "core/arena.hpp"
#include "core/check.hpp"
#include "core/tensor.hpp"
#include "kernels/activation_kind.hpp"

namespace axon {

struct Context {
  bool training = false;
  uint64_t step = 0;  // optimizer iteration; keys dropout masks with the seed
};

template <class T>
class Layer {
 public:
  explicit Layer(std::string name) : name_(std::move(name)) {}
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  virtual const char* type() const = 0;
  virtual Shape build(const Shape& input_shape, Arena<T>& arena) = 0;
  virtual void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) = 0;
  virtual void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) = 0;

  // True when the output is the input's values unchanged (Reshape, Flatten): the graph then
  // passes the input buffer through and calls neither forward nor backward.
  virtual bool is_view() const { return false; }

  // Fused-loss support: the activation a loss may absorb (plain sigmoid, or softmax over the
  // last axis; see fusable_activation), else linear. A layer that returns something other
  // than linear here keeps its pre-activation after forward when keep_preactivation(true)
  // was called.
  virtual Activation output_activation() const { return Activation::linear; }
  virtual void keep_preactivation(bool) {}
  virtual const Mat<T>* preactivation() const { return nullptr; }
  // Backward when the gradient is already with respect to the pre-activation.
  virtual void backward_preactivation(const Context& ctx, const Mat<T>& x, Mat<T>& dz, Mat<T>* dx) {
    (void)ctx, (void)x, (void)dz, (void)dx;
  }

  // Python set layer.trainable: a layer whose forward depends on it (BatchNormalization
  // runs in inference mode when frozen, as Keras) records it here. Parameter trainability
  // itself lives in the arena's specs.
  virtual void set_trainable(bool) {}

  // Parameter indices in the arena, in Keras weight order (kernel, bias, ...).
  const std::vector<int>& param_ids() const { return param_ids_; }
  const std::string& name() const { return name_; }

 protected:
  // "Dense 'dense_1'": how error messages name this layer.
  std::string where() const { return cat(type(), " '", name_, "'"); }

  int declare(Arena<T>& arena, ParamSpec spec) {
    int id;
    try {
      id = arena.declare(std::move(spec), where());  // where(): out-of-memory messages name the layer
    } catch (const ValueError& e) {  // the arena knows the weight; name the layer too
      throw ValueError(cat(where(), ": ", e.what()));
    }
    param_ids_.push_back(id);
    return id;
  }
  std::string name_;
  std::vector<int> param_ids_;
};

}  // namespace axon
