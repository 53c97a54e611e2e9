// What convolution and pooling layers share: the Keras window arguments, their checks,
// and the geometry (output size, padding) they imply for an input shape.
#pragma once
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "kernels/spatial.hpp"

namespace axon {

struct WindowConfig {
  int rank = 2;                    // spatial axes: 1, 2 or 3
  std::vector<int64_t> size;       // kernel_size / pool_size, one per spatial axis
  std::vector<int64_t> strides;
  std::vector<int64_t> dilation;   // all 1 for pooling
  std::string padding = "valid";   // valid | same | causal (Conv1D only)
  bool channels_first = false;
};

// Checks the arguments (lengths, positive values, known padding); throws ValueError
// naming `where` ("Conv2D 'conv2d'").
void check_window(const WindowConfig& cfg, const std::string& where);

// The geometry for a per-sample input shape ((spatial..., C) or (C, spatial...)), padded
// to three spatial axes. Throws ValueError naming `where` for a wrong rank or an output
// that would be empty.
kernels::Window make_window(const WindowConfig& cfg, const Shape& input_shape, const std::string& where);

// The per-sample output shape with `channels` channels, in the config's data format;
// ValueError naming `where` when it would exceed kMaxTensorValues.
Shape window_output_shape(const WindowConfig& cfg, const kernels::Window& w, int64_t channels,
                          const std::string& where);

}  // namespace axon
