// Conv1D, Conv2D and Conv3D: one N-d layer over the shared window geometry.
#pragma once
#include "core/layer.hpp"
#include "layers/dense.hpp"  // KernelBiasConfig
#include "layers/window.hpp"

namespace axon {

struct ConvConfig : KernelBiasConfig {
  int64_t filters = 0;
  WindowConfig window;  // kernel_size, strides, dilation_rate, padding, data_format
  int64_t groups = 1;
};

// y = activation(conv(x, W) + b), computed as im2col + GEMM per group:
//   cols: (N*P, K*Cg) windows of x, W: (K*Cg, F) (Keras' (k..., C/groups, filters)),
//   z = cols W + b: (N*P, F) is channels_last output already.
// channels_first input/output is transposed to channels_last around the GEMM.
template <class T>
class Conv final : public Layer<T> {
 public:
  Conv(std::string name, ConvConfig cfg);
  const char* type() const override { return type_; }
  Shape build(const Shape& input_shape, Arena<T>& arena) override;
  void forward(const Context& ctx, const Mat<T>& x, Mat<T>& y) override;
  void backward(const Context& ctx, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, Mat<T>* dx) override;

 private:
  void backward_z(Mat<T>& dz, Mat<T>* dx);
  ConvConfig cfg_;
  const char* type_;
  Arena<T>* arena_ = nullptr;
  int kernel_ = -1, bias_ = -1;
  kernels::Window win_;
  int64_t cin_g_ = 0, f_g_ = 0;  // input channels and filters per group
  int64_t rows_k_ = 0;           // K * cin_g: the GEMM's inner size
  bool needs_z_ = false;
  AxisSpan span_;
  // Workspaces, resized only when the batch size changes.
  Mat<T> x_cl_;    // channels_first input as channels_last
  Mat<T> cols_;    // groups blocks of (N*P, K*Cg), kept for the weight gradient
  Mat<T> z_cl_;    // x W + b, channels_last (unless it is y itself)
  Mat<T> z_;       // the pre-activation in the output layout, when the activation needs it
  Mat<T> dz_cl_, dcols_, dx_cl_;
  Mat<T> w_g_, z_g_, dw_g_;  // one group's kernel, output and kernel gradient (groups > 1)
};

}  // namespace axon
