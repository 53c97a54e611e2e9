#include "kernels/normalization.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace axon::kernels {

namespace {

constexpr int64_t kGroupChunk = 64;        // groups summed side by side by one task
constexpr int64_t kBlockValues = 1 << 14;  // values per task: enough work to be worth a thread
constexpr int64_t kParallelValues = 1 << 15;

// Per-thread scratch reused across calls, so steady-state steps allocate nothing.
thread_local std::vector<double> t_partial, t_sums;

// K running sums per statistic of v: elem(stat, flat index, acc) adds one value's terms to
// acc[0..K). The reduce axis is cut into blocks whose size depends on the shape only; each
// (outer, group chunk, block) is one task summed in a fixed order, and the blocks are added
// in order afterwards, so the sums are the same whatever the thread count.
// Returns (stats, K) sums, valid until the next call on this thread.
template <int K, class Elem>
const double* reduce_groups(const GroupView& v, const Elem& elem) {
  const int64_t G = v.groups, R = v.reduce, I = v.inner;
  const int64_t gc = std::min(G, kGroupChunk);
  const int64_t chunks = (G + gc - 1) / gc;
  const int64_t rb = std::max<int64_t>(1, kBlockValues / (gc * I));
  const int64_t blocks = (R + rb - 1) / rb;
  t_partial.assign(size_t(v.outer * blocks * G * K), 0.0);  // keeps its capacity
  double* partial = t_partial.data();
  const int64_t tasks = v.outer * chunks * blocks;
#pragma omp parallel for schedule(static) if (tasks > 1 && v.outer * R * G * I > kParallelValues)
  for (int64_t t = 0; t < tasks; ++t) {
    const int64_t o = t / (chunks * blocks), c = (t / blocks) % chunks, b = t % blocks;
    const int64_t g0 = c * gc, g1 = std::min(G, g0 + gc);
    const int64_t r1 = std::min(R, (b + 1) * rb);
    double* acc = partial + ((o * blocks + b) * G + g0) * K;
    for (int64_t r = b * rb; r < r1; ++r)
      for (int64_t g = g0; g < g1; ++g) {
        const int64_t base = ((o * R + r) * G + g) * I;
        for (int64_t i = 0; i < I; ++i) elem(o * G + g, base + i, acc + (g - g0) * K);
      }
  }
  t_sums.assign(size_t(v.stats() * K), 0.0);
  for (int64_t o = 0; o < v.outer; ++o)
    for (int64_t b = 0; b < blocks; ++b)
      for (int64_t g = 0; g < G; ++g)
        for (int k = 0; k < K; ++k) t_sums[size_t((o * G + g) * K + k)] += partial[((o * blocks + b) * G + g) * K + k];
  return t_sums.data();
}

// f(stat, flat index) for every element, rows (outer, reduce) in parallel.
template <class F>
void for_each_element(const GroupView& v, const F& f) {
  const int64_t rows = v.outer * v.reduce, G = v.groups, I = v.inner;
#pragma omp parallel for schedule(static) if (rows * G * I > kParallelValues)
  for (int64_t row = 0; row < rows; ++row) {
    const int64_t o = row / v.reduce;
    for (int64_t g = 0; g < G; ++g) {
      const int64_t base = (row * G + g) * I;
      for (int64_t i = 0; i < I; ++i) f(o * G + g, base + i);
    }
  }
}

}  // namespace

template <class T>
void group_moments(const T* x, const GroupView& v, T* mean, T* var) {
  const double n = double(v.count());
  const double* sums = reduce_groups<1>(v, [x](int64_t, int64_t e, double* acc) { acc[0] += double(x[e]); });
  // The next reduce_groups reuses the sums' buffer: keep the means apart.
  thread_local std::vector<double> m;
  m.assign(sums, sums + v.stats());
  for (auto& s : m) s /= n;
  const double* mp = m.data();
  const double* sq = reduce_groups<1>(v, [x, mp](int64_t s, int64_t e, double* acc) {
    const double d = double(x[e]) - mp[s];
    acc[0] += d * d;
  });
  for (int64_t s = 0; s < v.stats(); ++s) {
    mean[s] = T(m[size_t(s)]);
    var[s] = T(sq[s] / n);
  }
}

template <class T>
void group_normalize(const T* x, const GroupView& v, const T* mean, const T* inv_std, bool centered, T* z) {
  if (centered)
    for_each_element(v, [=](int64_t s, int64_t e) { z[e] = (x[e] - mean[s]) * inv_std[s]; });
  else
    for_each_element(v, [=](int64_t s, int64_t e) { z[e] = x[e] * inv_std[s]; });
}

template <class T>
void group_normalize_backward(const GroupView& v, const T* z, const T* mean, const T* inv_std, bool centered, T* g) {
  const double n = double(v.count());
  const double* sums = reduce_groups<2>(v, [z, g](int64_t, int64_t e, double* acc) {
    acc[0] += double(g[e]);
    acc[1] += double(g[e]) * double(z[e]);
  });
  // Per statistic: dx = inv * (dz - a - (z - shift) * b), with a = mean(dz) or 0, b = mean(dz z).
  thread_local std::vector<T> coef;
  coef.resize(size_t(v.stats() * 3));
  for (int64_t s = 0; s < v.stats(); ++s) {
    coef[size_t(3 * s)] = centered ? T(sums[2 * s] / n) : T(0);
    coef[size_t(3 * s + 1)] = T(sums[2 * s + 1] / n);
    coef[size_t(3 * s + 2)] = centered ? T(0) : mean[s] * inv_std[s];
  }
  const T* c = coef.data();
  for_each_element(v, [=](int64_t s, int64_t e) {
    g[e] = inv_std[s] * (g[e] - c[3 * s] - (z[e] - c[3 * s + 2]) * c[3 * s + 1]);
  });
}

template <class T>
void channel_affine(const ChannelView& v, const T* z, const T* gamma, const T* beta, T* y) {
  const GroupView gv{v.outer, 1, v.channels, v.inner};
  for_each_element(gv, [=](int64_t s, int64_t e) {
    const int64_t c = s % v.channels;
    y[e] = (gamma ? z[e] * gamma[c] : z[e]) + (beta ? beta[c] : T(0));
  });
}

template <class T>
void channel_affine_backward(const ChannelView& v, const T* dy, const T* z, const T* gamma, T* dgamma, T* dbeta,
                             T* dz) {
  if (dgamma || dbeta) {
    // One statistic per channel over (outer, inner): the same reduction as BatchNormalization's.
    const GroupView gv{1, v.outer, v.channels, v.inner};
    const double* sums = reduce_groups<2>(gv, [dy, z](int64_t, int64_t e, double* acc) {
      acc[0] += double(dy[e]) * double(z[e]);
      acc[1] += double(dy[e]);
    });
    for (int64_t c = 0; c < v.channels; ++c) {
      if (dgamma) dgamma[c] += T(sums[2 * c]);
      if (dbeta) dbeta[c] += T(sums[2 * c + 1]);
    }
  }
  if (!dz) return;
  if (!gamma) {
    if (dz != dy) std::copy(dy, dy + v.outer * v.channels * v.inner, dz);
    return;
  }
  const GroupView gv{v.outer, 1, v.channels, v.inner};
  for_each_element(gv, [=](int64_t s, int64_t e) { dz[e] = dy[e] * gamma[s % v.channels]; });
}

template <class T>
void permute_samples(const T* src, int64_t n, const std::vector<int64_t>& shape, const std::vector<int>& perm,
                     T* dst) {
  const size_t rank = shape.size();  // at most kMaxPermuteRank: no allocation per call
  int64_t src_stride[kMaxPermuteRank], dims[kMaxPermuteRank], stride[kMaxPermuteRank];
  src_stride[rank - 1] = 1;
  for (size_t i = rank - 1; i-- > 0;) src_stride[i] = src_stride[i + 1] * shape[i + 1];
  int64_t size = 1;
  for (size_t i = 0; i < rank; ++i) {
    dims[i] = shape[size_t(perm[i])];
    stride[i] = src_stride[size_t(perm[i])];  // src step per step along dst axis i
    size *= dims[i];
  }
#pragma omp parallel for schedule(static) if (n * size > kParallelValues)
  for (int64_t s = 0; s < n; ++s) {
    const T* in = src + s * size;
    T* out = dst + s * size;
    int64_t index[kMaxPermuteRank] = {};
    int64_t offset = 0;
    for (int64_t e = 0; e < size; ++e) {
      out[e] = in[offset];
      for (size_t i = rank; i-- > 0;) {  // odometer over dst's axes, last fastest
        offset += stride[i];
        if (++index[i] < dims[i]) break;
        offset -= stride[i] * dims[i];
        index[i] = 0;
      }
    }
  }
}

#define AXON_NORMALIZATION(T)                                                                                   \
  template void group_moments<T>(const T*, const GroupView&, T*, T*);                                           \
  template void group_normalize<T>(const T*, const GroupView&, const T*, const T*, bool, T*);                   \
  template void group_normalize_backward<T>(const GroupView&, const T*, const T*, const T*, bool, T*);          \
  template void channel_affine<T>(const ChannelView&, const T*, const T*, const T*, T*);                        \
  template void channel_affine_backward<T>(const ChannelView&, const T*, const T*, const T*, T*, T*, T*);       \
  template void permute_samples<T>(const T*, int64_t, const std::vector<int64_t>&, const std::vector<int>&, T*);
AXON_NORMALIZATION(float)
AXON_NORMALIZATION(double)
#undef AXON_NORMALIZATION

}  // namespace axon::kernels
