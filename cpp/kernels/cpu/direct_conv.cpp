// Direct convolution for few input channels (see kernels/direct_conv.hpp). GCC/Clang vector
// extensions spell out the 64-byte vectors, so each output row's accumulators stay in
// registers; taps in the padding are skipped (they add zero).
#include "kernels/direct_conv.hpp"

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
  switch (filters / (kVectorBytes / int64_t(sizeof(T)))) {
    case 1: rows_with<T, 1>(x, w, row_begin, rows, kernel, bias, z); break;
    case 2: rows_with<T, 2>(x, w, row_begin, rows, kernel, bias, z); break;
    case 3: rows_with<T, 3>(x, w, row_begin, rows, kernel, bias, z); break;
    case 4: rows_with<T, 4>(x, w, row_begin, rows, kernel, bias, z); break;
    case 5: rows_with<T, 5>(x, w, row_begin, rows, kernel, bias, z); break;
    case 6: rows_with<T, 6>(x, w, row_begin, rows, kernel, bias, z); break;
    case 7: rows_with<T, 7>(x, w, row_begin, rows, kernel, bias, z); break;
    default: rows_with<T, 8>(x, w, row_begin, rows, kernel, bias, z); break;
  }
  return true;
}

template bool direct_conv_supported<float>(int64_t);
template bool direct_conv_supported<double>(int64_t);
template bool direct_conv_rows<float>(const float*, const Window&, int64_t, int64_t, const float*, int64_t,
                                      const float*, float*);
template bool direct_conv_rows<double>(const double*, const Window&, int64_t, int64_t, const double*, int64_t,
                                       const double*, double*);

}  // namespace axon::kernels
