// Direct convolution (see kernels/direct_conv.hpp): direct_conv_kernels.inc compiled for each
// instruction-set variant (kernels/cpu/isa.hpp), and the public functions, which call the
// variant in use.
#include "kernels/direct_conv.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/cpu/isa.hpp"
#include "kernels/cpu/window_taps.hpp"

namespace axon::kernels {
// x offsets of every (tap, channel) element of an interior window, from its first element.
// Kept in this thread's buffer (valid until its next call on the thread): the kernels run
// once per chunk of rows in every training step, which then allocates nothing here.
inline const std::vector<int64_t>& window_elements(const Window& w) {
  thread_local std::vector<int64_t> elements;
  elements.clear();
  InteriorTaps::for_each_offset(w, [&](int64_t offset) {
    for (int64_t c = 0; c < w.channels; ++c) elements.push_back(offset + c);
  });
  return elements;
}

}  // namespace axon::kernels

// Every variant's copy of the kernels.
#define AXON_ISA_FILE "kernels/cpu/direct_conv_kernels.inc"
#include "kernels/cpu/isa_copies.hpp"

namespace axon::kernels {

template <class T>
bool direct_conv_supported(int64_t filters) {
  return isa_build::direct_conv_supported<T>(filters);  // lanes of the 64-byte vector: the same in every variant
}

template <class T>
bool direct_conv_rows(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* kernel, int64_t filters,
                      const T* bias, T* z) {
  AXON_WITH_ISA(direct_conv_rows<T>(x, w, row_begin, rows, kernel, filters, bias, z))
}

template <class T>
bool direct_conv_kernel_grad(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* dz,
                             int64_t filters, T* dkernel) {
  AXON_WITH_ISA(direct_conv_kernel_grad<T>(x, w, row_begin, rows, dz, filters, dkernel))
}

template bool direct_conv_supported<float>(int64_t);
template bool direct_conv_supported<double>(int64_t);
template bool direct_conv_rows<float>(const float*, const Window&, int64_t, int64_t, const float*, int64_t,
                                      const float*, float*);
template bool direct_conv_rows<double>(const double*, const Window&, int64_t, int64_t, const double*, int64_t,
                                       const double*, double*);
template bool direct_conv_kernel_grad<float>(const float*, const Window&, int64_t, int64_t, const float*, int64_t,
                                             float*);
template bool direct_conv_kernel_grad<double>(const double*, const Window&, int64_t, int64_t, const double*, int64_t,
                                              double*);

}  // namespace axon::kernels
