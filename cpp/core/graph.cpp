#include "core/graph.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/memory.hpp"
#include "core/regularizers.hpp"

namespace axon {

template <class T>
int Graph<T>::add(std::unique_ptr<Layer<T>> layer, int input, RegSpec activity) {
  AXON_CHECK(!built_, "model: cannot add layer '", layer->name(), "' after the model was built");
  AXON_CHECK(input >= kInput && input < int(nodes_.size()), "model: layer '", layer->name(),
             "' reads node ", input, ", which does not exist yet");
  Node node;
  node.layer = std::move(layer);
  node.input = input;
  node.activity = activity;
  nodes_.push_back(std::move(node));
  return int(nodes_.size()) - 1;
}

template <class T>
void Graph<T>::build(const Shape& input_shape, Arena<T>& arena) {
  AXON_CHECK(!nodes_.empty(), "model: cannot build a model with no layers");
  // A zero dimension would reach layers as a divisor (Dense's rows per sample): SIGFPE.
  for (int64_t d : input_shape)
    AXON_CHECK(d > 0, "model: every dimension of the input shape must be positive, got ", batch_shape_str(input_shape));
  shape_size(input_shape, "model", "input shape");  // at most kMaxTensorValues per sample
  input_shape_ = input_shape;
  for (Node& n : nodes_) {
    const bool from_input = n.input == kInput;
    const Shape& in = from_input ? input_shape_ : nodes_[size_t(n.input)].output_shape;
    n.output_shape = n.layer->build(in, arena);
    // Every activation fits one tensor: kernels index a sample's values in int64 unchecked.
    const std::string where = cat(n.layer->type(), " '", n.layer->name(), "'");
    shape_size(n.output_shape, where, "output shape");
    for (int64_t d : n.output_shape)  // a backstop: each layer checks its own geometry
      AXON_CHECK(d > 0, where, ": the output shape ", batch_shape_str(n.output_shape), " has an empty dimension");
    // The activity is a (batch, features) matrix: its rank counts the batch axis.
    Shape batched{1};
    batched.insert(batched.end(), n.output_shape.begin(), n.output_shape.end());
    try {
      check_regularizer(n.activity, batched, "the output");
    } catch (const ValueError& e) {
      throw ValueError(cat(n.layer->type(), " '", n.layer->name(), "': activity_regularizer: ", e.what()));
    }
    n.params_upstream = !n.layer->param_ids().empty() || (!from_input && nodes_[size_t(n.input)].params_upstream);
  }
  built_ = true;
}

// y_storage sized (batch, output size): a no-op while the batch size is unchanged. A batch
// whose activations do not fit memory is a MemoryError naming the layer and the bytes.
template <class T>
void Graph<T>::resize_output(Node& n, Eigen::Index batch) {
  const int64_t size = shape_size(n.output_shape);
  if (n.y_storage.rows() == batch && n.y_storage.cols() == size) return;  // the steady state: no syscall
  const double bytes = double(batch) * double(size) * double(sizeof(T));
  try {
    // Compared first: with overcommit on, an allocation beyond RAM + swap "succeeds" and the
    // layer's first write to it gets the process killed.
    if (bytes > double(machine_memory_bytes())) throw std::bad_alloc();
    n.y_storage.resize(batch, size);
  } catch (const std::bad_alloc&) {
    throw OutOfMemory(cat(n.layer->type(), " '", n.layer->name(), "': cannot allocate its output for a batch of ",
                          batch, ": ", batch, " x ", size, " values (",
                          human_bytes(bytes), "); this machine has ", human_bytes(double(machine_memory_bytes())),
                          " of RAM and swap; use a smaller batch_size"));
  }
}

template <class T>
const Mat<T>& Graph<T>::forward(const Context& ctx, const Mat<T>& x) {
  x_ = &x;
  activity_penalty_ = 0;
  const Eigen::Index batch = x.rows();
  for (Node& n : nodes_) {
    if (n.layer->is_view()) {
      n.y = &input_of(n);
    } else {
      resize_output(n, batch);
      n.layer->forward(ctx, input_of(n), n.y_storage);
      n.y = &n.y_storage;
    }
    if (ctx.training && n.activity.active())
      activity_penalty_ +=
          regularize<T>(n.activity, n.y->data(), n.y->rows(), n.y->cols(), nullptr, n.activity_scratch);
  }
  return *nodes_.back().y;
}

template <class T>
void Graph<T>::add_activity_gradient(Node& n, Mat<T>& dy) {
  regularize<T>(n.activity, n.y->data(), n.y->rows(), n.y->cols(), dy.data(), n.activity_scratch);
}

// A chain walk from the output back. (Graphs with branches will accumulate into each
// input's dy instead of handing one buffer down; the node bookkeeping already allows it.)
template <class T>
void Graph<T>::backward(const Context& ctx, Mat<T>& dout, bool from_preactivation, Mat<T>* input_grad) {
  Mat<T>* dy = &dout;
  for (int i = int(nodes_.size()) - 1; i >= 0; --i) {
    Node& n = nodes_[size_t(i)];
    const bool is_output = i == int(nodes_.size()) - 1;
    if (n.activity.active()) add_activity_gradient(n, *dy);  // the model never fuses into such a layer
    const bool from_input = n.input == kInput;
    const bool need_dx = from_input ? input_grad != nullptr : (input_grad || nodes_[size_t(n.input)].params_upstream);
    if (!need_dx && n.layer->param_ids().empty()) break;  // nothing left to compute
    Mat<T>* dx = nullptr;
    if (need_dx) {
      dx = from_input ? input_grad : &nodes_[size_t(n.input)].dy_storage;
      const Mat<T>& x = input_of(n);
      if (!n.layer->is_view()) dx->resize(x.rows(), x.cols());
    }
    if (n.layer->is_view())
      dx = dy;  // the gradient passes through unchanged
    else if (is_output && from_preactivation)
      n.layer->backward_preactivation(ctx, input_of(n), *dy, dx);
    else
      n.layer->backward(ctx, input_of(n), *n.y, *dy, dx);
    if (from_input) {
      if (n.layer->is_view() && input_grad) *input_grad = *dy;
      break;
    }
    if (!need_dx) break;
    dy = dx;
  }
}

template class Graph<float>;
template class Graph<double>;

}  // namespace axon
