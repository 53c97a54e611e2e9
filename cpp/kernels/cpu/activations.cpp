// Activation dispatch (element-wise vs axis-wise families) and inverted dropout.
#include <algorithm>
#include <cmath>

#include "core/rng.hpp"
#include "kernels/cpu/exp_fixed.hpp"
#include "kernels/cpu/activations_impl.hpp"
#include "kernels/kernels.hpp"

namespace axon::kernels {

template <class T>
void shifted_exp(const T* z, T* e, int64_t n, int64_t group) {
  for (int64_t start = 0; start < n; start += group) {
    const T mx = *std::max_element(z + start, z + start + group);
    for (int64_t j = start; j < start + group; ++j) e[j] = z[j] - mx;  // never overflows below
  }
  // One vectorized pass over the whole buffer: with 10 classes a per-row loop cannot
  // vectorize, and scalar expf was 15x slower at batch 1024.
  exp_nonpositive_in_place(e, n);
}

template <class T>
void activation_forward(const ActivationSpec& f, const T* z, T* y, int64_t n, AxisSpan span) {
  if (activation_is_axiswise(f.kind))
    detail::axis_forward(f, z, y, n, span);
  else
    detail::pointwise_forward(f, z, y, n);
}

template <class T>
void activation_backward(const ActivationSpec& f, const T* z, const T* y, const T* dy, T* dz, int64_t n,
                         AxisSpan span) {
  if (activation_is_axiswise(f.kind))
    detail::axis_backward(f, z, y, dy, dz, n, span);
  else
    detail::pointwise_backward(f, z, y, dy, dz, n);
}

template <class T>
void dropout_apply(uint64_t seed, uint64_t step, double rate, const T* x, T* y, int64_t n) {
  const Philox rng(seed, /*stream=*/0xD80);
  const T scale = T(1.0 / (1.0 - rate));
  const float keep = float(1.0 - rate);
  // Element i takes word i % 4 of Philox block i / 4; a group is kLanes blocks at once.
  constexpr int64_t kGroup = Philox::kLanes * 4;
#pragma omp parallel for schedule(static) if (n > (1 << 15))
  for (int64_t group = 0; group < (n + kGroup - 1) / kGroup; ++group) {
    uint32_t r[Philox::kLanes][4];
    rng.blocks(uint64_t(group) * Philox::kLanes, step, r);
    const int64_t first = group * kGroup, count = std::min(kGroup, n - first);
    const uint32_t* words = &r[0][0];
    for (int64_t k = 0; k < count; ++k) {
      const float u = float(words[k] >> 8) * (1.0f / 16777216.0f);
      y[first + k] = u < keep ? x[first + k] * scale : T(0);
    }
  }
}

#define AXON_INSTANTIATE(T)                                                                                 \
  template void shifted_exp<T>(const T*, T*, int64_t, int64_t);                                             \
  template void activation_forward<T>(const ActivationSpec&, const T*, T*, int64_t, AxisSpan);              \
  template void activation_backward<T>(const ActivationSpec&, const T*, const T*, const T*, T*, int64_t,    \
                                       AxisSpan);                                                           \
  template void dropout_apply<T>(uint64_t, uint64_t, double, const T*, T*, int64_t);
AXON_INSTANTIATE(float)
AXON_INSTANTIATE(double)
#undef AXON_INSTANTIATE

}  // namespace axon::kernels
