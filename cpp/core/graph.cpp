#include "core/graph.hpp"

#include <cmath>

#include "core/check.hpp"

namespace axon {

template <class T>
int Graph<T>::add(std::unique_ptr<Layer<T>> layer, int input, RegSpec activity) {
  AXON_CHECK(!built_, "model: cannot add layer '", layer->name(), "' after the model was built");
  AXON_CHECK(input >= kInput && input < int(nodes_.size()), "model: layer '", layer->name(),
             "' reads node ", input, ", which does not exist yet");
  nodes_.push_back(Node{std::move(layer), input, activity, {}, {}, {}});
  return int(nodes_.size()) - 1;
}

template <class T>
void Graph<T>::build(const Shape& input_shape, Arena<T>& arena) {
  AXON_CHECK(!nodes_.empty(), "model: cannot build a model with no layers");
  input_shape_ = input_shape;
  for (Node& n : nodes_) {
    const Shape& in = n.input == kInput ? input_shape_ : nodes_[size_t(n.input)].output_shape;
    n.output_shape = n.layer->build(in, arena);
  }
  built_ = true;
}

template <class T>
const Mat<T>& Graph<T>::forward(const Context& ctx, const Mat<T>& x) {
  x_ = &x;
  activity_penalty_ = 0;
  const Eigen::Index batch = x.rows();
  for (Node& n : nodes_) {
    n.y.resize(batch, shape_size(n.output_shape));  // no-op while the batch size is unchanged
    n.layer->forward(ctx, input_of(n), n.y);
    if (ctx.training && n.activity.active()) {
      const T* y = n.y.data();
      double l1 = 0, l2 = 0;
      for (Eigen::Index i = 0; i < n.y.size(); ++i) {
        l1 += std::abs(double(y[i]));
        l2 += double(y[i]) * double(y[i]);
      }
      activity_penalty_ += n.activity.l1 * l1 + n.activity.l2 * l2;
    }
  }
  return nodes_.back().y;
}

template <class T>
void Graph<T>::backward(const Context& ctx, Mat<T>& dout, bool from_preactivation, Mat<T>* input_grad) {
  Mat<T>* dy = &dout;
  for (int i = int(nodes_.size()) - 1; i >= 0; --i) {
    Node& n = nodes_[size_t(i)];
    const bool is_output = i == int(nodes_.size()) - 1;
    if (n.activity.active()) {  // the model never fuses the loss into such a layer
      const T l1 = T(n.activity.l1), two_l2 = T(2 * n.activity.l2);
      T* g = dy->data();
      const T* y = n.y.data();
      for (Eigen::Index k = 0; k < n.y.size(); ++k) g[k] += l1 * T((y[k] > 0) - (y[k] < 0)) + two_l2 * y[k];
    }
    Mat<T>* dx = nullptr;
    if (n.input != kInput) {
      Node& src = nodes_[size_t(n.input)];
      src.dy.resize(src.y.rows(), src.y.cols());
      dx = &src.dy;
    } else if (input_grad) {
      input_grad->resize(x_->rows(), x_->cols());
      dx = input_grad;
    }
    if (is_output && from_preactivation)
      n.layer->backward_preactivation(ctx, input_of(n), *dy, dx);
    else
      n.layer->backward(ctx, input_of(n), n.y, *dy, dx);
    if (n.input == kInput) break;  // a chain: nothing before the first layer
    dy = dx;
  }
}

template class Graph<float>;
template class Graph<double>;

}  // namespace axon
