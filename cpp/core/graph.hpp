// The model as a graph of layer nodes, executed in the order they were added (which the
// Python side guarantees is topological). Sequential is the chain where node i reads
// node i-1. The graph owns every activation and gradient buffer; they are resized only
// when the batch size changes, so steady-state steps allocate nothing.
//
// Two savings the graph makes for every model:
//  - view layers (Reshape, Flatten) pass their input buffer through: no copy either way;
//  - a node computes dx only when some node before it has parameters (the first Dense
//    after a Flatten skips its largest product, dz W^T).
#pragma once
#include <memory>
#include <vector>

#include "core/layer.hpp"
#include "core/regularizers.hpp"

namespace axon {

template <class T>
class Graph {
 public:
  static constexpr int kInput = -1;

  // Adds a node reading `input` (a node id, or kInput); returns the node id.
  int add(std::unique_ptr<Layer<T>> layer, int input, RegSpec activity_regularizer = {});
  // Builds every layer in order for per-sample input shape `input_shape`.
  void build(const Shape& input_shape, Arena<T>& arena);

  // Runs every node; returns the output (the last node's). With ctx.training, also
  // accumulates the activity-regularization penalty (see activity_penalty()).
  const Mat<T>& forward(const Context& ctx, const Mat<T>& x);
  // Backpropagates from the output gradient `dout` (overwritten). When `from_preactivation`
  // is set, dout is the gradient with respect to the output layer's pre-activation.
  // input_grad receives dL/dx when non-null (tests); otherwise no node computes a dx
  // that no parameter needs.
  void backward(const Context& ctx, Mat<T>& dout, bool from_preactivation, Mat<T>* input_grad = nullptr);

  double activity_penalty() const { return activity_penalty_; }
  bool has_activity_regularizer(int i) const { return nodes_[size_t(i)].activity.active(); }
  int size() const { return int(nodes_.size()); }
  Layer<T>& layer(int i) { return *nodes_[size_t(i)].layer; }
  const Shape& input_shape() const { return input_shape_; }
  const Shape& output_shape(int i) const { return nodes_[size_t(i)].output_shape; }
  const Shape& output_shape() const { return nodes_.back().output_shape; }
  bool built() const { return built_; }

 private:
  struct Node {
    std::unique_ptr<Layer<T>> layer;
    int input;
    RegSpec activity;
    Shape output_shape;
    bool params_upstream = false;  // this node or one it reads from has parameters
    Mat<T> y_storage, dy_storage;  // unused by view nodes
    const Mat<T>* y = nullptr;     // the output: y_storage, or the input's buffer for views
    RegScratch<T> activity_scratch;
  };
  const Mat<T>& input_of(const Node& n) const { return n.input == kInput ? *x_ : *nodes_[size_t(n.input)].y; }
  void add_activity_gradient(Node& n, Mat<T>& dy);
  void resize_output(Node& n, Eigen::Index batch);

  std::vector<Node> nodes_;
  Shape input_shape_;
  const Mat<T>* x_ = nullptr;  // the current batch, owned by the caller
  double activity_penalty_ = 0;
  bool built_ = false;
};

}  // namespace axon
