#include "layers/spatial_dropout.hpp"

#include "core/check.hpp"
#include "layers/reshaping.hpp"

namespace axon {

namespace {
const char* dropout_type(int rank) {
  static const char* const kNames[3] = {"SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"};
  return kNames[rank >= 1 && rank <= 3 ? rank - 1 : 0];
}
}  // namespace

template <class T>
SpatialDropout<T>::SpatialDropout(std::string name, int rank, double rate, uint64_t seed, bool channels_first)
    : Layer<T>(std::move(name)),
      rank_(rank),
      rate_(rate),
      seed_(seed),
      channels_first_(channels_first),
      type_(dropout_type(rank)) {
  AXON_CHECK(rank >= 1 && rank <= 3, this->where(), ": rank must be 1, 2 or 3, got ", rank);
  AXON_CHECK(rate >= 0.0 && rate < 1.0, this->where(), ": rate must be in [0, 1), got ", rate);
}

template <class T>
Shape SpatialDropout<T>::build(const Shape& input_shape, Arena<T>&) {
  layout_ = spatial_layout(rank_, channels_first_, input_shape, this->where());
  return input_shape;
}

// x, y: (N, values per sample); mask_: (N, channels)
template <class T>
void SpatialDropout<T>::forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) {
  if (!ctx.training || rate_ == 0.0) {
    y = x;
    return;
  }
  const int64_t channels = channels_first_ ? layout_.outer : layout_.inner;
  mask_.resize(size_t(x.rows() * channels));
  kernels::channel_dropout_mask<T>(seed_, ctx.step, rate_, x.rows(), channels, mask_.data());
  kernels::scale_channels<T>(x.data(), mask_.data(), x.rows(), layout_, channels_first_, y.data());
}

template <class T>
void SpatialDropout<T>::backward(const Context& ctx, const Mat<T>&, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) {
  if (!dx) return;
  if (!ctx.training || rate_ == 0.0) {
    *dx = dy;
    return;
  }
  kernels::scale_channels<T>(dy.data(), mask_.data(), dy.rows(), layout_, channels_first_, dx->data());
}

template class SpatialDropout<float>;
template class SpatialDropout<double>;

}  // namespace axon
