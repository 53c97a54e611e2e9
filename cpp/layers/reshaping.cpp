#include "layers/reshaping.hpp"

#include <limits>

#include "core/check.hpp"

namespace axon {

namespace {
const char* rank_type(const char* const names[3], int rank) { return names[rank >= 1 && rank <= 3 ? rank - 1 : 0]; }
const char* const kPadNames[3] = {"ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"};
const char* const kCropNames[3] = {"Cropping1D", "Cropping2D", "Cropping3D"};
const char* const kUpNames[3] = {"UpSampling1D", "UpSampling2D", "UpSampling3D"};

void check_rank(int rank, const std::string& where) {
  AXON_CHECK(rank >= 1 && rank <= 3, where, ": rank must be 1, 2 or 3, got ", rank);
}

// Values per sample stay within int32 so index arithmetic never overflows anywhere.
void check_size(const kernels::SpatialLayout& l, const std::string& where) {
  double values = double(l.outer) * double(l.inner);
  for (int64_t d : l.dims) values *= double(d);
  AXON_CHECK(values <= double(std::numeric_limits<int32_t>::max()), where, ": the output would have ", values,
             " values per sample, more than axon supports (2^31 - 1)");
}

std::string axis_list(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}
}  // namespace

kernels::SpatialLayout spatial_layout(int rank, bool channels_first, const Shape& input_shape,
                                      const std::string& where) {
  AXON_CHECK(int(input_shape.size()) == rank + 1, where, ": expected an input of rank ", rank + 2, " (batch, ",
             channels_first ? "channels, " : "", rank == 1 ? "steps" : "spatial axes",
             channels_first ? "" : ", channels", "), got shape ", batch_shape_str(input_shape));
  for (int64_t d : input_shape)
    AXON_CHECK(d > 0, where, ": input dimensions must be positive, got shape ", batch_shape_str(input_shape));
  kernels::SpatialLayout l;
  const int64_t channels = channels_first ? input_shape.front() : input_shape.back();
  (channels_first ? l.outer : l.inner) = channels;
  for (int i = 0; i < rank; ++i) l.dims[3 - rank + i] = input_shape[size_t(channels_first ? i + 1 : i)];
  return l;
}

Shape spatial_shape(int rank, bool channels_first, const kernels::SpatialLayout& l) {
  Shape s;
  if (channels_first) s.push_back(l.outer);
  for (int a = 3 - rank; a < 3; ++a) s.push_back(l.dims[a]);
  if (!channels_first) s.push_back(l.inner);
  return s;
}

template <class T>
PadCrop<T>::PadCrop(std::string name, bool crop, int rank, std::vector<int64_t> before, std::vector<int64_t> after,
                    bool channels_first)
    : Layer<T>(std::move(name)),
      crop_(crop),
      rank_(rank),
      before_(std::move(before)),
      after_(std::move(after)),
      channels_first_(channels_first),
      type_(rank_type(crop ? kCropNames : kPadNames, rank)) {
  const std::string where = this->where();
  check_rank(rank, where);
  const char* what = crop ? "cropping" : "padding";
  AXON_CHECK(int(before_.size()) == rank && int(after_.size()) == rank, where, ": ", what, " needs ", rank,
             " (before, after) pair(s), got ", before_.size(), " and ", after_.size(), " values");
  for (int i = 0; i < rank; ++i)
    AXON_CHECK(before_[size_t(i)] >= 0 && after_[size_t(i)] >= 0, where, ": ", what,
               " must be non-negative integers, got (", before_[size_t(i)], ", ", after_[size_t(i)],
               ") on spatial axis ", i + 1);
}

template <class T>
Shape PadCrop<T>::build(const Shape& input_shape, Arena<T>&) {
  const std::string where = this->where();
  in_ = spatial_layout(rank_, channels_first_, input_shape, where);
  out_ = in_;
  for (int i = 0; i < rank_; ++i) {
    const int a = 3 - rank_ + i;
    const int64_t b = before_[size_t(i)], e = after_[size_t(i)];
    if (crop_) {
      // b and e are each >= 0; compared one at a time, b + e (which could wrap) is never formed.
      AXON_CHECK(b < in_.dims[a] && e < in_.dims[a] - b, where, ": cropping ", axis_list(before_), " before and ",
                 axis_list(after_), " after leaves nothing of input ", batch_shape_str(input_shape),
                 " on spatial axis ", i + 1, " (size ", in_.dims[a], ", cropped by ",
                 double(b) + double(e),  // in double: b + e may not fit int64
                 "); the cropping must be smaller than the input");
      out_.dims[a] = in_.dims[a] - b - e;
    } else {
      AXON_CHECK(b <= std::numeric_limits<int32_t>::max() - in_.dims[a] - e, where, ": padding (", b, ", ", e,
                 ") on spatial axis ", i + 1, " is too large");
      out_.dims[a] = in_.dims[a] + b + e;
    }
    offset_[a] = b;
  }
  check_size(out_, where);
  return spatial_shape(rank_, channels_first_, out_);
}

// x: (N, in_ values), y: (N, out_ values)
template <class T>
void PadCrop<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  if (crop_)
    kernels::extract_box<T>(x.data(), x.rows(), in_, out_, offset_, y.data());
  else
    kernels::embed_box<T>(x.data(), x.rows(), in_, out_, offset_, y.data());
}

// The gradient of a padding is the crop of dy; of a cropping, dy padded with zeros.
template <class T>
void PadCrop<T>::backward(const Context&, const Mat<T>&, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) {
  if (!dx) return;
  if (crop_)
    kernels::embed_box<T>(dy.data(), dy.rows(), out_, in_, offset_, dx->data());
  else
    kernels::extract_box<T>(dy.data(), dy.rows(), out_, in_, offset_, dx->data());
}

template <class T>
UpSampling<T>::UpSampling(std::string name, int rank, std::vector<int64_t> size, bool channels_first, bool bilinear)
    : Layer<T>(std::move(name)),
      rank_(rank),
      size_(std::move(size)),
      channels_first_(channels_first),
      bilinear_(bilinear),
      type_(rank_type(kUpNames, rank)) {
  const std::string where = this->where();
  check_rank(rank, where);
  AXON_CHECK(int(size_.size()) == rank, where, ": size needs ", rank, " value(s), got ", size_.size());
  for (int64_t s : size_) AXON_CHECK(s > 0, where, ": size must be positive integers, got ", s);
  AXON_CHECK(!bilinear || rank == 2, where, ": bilinear interpolation is for 2-D inputs only");
  for (int i = 0; i < rank; ++i) factor_[3 - rank + i] = size_[size_t(i)];
}

template <class T>
Shape UpSampling<T>::build(const Shape& input_shape, Arena<T>&) {
  const std::string where = this->where();
  in_ = spatial_layout(rank_, channels_first_, input_shape, where);
  kernels::SpatialLayout out = in_;
  for (int a = 0; a < 3; ++a) {
    AXON_CHECK(factor_[a] <= std::numeric_limits<int32_t>::max() / in_.dims[a], where, ": size ", factor_[a],
               " is too large for input ", batch_shape_str(input_shape));
    out.dims[a] *= factor_[a];
  }
  check_size(out, where);
  return spatial_shape(rank_, channels_first_, out);
}

// x: (N, in_ values), y: (N, in_ values * prod(size))
template <class T>
void UpSampling<T>::forward(const Context&, const Mat<T>& x, Mat<T>& y) {
  if (bilinear_)
    kernels::upsample_bilinear_forward<T>(x.data(), x.rows(), in_, factor_, y.data());
  else
    kernels::upsample_nearest_forward<T>(x.data(), x.rows(), in_, factor_, y.data());
}

template <class T>
void UpSampling<T>::backward(const Context&, const Mat<T>&, const Mat<T>&, Mat<T>& dy, Mat<T>* dx) {
  if (!dx) return;
  if (bilinear_)
    kernels::upsample_bilinear_backward<T>(dy.data(), dy.rows(), in_, factor_, dx->data());
  else
    kernels::upsample_nearest_backward<T>(dy.data(), dy.rows(), in_, factor_, dx->data());
}

template class PadCrop<float>;
template class PadCrop<double>;
template class UpSampling<float>;
template class UpSampling<double>;

}  // namespace axon
