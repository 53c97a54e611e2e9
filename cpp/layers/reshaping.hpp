// The spatial utility layers: ZeroPadding1D/2D/3D, Cropping1D/2D/3D, UpSampling1D/2D/3D.
// None has parameters; each moves values between spatial positions, in either data format
// (see kernels/reshaping.hpp for how a sample is laid out).
#pragma once
#include <string>
#include <vector>

#include "core/layer.hpp"
#include "kernels/reshaping.hpp"

namespace axon {

// A per-sample input shape ((spatial..., C) or (C, spatial...)) as a kernel layout with
// the spatial axes padded to three. Throws ValueError naming `where` for a wrong rank.
kernels::SpatialLayout spatial_layout(int rank, bool channels_first, const Shape& input_shape,
                                      const std::string& where);
// The per-sample shape of a layout whose spatial sizes are in its last `rank` dims.
Shape spatial_shape(int rank, bool channels_first, const kernels::SpatialLayout& layout);

// ZeroPadding (crop = false) adds before[i] / after[i] zeros on spatial axis i; Cropping
// (crop = true) removes them. Each one's backward is the other's forward.
template <class T>
class PadCrop final : public Layer<T> {
 public:
  PadCrop(std::string name, bool crop, int rank, std::vector<int64_t> before, std::vector<int64_t> after,
          bool channels_first);
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  bool crop_;
  int rank_;
  std::vector<int64_t> before_, after_;
  bool channels_first_;
  const char* type_;
  kernels::SpatialLayout in_, out_;
  int64_t offset_[3] = {0, 0, 0};  // where the smaller box starts inside the larger
};

// UpSampling by integer factors: nearest repeats each value, bilinear (2-D only)
// interpolates as PyTorch's align_corners=False.
template <class T>
class UpSampling final : public Layer<T> {
 public:
  UpSampling(std::string name, int rank, std::vector<int64_t> size, bool channels_first, bool bilinear);
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  int rank_;
  std::vector<int64_t> size_;
  bool channels_first_, bilinear_;
  const char* type_;
  kernels::SpatialLayout in_;
  int64_t factor_[3] = {1, 1, 1};
};

}  // namespace axon
