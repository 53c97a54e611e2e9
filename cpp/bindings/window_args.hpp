// The window arguments (kernel_size, strides, dilation_rate, padding, data_format) from
// Python, shared by the convolution, pooling and conv-family bindings.
#pragma once
#include <string>
#include <vector>

#include "core/check.hpp"
#include "layers/window.hpp"

namespace axon::bindings {

inline bool channels_first(const std::string& data_format) {
  AXON_CHECK(data_format == "channels_last" || data_format == "channels_first",
             "data_format must be 'channels_last' or 'channels_first', got '", data_format, "'");
  return data_format == "channels_first";
}

// dilation may be empty for pooling: the Pooling constructor sets it to ones.
inline WindowConfig to_window(const std::vector<int64_t>& size, const std::vector<int64_t>& strides,
                              const std::vector<int64_t>& dilation, const std::string& padding,
                              const std::string& data_format) {
  return WindowConfig{int(size.size()), size, strides, dilation, padding, channels_first(data_format)};
}

}  // namespace axon::bindings
