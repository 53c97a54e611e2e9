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
// The work is cut into chunks of rows whose cols fit in the core's cache, one chunk per
// thread at a time: im2col, GEMM, bias and activation then run on cache-resident data, and
// cols is never stored for the whole batch (backward recomputes each chunk's cols).
// Weight gradients are summed per fixed group of samples, then the groups in order, so
// they do not depend on the thread count.
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
  // One thread's buffers for one chunk.
  struct Scratch {
    Mat<T> cols, z_g, dz, dz_cf, dw_g, dcols, dx;
  };
  void forward_rows(const T* x, int64_t row_begin, int64_t rows, T* z, Scratch& s) const;
  void backward_samples(const T* x, int64_t first, int64_t count, const T* dy, const T* z, const T* y, T* dw, T* db,
                        Mat<T>* dx, Scratch& s) const;
  void gather_group_kernels();
  std::vector<Scratch>& scratch();
  ConvConfig cfg_;
  const char* type_;
  Arena<T>* arena_ = nullptr;
  int kernel_ = -1, bias_ = -1;
  kernels::Window win_;
  int64_t cin_g_ = 0, f_g_ = 0;  // input channels and filters per group
  int64_t rows_k_ = 0;           // K * cin_g: the GEMM's inner size
  bool needs_z_ = false;
  bool direct_ = false;       // forward by kernels::direct_conv_rows
  bool direct_grad_ = false;  // kernel gradient by kernels::direct_conv_kernel_grad
  bool rowwise_activation_ = true;  // the activation can run on any chunk of output rows
  AxisSpan span_;
  // Workspaces, resized only when the batch size changes.
  Mat<T> x_cl_;      // channels_first input as channels_last (kept for backward)
  Mat<T> z_cl_;      // x W + b, channels_last, when the output is channels_first
  Mat<T> z_;         // the pre-activation in the output layout, when the activation needs it
  Mat<T> w_groups_;  // groups > 1: each group's (K*Cg, F/groups) kernel, contiguous
  Mat<T> w_t_;       // backward, groups == 1: the kernel transposed, (F, K*C)
  Mat<T> dw_parts_, db_parts_;  // per sample group: kernel and bias gradient partial sums
  std::vector<Scratch> scratch_;
};

}  // namespace axon
