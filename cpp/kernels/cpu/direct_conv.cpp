// Direct convolution for few input channels (see kernels/direct_conv.hpp). GCC/Clang vector
// extensions spell out the 64-byte vectors, so each output row's accumulators stay in
// registers; taps in the padding are skipped (they add zero).
#include "kernels/direct_conv.hpp"

#include <type_traits>

#include "kernels/cpu/window_taps.hpp"

namespace axon::kernels {

namespace {
constexpr int kVectorBytes = 64;
constexpr int kMaxVectors = 8;

// The attribute must name a concrete type (GCC ignores it on a template parameter).
template <class T>
struct VectorOf;
template <>
struct VectorOf<float> {
  typedef float type __attribute__((vector_size(kVectorBytes)));
};
template <>
struct VectorOf<double> {
  typedef double type __attribute__((vector_size(kVectorBytes)));
};
template <class T>
using Vec = typename VectorOf<T>::type;

template <class T>
inline Vec<T> load(const T* p) {
  Vec<T> v;
  __builtin_memcpy(&v, p, sizeof(v));  // an unaligned vector load
  return v;
}

template <class T>
inline void store(T* p, const Vec<T>& v) {
  __builtin_memcpy(p, &v, sizeof(v));
}

template <class T, int NV>
void rows_with(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* kernel, const T* bias, T* z) {
  constexpr int64_t lanes = kVectorBytes / int64_t(sizeof(T)), filters = NV * lanes;
  const int64_t positions = w.out_positions(), c_in = w.channels, sample = w.in_positions() * c_in;
  const int64_t taps = w.taps();
  const InteriorTaps interior(w);
  int64_t s = row_begin / positions;
  OutPos o(w, row_begin % positions);
  for (int64_t i = 0; i < rows; ++i, s += o.next(w)) {
    const T* xs = x + s * sample;
    Vec<T> acc[NV];
    for (int j = 0; j < NV; ++j) acc[j] = bias ? load(bias + j * lanes) : Vec<T>{};
    // One tap: its input channels times the kernel rows (tap, c) for all filters.
    auto add_tap = [&](int64_t t, int64_t off) {
      if (off < 0) return;
      const T* xp = xs + off;
      const T* wt = kernel + t * c_in * filters;
      for (int64_t c = 0; c < c_in; ++c) {
        const Vec<T> v = Vec<T>{} + xp[c];  // broadcast
        for (int j = 0; j < NV; ++j) acc[j] += v * load(wt + c * filters + j * lanes);
      }
    };
    const int64_t origin = InteriorTaps::origin(w, o);
    if (origin >= 0)
      for (int64_t t = 0; t < taps; ++t) add_tap(t, origin + interior.offsets[size_t(t)]);
    else
      for_each_tap(w, o, add_tap);
    T* zr = z + i * filters;
    for (int j = 0; j < NV; ++j) store(zr + j * lanes, acc[j]);
  }
}
// dkernel += x windows^T dz: each dz row's vectors are loaded once and added into every
// (tap, channel) row of dkernel, which stays in L1.
template <class T, int NV>
void kernel_grad_with(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* dz, T* dkernel) {
  constexpr int64_t lanes = kVectorBytes / int64_t(sizeof(T)), filters = NV * lanes;
  const int64_t positions = w.out_positions(), c_in = w.channels, sample = w.in_positions() * c_in;
  const int64_t taps = w.taps();
  const InteriorTaps interior(w);
  int64_t s = row_begin / positions;
  OutPos o(w, row_begin % positions);
  for (int64_t i = 0; i < rows; ++i, s += o.next(w)) {
    const T* xs = x + s * sample;
    Vec<T> g[NV];
    for (int j = 0; j < NV; ++j) g[j] = load(dz + i * filters + j * lanes);
    auto add_tap = [&](int64_t t, int64_t off) {
      if (off < 0) return;
      const T* xp = xs + off;
      T* dk = dkernel + t * c_in * filters;
      for (int64_t c = 0; c < c_in; ++c) {
        const Vec<T> v = Vec<T>{} + xp[c];  // broadcast
        for (int j = 0; j < NV; ++j) {
          T* at = dk + c * filters + j * lanes;
          store(at, load(at) + v * g[j]);
        }
      }
    };
    const int64_t origin = InteriorTaps::origin(w, o);
    if (origin >= 0)
      for (int64_t t = 0; t < taps; ++t) add_tap(t, origin + interior.offsets[size_t(t)]);
    else
      for_each_tap(w, o, add_tap);
  }
}

// Calls body.template operator()<NV>() for filters = NV vectors (1..kMaxVectors).
template <class T, class Body>
void with_vectors(int64_t filters, Body&& body) {
  switch (filters / (kVectorBytes / int64_t(sizeof(T)))) {
    case 1: body(std::integral_constant<int, 1>()); break;
    case 2: body(std::integral_constant<int, 2>()); break;
    case 3: body(std::integral_constant<int, 3>()); break;
    case 4: body(std::integral_constant<int, 4>()); break;
    case 5: body(std::integral_constant<int, 5>()); break;
    case 6: body(std::integral_constant<int, 6>()); break;
    case 7: body(std::integral_constant<int, 7>()); break;
    default: body(std::integral_constant<int, 8>()); break;
  }
}
}  // namespace

template <class T>
bool direct_conv_supported(int64_t filters) {
  constexpr int64_t lanes = kVectorBytes / int64_t(sizeof(T));
  return filters % lanes == 0 && filters / lanes >= 1 && filters / lanes <= kMaxVectors;
}

template <class T>
bool direct_conv_rows(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* kernel, int64_t filters,
                      const T* bias, T* z) {
  if (!direct_conv_supported<T>(filters)) return false;
  with_vectors<T>(filters, [&](auto nv) { rows_with<T, decltype(nv)::value>(x, w, row_begin, rows, kernel, bias, z); });
  return true;
}

template <class T>
bool direct_conv_kernel_grad(const T* x, const Window& w, int64_t row_begin, int64_t rows, const T* dz,
                             int64_t filters, T* dkernel) {
  if (!direct_conv_supported<T>(filters)) return false;
  with_vectors<T>(filters,
                  [&](auto nv) { kernel_grad_with<T, decltype(nv)::value>(x, w, row_begin, rows, dz, dkernel); });
  return true;
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
