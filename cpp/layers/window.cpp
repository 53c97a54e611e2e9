#include "layers/window.hpp"

#include <algorithm>

#include "core/check.hpp"

namespace axon {

void check_window(const WindowConfig& cfg, const std::string& where) {
  AXON_CHECK(cfg.rank >= 1 && cfg.rank <= 3, where, ": rank must be 1, 2 or 3, got ", cfg.rank);
  const auto check = [&](const std::vector<int64_t>& v, const char* what) {
    AXON_CHECK(int(v.size()) == cfg.rank, where, ": ", what, " must have ", cfg.rank, " value(s), got ", v.size());
    for (int64_t d : v) AXON_CHECK(d > 0, where, ": ", what, " must be positive integers, got ", d);
  };
  check(cfg.size, "the window size");
  check(cfg.strides, "strides");
  check(cfg.dilation, "dilation_rate");
  AXON_CHECK(cfg.padding == "valid" || cfg.padding == "same" || (cfg.padding == "causal" && cfg.rank == 1), where,
             ": padding must be ", cfg.rank == 1 ? "'valid', 'same' or 'causal'" : "'valid' or 'same'", ", got '",
             cfg.padding, "'");
}

namespace {
// a * b + c for window geometry; ValueError naming the argument when it leaves
// [-kMaxTensorValues, kMaxTensorValues], where later index arithmetic would overflow int64.
int64_t window_arith(int64_t a, int64_t b, int64_t c, const std::string& where, const kernels::Window& w, int axis,
                     int spatial) {
  int64_t r;
  if (size_mul(a, b, &r) && size_add(r, c, &r)) return r;
  fail(where, ": the window on spatial axis ", spatial, " (size ", w.k[axis], ", strides ", w.stride[axis],
       ", dilation_rate ", w.dilation[axis], ", input ", w.in[axis], ") is too large: its extent or padding exceeds ",
       "the 2^44 values one tensor can hold");
}
}  // namespace

kernels::Window make_window(const WindowConfig& cfg, const Shape& input_shape, const std::string& where) {
  AXON_CHECK(int(input_shape.size()) == cfg.rank + 1, where, ": expected an input of rank ", cfg.rank + 2,
             " (batch, ", cfg.channels_first ? "channels, " : "", cfg.rank == 1 ? "steps" : "spatial axes",
             cfg.channels_first ? "" : ", channels", "), got shape ", batch_shape_str(input_shape));
  shape_size(input_shape, where, "input shape");  // bounds every product of its dimensions
  kernels::Window w;
  const int first = 3 - cfg.rank;  // spatial axes fill the last slots of the three
  w.channels = cfg.channels_first ? input_shape.front() : input_shape.back();
  for (int i = 0; i < cfg.rank; ++i) {
    const int a = first + i;
    const int64_t in = input_shape[size_t(cfg.channels_first ? i + 1 : i)];
    w.in[a] = in;
    w.k[a] = cfg.size[size_t(i)];
    w.stride[a] = cfg.strides[size_t(i)];
    w.dilation[a] = cfg.dilation[size_t(i)];
    // The dilated window's extent, (k - 1) * dilation + 1: checked, as every step below.
    const int64_t span = window_arith(w.k[a] - 1, w.dilation[a], 1, where, w, a, i + 1);
    if (cfg.padding == "valid") {
      w.out[a] = in >= span ? (in - span) / w.stride[a] + 1 : 0;
    } else {
      // 'same' (TF/Keras): out = ceil(in / stride), padding split with the extra after;
      // 'causal': all padding before, so output t sees inputs up to t only. in - 1 + stride
      // cannot wrap (both are int64 values >= 1, in <= kMaxTensorValues).
      w.out[a] = (in - 1) / w.stride[a] + 1;
      const int64_t reach = window_arith(w.out[a] - 1, w.stride[a], span, where, w, a, i + 1);
      const int64_t total = std::max<int64_t>(reach - in, 0);
      w.pad[a] = cfg.padding == "causal" ? span - 1 : total / 2;
    }
    AXON_CHECK(w.out[a] > 0, where, ": the window (size ", w.k[a], ", dilation ", w.dilation[a],
               ") is larger than the input ", batch_shape_str(input_shape), " on spatial axis ", i + 1,
               " with padding='valid'; the output would be empty");
  }
  // taps x channels is the im2col row (and kernel) width; bounded like any tensor.
  int64_t row = w.channels;
  for (int a = first; a < 3; ++a)
    AXON_CHECK(size_mul(row, w.k[a], &row), where, ": the window ", tuple_str(cfg.size), " over ", w.channels,
               " channel(s) holds more than the 2^44 values one tensor can hold");
  return w;
}

Shape window_output_shape(const WindowConfig& cfg, const kernels::Window& w, int64_t channels,
                          const std::string& where) {
  Shape out;
  if (cfg.channels_first) out.push_back(channels);
  for (int a = 3 - cfg.rank; a < 3; ++a) out.push_back(w.out[a]);
  if (!cfg.channels_first) out.push_back(channels);
  shape_size(out, where, "output shape");  // before any layer sizes a buffer by it
  return out;
}

}  // namespace axon
